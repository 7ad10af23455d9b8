// /tickets: the queue. Filters (status, priority, category, assignee, group,
// SLA breached), search, sort (queue order, SLA due first, ...), exact total, paging by cursor; overdue due dates in
// red, 📎N, SLA time left. The filters live in the URL, so a reload or a
// shared link shows the same queue. Updates live.
import { api, me, optional } from './api.js';
import { clear, field, h, labelCells, select } from './dom.js';
import { PRIORITIES, STATUSES, dateTime, isOverdue, label, nameMap, slaLeft } from './format.js';
import { debounce, watch } from './live.js';

const PAGE_SIZE = 25;
const COLUMNS = ['Number', 'Title', 'Priority', 'Status', 'Assignee', 'Due date', 'Files', 'SLA'];
const FILTERS = ['status', 'priority', 'category', 'assignee_id', 'group_id', 'sla_breached', 'q', 'sort'];
const SORTS = [['', 'Queue order'], ['sla_due', 'SLA due first'], ['-created_at', 'Newest first'], ['-updated_at', 'Recently changed']];

export async function render(main) {
  document.title = 'Queue · ticketd';
  const params = new URLSearchParams(location.search);
  const [users, catalog] = await Promise.all([optional('/api/v1/users').catch(() => null), optional('/api/v1/groups').catch(() => null)]);
  const names = nameMap(users && users.items);
  const categories = catalog ? [...new Set(catalog.items.flatMap((g) => g.categories.map((c) => c.name)))]
    : ['Hardware', 'Software', 'Network', 'Account', 'Other'];

  const any = ['', 'Any'];
  const controls = {
    status: select([any, ['open,in_progress,on_hold', 'Not done'], ...STATUSES.map((s) => [s, label(s)])], params.get('status') || ''),
    priority: select([any, ...PRIORITIES.map((p) => [p, label(p)])], params.get('priority') || ''),
    category: select([any, ...categories.map((c) => [c, c])], params.get('category') || ''),
    assignee_id: select([any, ['none', 'Unassigned'], [me().id, 'Me'],
      ...((users && users.items) || []).filter((u) => u.id !== me().id && (u.role === 'agent' || u.role === 'admin' || u.department === 'IT')).map((u) => [u.id, u.name])],
    params.get('assignee_id') || ''),
    group_id: catalog ? select([any, ...catalog.items.map((g) => [g.id, g.name])], params.get('group_id') || '') : null,
    sla_breached: select([any, ['true', 'Breached'], ['false', 'Not breached']], params.get('sla_breached') || ''),
    q: h('input', { type: 'search', name: 'q', value: params.get('q') || '', autocomplete: 'off' }),
    sort: select(SORTS, params.get('sort') || ''),
  };
  const labels = { status: 'Status', priority: 'Priority', category: 'Category', assignee_id: 'Assignee', group_id: 'Group', sla_breached: 'SLA breached', q: 'Search', sort: 'Sort' };
  const total = h('p', { class: 'total', 'aria-live': 'polite' });
  const body = h('tbody');
  const prev = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const pageInfo = h('span', { class: 'muted' });
  const error = h('p', { class: 'error', role: 'alert' });

  clear(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Queue'), total),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      FILTERS.filter((k) => controls[k]).map((k) => field(labels[k], controls[k]))),
    error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'tickets cards queue' },
      h('caption', { class: 'sr-only' }, 'Tickets in the queue'),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      body)),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, pageInfo, next));

  // Cursors of the pages before the current one: Previous pops.
  let cursors = [];
  let cursor = '';
  const query = () => {
    const q = new URLSearchParams({ page_size: String(PAGE_SIZE), sort: 'queue' });
    for (const k of FILTERS) if (controls[k] && controls[k].value) q.set(k, controls[k].value.trim());
    if (cursor) q.set('cursor', cursor);
    return q;
  };
  const row = (t) => {
    const overdue = isOverdue(t);
    const sla = slaLeft(t);
    const tr = h('tr', { 'data-number': t.number },
      h('td', {}, h('a', { href: `/tickets/${encodeURIComponent(t.number)}` }, t.number)),
      h('td', { class: 'title' }, t.subject),
      h('td', {}, h('span', { class: `badge priority-${t.priority}` }, label(t.priority))),
      h('td', {}, h('span', { class: `badge status-${t.status}` }, label(t.status))),
      h('td', {}, t.assignee_id ? names.get(t.assignee_id) || (t.assignee_id === me().id ? me().name : '…') : 'Unassigned'),
      h('td', { class: overdue ? 'overdue' : '' }, dateTime(t.due_at), overdue ? h('span', { class: 'sr-only' }, ' (overdue)') : null),
      h('td', {}, t.attachment_count ? h('span', { title: `${t.attachment_count} attached files` }, `📎${t.attachment_count}`) : ''),
      h('td', { class: sla.breached ? 'overdue' : '' }, sla.text));
    labelCells(tr, COLUMNS);
    return tr;
  };
  const load = async () => {
    let page;
    try {
      page = await api('GET', `/api/v1/tickets?${query()}`);
    } catch (e) {
      // A filter this server does not know (e.g. before SLAs exist): drop it.
      const dropped = e.details && e.details.field;
      if (e.status === 400 && dropped && controls[dropped] && controls[dropped] !== controls.q) {
        controls[dropped].closest('.field').remove();
        controls[dropped] = null;
        return load();
      }
      if (e.status === 400 && cursor) {
        cursors = [];
        cursor = '';
        return load();
      }
      error.textContent = e.message;
      return;
    }
    error.textContent = '';
    // Tickets carry `sla` only where SLAs exist (WORKFLOW.md); no SLA filter or sort without them.
    if (page.items.length && !('sla' in page.items[0])) {
      if (controls.sla_breached) controls.sla_breached.closest('.field').hidden = true;
      if (controls.sort) controls.sort.querySelector('option[value="sla_due"]')?.remove();
    }
    total.textContent = `${page.total} ${page.total === 1 ? 'ticket' : 'tickets'}`;
    clear(body, page.items.length ? page.items.map(row) : h('tr', {}, h('td', { colspan: '8', class: 'muted' }, 'No tickets match.')));
    const first = cursors.length * PAGE_SIZE + 1;
    pageInfo.textContent = page.total ? `${first}–${first + page.items.length - 1} of ${page.total}` : '';
    prev.disabled = cursors.length === 0;
    next.disabled = !page.next_cursor;
    next.dataset.cursor = page.next_cursor || '';
  };
  const restart = () => {
    cursors = [];
    cursor = '';
    const shown = new URLSearchParams();
    for (const k of FILTERS) if (controls[k] && controls[k].value) shown.set(k, controls[k].value);
    history.replaceState(null, '', `/tickets${shown.toString() ? `?${shown}` : ''}`);
    load();
  };
  for (const k of FILTERS) if (controls[k] && k !== 'q') controls[k].addEventListener('change', restart);
  controls.q.addEventListener('input', debounce(restart, 250));
  next.addEventListener('click', () => {
    cursors.push(cursor);
    cursor = next.dataset.cursor;
    load();
  });
  prev.addEventListener('click', () => {
    cursor = cursors.pop() || '';
    load();
  });
  await load();
  return watch(debounce(() => load(), 250));
}
