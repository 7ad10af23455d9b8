// Admin sections over WORKFLOW.md and MAIL.md: SLA policies, email
// templates and the notification log (the catalog: admin_catalog.js). Each returns false (hidden)
// while its API answers 404.
import { api, ApiError, optional } from './api.js';
import { attempt, cardTable, clear, field, h, select, toast } from './dom.js';
import { PRIORITIES, STATUSES, TYPES, dateTime, label } from './format.js';
import { SETTINGS_CHANGED } from './admin_access.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const NOTIFY = ['assignee', 'team', 'managers'];

function checks(legend, values, prefix, chosen, text = label) {
  const inputs = values.map((v) => h('input', { type: 'checkbox', value: v, id: `${prefix}-${v}`, checked: chosen.includes(v) }));
  const box = h('fieldset', { class: 'checks' }, h('legend', {}, legend), inputs.map((c) => h('label', { for: c.id }, c, text(c.value))));
  box.values = () => inputs.filter((c) => c.checked).map((c) => c.value);
  return box;
}

function describeTargets(p) {
  const a = p.applies_to || {};
  const parts = [a.priority && a.priority.map(label).join(', '), a.type && a.type.map(label).join(', '), a.group_id && `${a.group_id.length} group(s)`];
  return parts.filter(Boolean).join(' · ') || 'all tickets';
}

function describeCalendar(c) {
  if (!c || c === '24x7') return '24x7';
  return `${c.days.join(' ')} ${c.from}–${c.to} ${c.timezone}${c.holidays && c.holidays.length ? ` (+${c.holidays.length} holidays)` : ''}`;
}

// The create / edit form of one policy (`p`: the policy being edited, or null).
function policyForm(p, groups, order, onSave, onCancel, onSimulate) {
  const a = (p && p.applies_to) || {};
  const name = h('input', { required: true, value: p ? p.name : '' });
  const orderInput = h('input', { type: 'number', value: String(p ? p.order : order), min: '0' });
  const priorities = checks('Applies to priorities (none: any)', PRIORITIES, 'sla-priority', a.priority || []);
  const types = checks('Applies to types (none: any)', TYPES, 'sla-type', a.type || []);
  const groupBox = groups.length ? checks('Applies to groups (none: any)', groups.map((g) => g.id), 'sla-group', a.group_id || [],
    (id) => (groups.find((g) => g.id === id) || {}).name || id) : null;
  const first = h('input', { value: p ? p.first_response : 'PT4H', required: true });
  const resolution = h('input', { value: p ? p.resolution : 'P2D', required: true });
  const cal = p && p.calendar !== '24x7' ? p.calendar : null;
  const calendar = select([['24x7', '24x7'], ['business', 'Business hours']], cal ? 'business' : '24x7');
  const timezone = h('input', { value: cal ? cal.timezone : (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC') });
  const from = h('input', { type: 'time', value: cal ? cal.from : '09:00' });
  const to = h('input', { type: 'time', value: cal ? cal.to : '17:00' });
  const holidays = h('input', { value: cal ? (cal.holidays || []).join(', ') : '', placeholder: '2026-12-25, 2026-12-26' });
  const hours = h('div', { class: 'row3' }, field('Time zone', timezone), field('From', from), field('To', to), field('Holidays', holidays, 'Dates, comma separated'));
  const days = checks('Working days', [...WEEKDAYS, 'sat', 'sun'], 'sla-day', cal ? cal.days : WEEKDAYS);
  const business = h('div', {}, days, hours);
  business.hidden = calendar.value === '24x7';
  calendar.addEventListener('change', () => { business.hidden = calendar.value === '24x7'; });
  const pause = checks('Clock paused in', STATUSES.filter((s) => !['resolved', 'closed', 'cancelled'].includes(s)), 'sla-pause', (p && p.pause_on) || ['on_hold']);
  const esc = (p && p.escalate) || {};
  const raise = h('input', { type: 'checkbox', id: 'sla-raise', checked: !!esc.raise_priority });
  const notify = checks('On a breach, notify', NOTIFY, 'sla-notify', esc.notify || []);
  const form = h('form', { class: 'sla-form' }, h('h3', {}, p ? `Edit ${p.name}` : 'New policy'),
    h('div', { class: 'row2' }, field('Policy name', name), field('Order', orderInput)),
    priorities, types, groupBox,
    h('div', { class: 'row3' }, field('First response (ISO 8601)', first), field('Resolution (ISO 8601)', resolution), field('Calendar', calendar)),
    business, pause,
    h('div', { class: 'check' }, raise, h('label', { for: raise.id }, 'On a breach, raise the priority one step')), notify,
    h('div', { class: 'pager' }, h('button', { type: 'submit' }, p ? 'Save policy' : 'Create policy'),
      h('button', { type: 'button', class: 'secondary', onclick: () => form.reportValidity() && onSimulate(body()) }, 'Simulate on the last 30 days'),
      p ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSave(body());
  });
  const body = () => {
    const appliesTo = {};
    if (priorities.values().length) appliesTo.priority = priorities.values();
    if (types.values().length) appliesTo.type = types.values();
    if (groupBox && groupBox.values().length) appliesTo.group_id = groupBox.values();
    const escalate = {};
    if (raise.checked) escalate.raise_priority = true;
    if (notify.values().length) escalate.notify = notify.values();
    return { name: name.value.trim(), order: Number(orderInput.value), applies_to: appliesTo,
      first_response: first.value.trim(), resolution: resolution.value.trim(), pause_on: pause.values(), escalate,
      calendar: calendar.value === '24x7' ? '24x7' : { timezone: timezone.value.trim(), days: days.values(), from: from.value, to: to.value,
        holidays: holidays.value.split(/[\s,]+/).filter(Boolean) } };
  };
  return form;
}

// WORKFLOW.md simulate: the candidate as if it came first, over the tickets of the last 30 days.
async function simulate(policy, out) {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86400000);
  const r = await attempt(() => api('POST', '/api/v1/sla-policies/simulate', { policy, from: from.toISOString(), to: to.toISOString() }));
  if (!r) return;
  const targets = (list) => (list.length ? list.map(label).join(', ') : 'none');
  clear(out, h('p', { role: 'status' }, `Last 30 days: ${r.tickets} tickets; ${r.breached_now} breached under their policies; `
    + `${r.would_breach} would breach with this policy first.`),
  r.changed.length ? h('ul', {}, r.changed.slice(0, 20).map((c) => h('li', {}, h('a', { href: `/tickets/${encodeURIComponent(c.number)}` }, c.number),
    `: missed ${targets(c.before)} → ${targets(c.after)}`))) : null);
}

export async function slaSection(box) {
  const simulation = h('div', { class: 'simulation' });
  const draw = async (editing = null) => {
    const [policies, catalog] = await Promise.all([optional('/api/v1/sla-policies'), optional('/api/v1/groups').catch(() => null)]);
    if (!policies) return false;
    const items = policies.items || [];
    const groups = (catalog && catalog.items) || [];
    const save = (body) => (editing
      ? attempt(() => api('PATCH', `/api/v1/sla-policies/${editing.id}`, body), 'Policy saved', draw)
      : attempt(() => api('POST', '/api/v1/sla-policies', body), 'Policy created', draw));
    clear(box, items.length === 0 ? h('p', { class: 'muted' }, 'No SLA policies.') : cardTable(['Order', 'Name', 'Applies to', 'First response', 'Resolution', 'Calendar', ''],
      items.map((p) => h('tr', {}, h('td', {}, String(p.order)), h('td', {}, p.name),
        h('td', {}, describeTargets(p)), h('td', {}, p.first_response), h('td', {}, p.resolution), h('td', {}, describeCalendar(p.calendar)),
        h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${p.name}`, onclick: () => draw(p) }, 'Edit'), ' ',
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${p.name}`,
            onclick: () => attempt(() => api('DELETE', `/api/v1/sla-policies/${p.id}`), 'Policy deleted', draw) }, 'Delete'))))),
    policyForm(editing, groups, items.length + 1, save, () => draw(), (body) => simulate(body, simulation)), simulation);
    if (editing) box.querySelector('form input').focus();
    return true;
  };
  return draw();
}

