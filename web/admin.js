// /admin: users and roles, permission groups, catalog, SLA policies,
// ticket lifecycle, feature flags, email templates, API keys, attachment
// storage, notifications. Each section
// draws itself from its API; a section whose API answers 404 is hidden.
import { can, me } from './api.js';
import { clear, h } from './dom.js';
import { apiKeysSection, flagsSection, groupsSection, usersSection } from './admin_access.js';
import { catalogSection } from './admin_catalog.js';
import { lifecycleSection, storageSection } from './admin_settings.js';
import { notificationsSection, slaSection, templatesSection } from './admin_workflow.js';

export async function render(main) {
  document.title = 'Admin · ticketd';
  const sections = [];
  if (can('users:manage')) sections.push(['Users and roles', usersSection], ['Permission groups', groupsSection]);
  if (can('settings:manage')) {
    sections.push(['Catalog', catalogSection], ['SLA policies', slaSection], ['Ticket lifecycle', lifecycleSection],
      ['Feature flags', flagsSection], ['Email templates', templatesSection], ['API keys', apiKeysSection],
      ['Attachment storage', storageSection], ['Notifications', notificationsSection]);
  }
  // Sections that depend on the tenant's settings redraw when the flags change.
  const stop = new AbortController();
  const context = { me: me(), signal: stop.signal };
  const nav = h('nav', { class: 'toc', 'aria-label': 'Admin sections' });
  const body = h('div', { class: 'admin' });
  clear(main, h('h1', {}, 'Admin'), nav, body);
  const shown = [];
  for (const [title, draw] of sections) {
    const box = h('section', { class: 'card', id: title.toLowerCase().replace(/\W+/g, '-'), 'aria-labelledby': `${title}-h`.replace(/\W+/g, '-') });
    const heading = h('h2', { id: box.getAttribute('aria-labelledby') }, title);
    const content = h('div');
    box.append(heading, content);
    body.append(box);
    const ok = await draw(content, context).catch((e) => {
      clear(content, h('p', { class: 'error' }, e.message));
      return true;
    });
    if (ok === false) box.remove();  // its API is not there
    else shown.push(h('a', { href: `#${box.id}` }, title));
  }
  clear(nav, shown.flatMap((a, i) => (i ? [' · ', a] : [a])));
  return () => stop.abort();
}
