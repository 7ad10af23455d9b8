// The web app's entry: restores the session from the cookie, draws the
// navigation and renders the page for the path. Links inside the app swap
// the page without a reload (one token refresh per tab, not per click); the
// server checks the same gates on a full load (403 pages).
import { api, can, logout, me, optional, restore } from './api.js';
import { clear, h, toast } from './dom.js';

const pages = [
  [/^\/login$/, () => import('./login.js'), { public: true }],
  [/^\/desk$/, () => import('./desk.js'), { portal: 'end_user_portal' }],
  [/^\/desk\/new$/, () => import('./newticket.js'), { portal: 'end_user_portal', any: ['tickets:create'] }],
  [/^\/desk\/tickets\/([^/]+)$/, () => import('./ticket.js'), { portal: 'end_user_portal', desk: true }],
  [/^\/tickets$/, () => import('./queue.js'), { portal: 'agent_portal', any: ['tickets:manage', 'tickets:read_all'] }],
  [/^\/tickets\/([^/]+)$/, () => import('./ticket.js'), { portal: 'agent_portal', any: ['tickets:manage', 'tickets:read_all'] }],
  [/^\/admin$/, () => import('./admin.js'), { any: ['settings:manage', 'users:manage'] }],
  [/^\/reports$/, () => import('./reports.js'), { any: ['reports:read'] }],
];

const PORTAL_CLOSED = {
  end_user_portal: 'The end-user portal (end_user_portal) is switched off for your organization. Ask your IT staff.',
  agent_portal: 'The agent workspace (agent_portal) is switched off for your organization. An admin can switch it on.',
};

let settings = null;
let cleanup = null;
let navigated = false;  // false until the first page has been drawn

export function isStaff() {
  return can('tickets:manage') || can('tickets:read_all');
}

export function features() {
  return (settings && settings.features) || {};
}

// The tenant's settings as last read (GET /api/v1/settings), or {}.
export function tenantSettings() {
  return settings || {};
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

function homePath() {
  return isStaff() && features().agent_portal !== false ? '/tickets' : '/desk';
}

function drawNav() {
  const nav = document.getElementById('nav');
  const user = me();
  if (!user) return clear(nav, h('a', { href: '/login', class: 'brand' }, 'ticketd'));
  const links = [h('a', { href: homePath(), class: 'brand' }, 'ticketd')];
  if (features().end_user_portal !== false) links.push(h('a', { href: '/desk' }, 'My tickets'));
  if (isStaff() && features().agent_portal !== false) links.push(h('a', { href: '/tickets' }, 'Queue'));
  if (can('reports:read')) links.push(h('a', { href: '/reports' }, 'Reports'));
  if (can('settings:manage') || can('users:manage')) links.push(h('a', { href: '/admin' }, 'Admin'));
  const signOut = h('button', {
    type: 'button',
    class: 'link',
    onclick: async () => {
      await logout().catch(() => {});
      location.assign('/login');
    },
  }, 'Sign out');
  const account = h('button', { type: 'button', class: 'link', title: 'Your account: change your password',
    onclick: async () => (await import('./account.js')).openAccount() }, user.name);
  clear(nav, h('div', { class: 'links' }, links), h('div', { class: 'who' }, account, signOut));
  for (const a of nav.querySelectorAll('a')) if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
}

function refusal(title, message) {
  const main = document.getElementById('main');
  document.title = `${title} · ticketd`;
  clear(main, h('div', { class: 'refusal' }, h('h1', {}, title), h('p', {}, message)));
}

async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const main = document.getElementById('main');
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return navigate(me() ? homePath() : '/login', { replace: true });
  const match = pages.find(([pattern]) => pattern.test(path));
  if (!match) return refusal('Not found', 'There is no page here.');
  const [pattern, load, gate] = match;
  if (!gate.public && !me()) return location.assign(`/login?next=${encodeURIComponent(path)}`);
  if (gate.portal && features()[gate.portal] === false) return refusal('This portal is switched off', PORTAL_CLOSED[gate.portal]);
  if (gate.any && !gate.any.some(can)) return refusal('Not allowed', 'Your account does not have the permission this page needs.');
  drawNav();
  const params = path.match(pattern).slice(1).map(decodeURIComponent);
  try {
    const page = await load();
    cleanup = (await page.render(main, params, { desk: !!gate.desk, navigate })) || null;
    // After an in-app navigation, keyboard and screen-reader users start at
    // the new page's content, unless the page put the focus somewhere itself.
    if (navigated && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
    navigated = true;
    document.body.dataset.ready = path;
  } catch (error) {
    clear(main, h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${error.message}`));
  }
}

// Same-origin app links swap the page; everything else is left alone.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname === '/login') return;
  if (!me()) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', route);

export async function reloadSettings() {
  settings = await optional('/api/v1/settings');
  drawNav();
}

async function boot() {
  if (location.pathname !== '/login') {
    try {
      if (await restore()) settings = await api('GET', '/api/v1/settings').catch(() => null);
    } catch (error) {
      toast(`Could not reach the server: ${error.message}`, 'error');
    }
  }
  await route();
}

export async function afterLogin(next) {
  settings = await api('GET', '/api/v1/settings').catch(() => null);
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : homePath();
  navigate(target, { replace: true });
}

boot();
