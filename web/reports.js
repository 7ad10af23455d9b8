// /reports: GET /api/v1/analytics drawn as SVG charts (charts.js), with SLA
// attainment where the server reports it.
import { api, optional } from './api.js';
import { bars, columns } from './charts.js';
import { clear, h } from './dom.js';
import { PRIORITIES, dateTime, label, nameMap } from './format.js';
import { debounce, watch } from './live.js';

function chart(title, figure, legend) {
  if (figure instanceof SVGElement && figure.querySelectorAll('rect').length === 0) figure = h('p', { class: 'muted' }, 'No data yet.');
  return h('section', { class: 'chart' }, h('h2', {}, title), figure, legend || null);
}

function lastDays(n) {
  const days = [];
  const today = new Date();
  for (let i = n - 1; i >= 0; i -= 1) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

export async function render(main) {
  document.title = 'Reports · ticketd';
  const users = await optional('/api/v1/users').catch(() => null);
  const names = nameMap(users && users.items);
  const grid = h('div', { class: 'charts' });
  clear(main, h('h1', {}, 'Reports'), grid);

  const load = async () => {
    const a = await api('GET', '/api/v1/analytics');
    const days = lastDays(30);
    const perDay = (list) => {
      const m = new Map((list || []).map((d) => [d.date, d.count]));
      return days.map((d) => m.get(d) || 0);
    };
    const ttr = a.time_to_resolve_hours || {};
    const ttc = a.time_to_close_hours || {};
    const round = (v) => Math.round((v || 0) * 10) / 10;
    clear(grid,
      chart('Created vs closed per day (30 days)',
        columns('Created and closed tickets per day', days.map((d) => d.slice(5)), [
          { name: 'created', cls: 'a', values: perDay(a.created_per_day) },
          { name: 'closed', cls: 'b', values: perDay(a.closed_per_day) }]),
        h('p', { class: 'legend' }, h('span', {}, h('span', { class: 'swatch a' }), 'created'), h('span', {}, h('span', { class: 'swatch b' }), 'closed'))),
      chart('Time to resolve (hours)', bars('Time to resolve and close, p50 and p90, in hours', [
        { label: 'resolve p50', value: round(ttr.p50) }, { label: 'resolve p90', value: round(ttr.p90) },
        { label: 'close p50', value: round(ttc.p50) }, { label: 'close p90', value: round(ttc.p90) }], { unit: ' h' })),
      chart('Open by priority', bars('Open tickets by priority',
        PRIORITIES.map((p) => ({ label: label(p), value: (a.open_by_priority || {})[p] || 0 })), { cls: 'b' })),
      chart('Per assignee (open + in progress)', bars('Open and in-progress tickets per assignee',
        (a.per_assignee || []).map((r) => ({ label: r.assignee_id ? names.get(r.assignee_id) || 'someone' : 'Unassigned', value: (r.open || 0) + (r.in_progress || 0) })))),
      chart('Top categories', bars('Tickets per category', (a.top_categories || []).map((c) => ({ label: c.category || 'none', value: c.count })), { cls: 'b' })),
      a.sla_attainment ? chart('SLA attainment (met of resolved or breached)', bars('SLA attainment by priority, in percent',
        PRIORITIES.map((p) => {
          const x = a.sla_attainment[p] || {};
          return { label: `${label(p)} (${x.met || 0} of ${(x.met || 0) + (x.breached || 0)})`, value: x.percent ?? 0 };
        }), { unit: ' %' })) : null,
      chart('Stale tickets (in progress, no activity)',
        (a.stale_in_progress || []).length === 0 ? h('p', { class: 'muted' }, 'None.')
          : h('ul', {}, a.stale_in_progress.map((s) => h('li', {}, h('a', { href: `/tickets/${encodeURIComponent(s.number)}` }, s.number), ` since ${dateTime(s.since)}`)))));
  };
  await load();
  return watch(debounce(() => load().catch(() => {}), 1500));
}
