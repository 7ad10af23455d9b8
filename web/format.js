// Display helpers: dates in the reader's locale and zone, durations, names.
export const STATUSES = ['open', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'];
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'];
export const TYPES = ['incident', 'service_request'];

// The contract's state machine (HTTP-CONTRACT.md).
export const TRANSITIONS = {
  open: ['in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'],
  in_progress: ['open', 'on_hold', 'resolved', 'closed', 'cancelled'],
  on_hold: ['open', 'in_progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'open', 'in_progress'],
  closed: ['open'],
  cancelled: [],
};

export function label(value) {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replace(/_/g, ' ');
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function dateOnly(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function isOverdue(ticket, now = Date.now()) {
  const done = ['resolved', 'closed', 'cancelled'].includes(ticket.status);
  return !done && !!ticket.due_at && new Date(ticket.due_at).getTime() < now;
}

export function duration(ms) {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hours = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${sign}${d}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${m}m`;
  return `${sign}${m}m`;
}

// "2h 5m left", "breached", or "—" when the ticket has no running SLA.
export function slaLeft(ticket, now = Date.now()) {
  const sla = ticket.sla;
  if (!sla) return { text: '—', breached: false };
  if (sla.breached && sla.breached.length) return { text: `breached (${sla.breached.map(label).join(', ')})`, breached: true };
  if (sla.paused) return { text: 'paused', breached: false };
  const due = !sla.first_responded_at && sla.first_response_due_at ? sla.first_response_due_at : sla.resolution_due_at;
  if (!due || sla.resolved_at) return { text: '—', breached: false };
  const left = new Date(due).getTime() - now;
  return left < 0 ? { text: 'breached', breached: true } : { text: `${duration(left)} left`, breached: false };
}

// users: [{id, name}] -> Map id -> name
export function nameMap(users) {
  return new Map((users || []).map((u) => [u.id, u.name]));
}