export async function templatesSection(box, { signal }) {
  document.addEventListener(SETTINGS_CHANGED, () => draw().catch((e) => toast(e.message, 'error')), { signal });
  const draw = async () => {
    let templates;
    try {
      templates = await optional('/api/v1/email-templates');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FEATURE_DISABLED') {
        clear(box, h('p', { class: 'muted' }, 'Custom email templates are switched off: turn on the email templates feature flag to edit them.'));
        return true;
      }
      throw e;
    }
    if (!templates) return false;
    clear(box, h('p', { class: 'muted' }, 'Placeholders: {{ticket_number}} {{ticket_title}} {{ticket_status}} {{assignee_name}} {{reporter_name}} {{comment_body}} {{ticket_url}}'),
      templates.items.map((t) => {
        const subject = h('input', { value: t.subject });
        const text = h('textarea', { rows: '4' });
        text.value = t.text;
        const html = h('textarea', { rows: '4' });
        html.value = t.html;
        const preview = h('div');
        const form = h('form', {}, h('h3', {}, t.event, t.custom ? ' (custom)' : ' (default)'),
          field(`Subject of ${t.event}`, subject), field(`Text of ${t.event}`, text), field(`HTML of ${t.event}`, html),
          h('div', { class: 'pager' }, h('button', { type: 'submit' }, 'Save template'),
            h('button', { type: 'button', class: 'secondary', onclick: async () => {
              try {
                const p = await api('POST', `/api/v1/email-templates/${encodeURIComponent(t.event)}/preview`, { subject: subject.value, text: text.value, html: html.value });
                clear(preview, h('p', {}, h('strong', {}, p.subject)), h('pre', { class: 'code' }, p.text));
              } catch (e) {
                toast(e.message, 'error');
              }
            } }, 'Preview'),
            t.custom ? h('button', { type: 'button', class: 'secondary', onclick: () => attempt(() => api('DELETE', `/api/v1/email-templates/${encodeURIComponent(t.event)}`), 'Back to the default', draw) }, 'Reset to default') : null),
          preview);
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          attempt(() => api('PUT', `/api/v1/email-templates/${encodeURIComponent(t.event)}`, { subject: subject.value, text: text.value, html: html.value }), 'Template saved', draw);
        });
        return form;
      }));
    return true;
  };
  return draw();
}

export async function notificationsSection(box) {
  const list = await optional('/api/v1/notifications');
  if (!list) return false;
  const items = list.items.slice(-50).reverse();
  clear(box, items.length === 0 ? h('p', { class: 'muted' }, 'No mail yet.') : cardTable(['Queued', 'Template', 'Recipient', 'Status', 'Attempts'],
    items.map((n) => h('tr', {}, h('td', {}, dateTime(n.queued_at)), h('td', {}, n.template), h('td', {}, n.recipient),
      h('td', {}, label(n.status), n.reason ? ` (${n.reason})` : ''), h('td', {}, String(n.attempts))))));
  return true;
}
