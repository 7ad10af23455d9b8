// One history item ({position, version, type, actor_id, at, changes,
// details?}) as a timeline entry, all as text.
import { h } from './dom.js';
import { dateTime, label } from './format.js';

const NAMES = {
  'ticket.created': 'reported the ticket',
  'ticket.updated': 'changed the ticket',
  'ticket.status_changed': 'changed the status',
  'ticket.assigned': 'changed the assignee',
  'comment.added': 'commented',
  'attachment.added': 'attached files',
  'sla.breached': 'SLA target missed',
  'ticket.erased': 'erased the personal data',
};

function describe(value, who) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value)) return who(value);
  return label(value);
}

export function historyItem(item, who) {
  const changes = [];
  const raw = item.changes || {};
  for (const [name, change] of Object.entries(raw)) {
    if (name === 'comment_id' || name === 'id') continue;  // ids say nothing to a reader
    if (name === 'internal') {
      if (change && change.to === true) changes.push(h('li', {}, 'internal note'));
      continue;
    }
    if (change && typeof change === 'object' && ('from' in change || 'to' in change)) {
      changes.push(h('li', {}, `${label(name)}: ${describe(change.from, who)} → ${describe(change.to, who)}`));
    } else if (!['subject', 'description', 'body'].includes(name)) {
      changes.push(h('li', {}, `${label(name)}: ${describe(change, who)}`));
    }
  }
  const actor = item.actor_id ? who(item.actor_id) : 'the system';
  return h('li', {},
    h('p', { class: 'meta' }, h('time', { datetime: item.at }, dateTime(item.at))),
    h('p', {}, h('strong', {}, actor), ' ', NAMES[item.type] || label(item.type)),
    changes.length ? h('ul', { class: 'changes' }, changes) : null,
    item.details && item.details.target ? h('p', { class: 'overdue' }, `${label(item.details.target)} was due ${dateTime(item.details.due_at)}`) : null);
}
