// Admin sections over WORKFLOW.md and MAIL.md: the catalog, SLA policies,
// email templates and the notification log. Each returns false (hidden)
// while its API answers 404.
import { api, ApiError, optional } from './api.js';
import { attempt, clear, field, h, select, toast } from './dom.js';
import { PRIORITIES, dateTime, label } from './format.js';

function addForm(labelText, buttonText, onAdd) {
  const name = h('input', { required: true, autocomplete: 'off' });
  const form = h('form', { class: 'inline' }, field(labelText, name), h('button', { type: 'submit' }, buttonText));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (name.value.trim()) onAdd(name.value.trim());
  });
  return form;
}

export async function catalogSection(box) {
  const draw = async () => {
    const groups = await optional('/api/v1/groups');
    if (!groups) return false;
    const archive = (path, name) => h('button', { type: 'button', class: 'link', 'aria-label': `Archive ${name}`,
      onclick: () => attempt(() => api('DELETE', path), `${name} archived`, draw) }, 'archive');
    clear(box, h('ul', {}, groups.items.map((g) => h('li', {},
      h('strong', {}, g.name), ` (${label(g.assignment || 'manual')}) `, archive(`/api/v1/groups/${g.id}`, g.name),
      h('ul', {}, g.categories.map((c) => h('li', {}, c.name, ' ', archive(`/api/v1/categories/${c.id}`, c.name),
        c.subcategories.length ? h('ul', {}, c.subcategories.map((s) => h('li', {}, s.name, ' ', archive(`/api/v1/subcategories/${s.id}`, s.name)))) : null,
        addForm(`New subcategory of ${c.name}`, 'Add subcategory', (name) => attempt(() => api('POST', `/api/v1/categories/${c.id}/subcategories`, { name }), 'Added', draw))))),
      addForm(`New category in ${g.name}`, 'Add category', (name) => attempt(() => api('POST', `/api/v1/groups/${g.id}/categories`, { name }), 'Added', draw))))),
    addForm('New group', 'Add group', (name) => attempt(() => api('POST', '/api/v1/groups', { name }), 'Added', draw)));
    return true;
  };
  return draw();
}

export async function slaSection(box) {
  const draw = async () => {
    const policies = await optional('/api/v1/sla-policies');
    if (!policies) return false;
    const items = policies.items || [];
    const name = h('input', { required: true });
    const order = h('input', { type: 'number', value: String(items.length + 1), min: '0' });
    const priorities = PRIORITIES.map((p) => h('input', { type: 'checkbox', value: p, id: `sla-${p}` }));
    const first = h('input', { value: 'PT4H', required: true });
    const resolution = h('input', { value: 'P2D', required: true });
    const calendar = select([['24x7', '24x7'], ['business', 'Mon–Fri 09:00–17:00 UTC']], '24x7');
    const form = h('form', {}, h('div', { class: 'row2' }, field('Policy name', name), field('Order', order)),
      h('fieldset', { class: 'checks' }, h('legend', {}, 'Applies to priorities (none: all)'), priorities.map((c) => h('label', { for: c.id }, c, label(c.value)))),
      h('div', { class: 'row3' }, field('First response (ISO 8601)', first), field('Resolution (ISO 8601)', resolution), field('Calendar', calendar)),
      h('button', { type: 'submit' }, 'Create policy'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = priorities.filter((c) => c.checked).map((c) => c.value);
      const body = { name: name.value.trim(), order: Number(order.value), applies_to: chosen.length ? { priority: chosen } : {},
        first_response: first.value.trim(), resolution: resolution.value.trim(),
        calendar: calendar.value === '24x7' ? '24x7' : { timezone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00', holidays: [] } };
      attempt(() => api('POST', '/api/v1/sla-policies', body), 'Policy created', draw);
    });
    clear(box, items.length === 0 ? h('p', { class: 'muted' }, 'No SLA policies.') : h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Order', 'Name', 'Applies to', 'First response', 'Resolution', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((p) => h('tr', {}, h('td', {}, String(p.order)), h('td', {}, p.name),
        h('td', {}, JSON.stringify(p.applies_to || {})), h('td', {}, p.first_response), h('td', {}, p.resolution),
        h('td', {}, h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${p.name}`,
          onclick: () => attempt(() => api('DELETE', `/api/v1/sla-policies/${p.id}`), 'Policy deleted', draw) }, 'Delete'))))))),
    h('h3', {}, 'New policy'), form);
    return true;
  };
  return draw();
}

export async function templatesSection(box) {
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
  clear(box, items.length === 0 ? h('p', { class: 'muted' }, 'No mail yet.') : h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Queued', 'Template', 'Recipient', 'Status', 'Attempts'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((n) => h('tr', {}, h('td', {}, dateTime(n.queued_at)), h('td', {}, n.template), h('td', {}, n.recipient),
      h('td', {}, label(n.status), n.reason ? ` (${n.reason})` : ''), h('td', {}, String(n.attempts))))))));
  return true;
}
