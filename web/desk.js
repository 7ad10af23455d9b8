// /desk: the caller's own tickets (number, title, status, due date) and
// the button Report an issue. Updates live.
import { api, can, me } from './api.js';
import { clear, h, labelCells } from './dom.js';

const COLUMNS = ['Number', 'Title', 'Status', 'Due date'];
import { dateOnly, isOverdue, label } from './format.js';
import { debounce, watch } from './live.js';

export async function render(main, _params, { navigate }) {
  document.title = 'My tickets · ticketd';
  const list = h('div', { class: 'table-wrap' });
  const report = can('tickets:create')
    ? h('button', { type: 'button', onclick: () => navigate('/desk/new') }, 'Report an issue') : null;
  clear(main, h('div', { class: 'page-head' }, h('h1', {}, 'My tickets'), report), list);

  const load = async () => {
    const query = new URLSearchParams({ reporter_id: me().id, sort: '-created_at', page_size: '100' });
    const page = await api('GET', `/api/v1/tickets?${query}`);
    if (page.items.length === 0) return clear(list, h('p', { class: 'muted' }, 'You have not reported anything yet.'));
    const rows = page.items.map((t) => labelCells(h('tr', {},
      h('td', {}, h('a', { href: `/desk/tickets/${encodeURIComponent(t.number)}` }, t.number)),
      h('td', { class: 'title' }, t.subject),
      h('td', {}, h('span', { class: `badge status-${t.status}` }, label(t.status))),
      h('td', { class: isOverdue(t) ? 'overdue' : '' }, dateOnly(t.due_at))), COLUMNS));
    clear(list, h('table', { class: 'tickets cards' },
      h('caption', { class: 'sr-only' }, 'Your tickets'),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)),
    page.total > page.items.length ? h('p', { class: 'muted' }, `Showing the newest ${page.items.length} of ${page.total}.`) : null);
  };
  await load();
  return watch(debounce(() => load().catch(() => {}), 250));
}
