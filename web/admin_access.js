// Admin sections over ACCESS.md: users and roles, permission groups,
// feature flags, API keys. Each returns false when its API is missing.
import { api, optional } from './api.js';
import { attempt, cardTable, clear, field, h, select } from './dom.js';
import { dateTime, label } from './format.js';
import { reloadSettings } from './app.js';

// Fired on document after a feature flag changed (sections that depend on one redraw).
export const SETTINGS_CHANGED = 'ticketd:settings-changed';

const ROLES = ['reporter', 'agent', 'manager', 'admin'];
const PERMISSIONS = ['tickets:create', 'tickets:manage', 'tickets:close', 'tickets:read_all', 'tickets:prioritize',
  'users:manage', 'settings:manage', 'reports:read'];
const FEATURES = ['agent_portal', 'end_user_portal', 'asset_integration', 'email_notifications', 'email_templates', 'public_api'];
const SCOPES = ['tickets:read', 'tickets:write', 'mail:inbound'];

export async function usersSection(box, { me }) {
  const out = h('div');  // a code or token shown once; kept across redraws
  const draw = async () => {
    const users = await optional('/api/v1/users');
    if (!users) return false;
    const rows = users.items.map((u) => {
      const role = select(ROLES.map((r) => [r, label(r)]), u.role, { 'aria-label': `Role of ${u.name}` });
      role.addEventListener('change', () => attempt(() => api('PATCH', `/api/v1/users/${u.id}`, { role: role.value }), `${u.name}: ${role.value}`, draw));
      const active = h('input', { type: 'checkbox', checked: u.active !== false, 'aria-label': `${u.name} active`, disabled: u.id === me.id });
      active.addEventListener('change', () => attempt(() => api('PATCH', `/api/v1/users/${u.id}`, { active: active.checked }), active.checked ? 'Activated' : 'Deactivated', draw));
      // ACCESS.md: a single-use reset code (24 h) that the user redeems on the sign-in page.
      const reset = h('button', { type: 'button', class: 'secondary', 'aria-label': `Reset password of ${u.name}`,
        onclick: async () => {
          const code = await attempt(() => api('POST', `/api/v1/users/${u.id}/password-reset`));
          if (code) clear(out, h('p', { role: 'status' }, `Reset code for ${u.name} (single use, until ${dateTime(code.expires_at)}; shown once): `,
            h('span', { class: 'secret' }, code.reset_token)));
        } }, 'Reset password');
      return h('tr', {}, h('td', {}, u.name), h('td', {}, u.email), h('td', {}, role), h('td', {}, u.department || '—'), h('td', {}, active), h('td', {}, reset));
    });
    const name = h('input', { name: 'name', required: true });
    const email = h('input', { type: 'email', name: 'email', required: true });
    const role = select(ROLES.map((r) => [r, label(r)]), 'reporter');
    const department = h('input', { name: 'department' });
    const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: '10' });
    const form = h('form', { class: 'inline' }, field('Name', name), field('Email', email), field('Role', role),
      field('Department', department), field('Password', password, '10 characters or more'), h('button', { type: 'submit' }, 'Add user'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { name: name.value.trim(), email: email.value.trim(), role: role.value };
      if (department.value.trim()) body.department = department.value.trim();
      if (password.value) body.password = password.value;
      const created = await attempt(() => api('POST', `/api/v1/tenants/${me.tenant_id}/users`, body), (u) => `Added ${u.name}`);
      if (created) {
        clear(out, h('p', { role: 'status' }, `Personal API token of ${created.name} (shown once): `, h('span', { class: 'secret' }, created.token)));
        await draw();
      }
    });
    clear(box, out, cardTable(['Name', 'Email', 'Role', 'Department', 'Active', 'Password'], rows), h('h3', {}, 'Add a user'), form);
    return true;
  };
  return draw();
}

export async function groupsSection(box) {
  const draw = async () => {
    const [groups, users] = await Promise.all([optional('/api/v1/permission-groups'), optional('/api/v1/users')]);
    if (!groups) return false;
    const names = new Map(((users && users.items) || []).map((u) => [u.id, u.name]));
    const list = groups.items.map((g) => {
      const add = select([['', 'Add a member…'], ...((users && users.items) || []).filter((u) => !g.member_ids.includes(u.id)).map((u) => [u.id, u.name])], '', { 'aria-label': `Add a member to ${g.name}` });
      add.addEventListener('change', () => add.value && attempt(() => api('PUT', `/api/v1/permission-groups/${g.id}/members/${add.value}`), 'Member added', draw));
      return h('li', {}, h('strong', {}, g.name), g.system ? ' (system)' : '', h('p', { class: 'muted' }, g.permissions.join(', ')),
        h('p', {}, 'Members: ', g.member_ids.length ? g.member_ids.map((id, i) => [i ? ', ' : '', names.get(id) || id,
          ' ', h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${names.get(id) || id} from ${g.name}`,
            onclick: () => attempt(() => api('DELETE', `/api/v1/permission-groups/${g.id}/members/${id}`), 'Member removed', draw) }, '×')]) : 'none'),
        add);
    });
    const name = h('input', { name: 'group-name', required: true });
    const checks = PERMISSIONS.map((p) => h('input', { type: 'checkbox', value: p, id: `perm-${p.replace(':', '-')}` }));
    const form = h('form', {}, field('Group name', name),
      h('fieldset', { class: 'checks' }, h('legend', {}, 'Permissions'), checks.map((c) => h('label', { for: c.id }, c, c.value))),
      h('button', { type: 'submit' }, 'Create group'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(() => api('POST', '/api/v1/permission-groups', { name: name.value.trim(), permissions: checks.filter((c) => c.checked).map((c) => c.value) }), 'Group created', draw);
    });
    clear(box, h('ul', {}, list), h('h3', {}, 'New permission group'), form);
    return true;
  };
  return draw();
}

export async function flagsSection(box) {
  const draw = async () => {
    const settings = await optional('/api/v1/settings');
    if (!settings) return false;
    const checks = FEATURES.map((f) => {
      // A feature the licence does not grant cannot be switched on (403 NOT_LICENSED): say so instead.
      const licensed = !settings.license || !settings.license.features || settings.license.features[f] !== false;
      const input = h('input', { type: 'checkbox', id: `flag-${f}`, checked: !!settings.features[f], disabled: !licensed && !settings.features[f] });
      input.addEventListener('change', () => attempt(async () => {
        await api('PATCH', '/api/v1/settings', { features: { [f]: input.checked } });
        await reloadSettings();  // the navigation follows the portal flags
        document.dispatchEvent(new CustomEvent(SETTINGS_CHANGED));
      }, `${label(f)} ${input.checked ? 'on' : 'off'}`, draw));
      return h('label', { for: input.id }, input, label(f), licensed ? '' : ' (not licensed)');
    });
    const q = settings.quotas || {};
    const u = settings.usage || {};
    clear(box, h('fieldset', { class: 'checks' }, h('legend', {}, 'Features'), checks),
      h('p', { class: 'muted' }, `Agents: ${u.agents ?? '?'} of ${q.max_agents ?? 'unlimited'} · emails this month: ${u.emails_this_month ?? '?'} of ${q.max_emails_month ?? 'unlimited'}`));
    return true;
  };
  return draw();
}

// Requests a key made in the last 30 days (GET /api/v1/api-keys/{id}/usage), or '—'.
async function usageText(key) {
  const usage = await optional(`/api/v1/api-keys/${key.id}/usage`).catch(() => null);
  if (!usage) return '—';
  const since = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
  return String(usage.items.filter((d) => d.date >= since).reduce((sum, d) => sum + d.requests, 0));
}

export async function apiKeysSection(box) {
  const draw = async (shownKey) => {
    const keys = await optional('/api/v1/api-keys');
    if (!keys) return false;
    const usage = await Promise.all(keys.items.map(usageText));
    const rows = keys.items.map((k, i) => h('tr', {}, h('td', {}, k.name), h('td', {}, k.scopes.join(', ')),
      h('td', {}, dateTime(k.last_used_at)), h('td', { 'data-field': 'usage' }, usage[i]), h('td', {}, dateTime(k.expires_at)),
      h('td', {}, h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${k.name}`,
        onclick: () => attempt(() => api('DELETE', `/api/v1/api-keys/${k.id}`), 'Key revoked', draw) }, 'Revoke'))));
    const name = h('input', { name: 'key-name', required: true });
    const expires = h('input', { type: 'date', name: 'key-expires' });
    const checks = SCOPES.map((s) => h('input', { type: 'checkbox', value: s, id: `scope-${s.replace(':', '-')}` }));
    const form = h('form', {}, h('div', { class: 'row2' }, field('Key name', name), field('Expires on', expires, 'Empty: never')),
      h('fieldset', { class: 'checks' }, h('legend', {}, 'Scopes'), checks.map((c) => h('label', { for: c.id }, c, c.value))),
      h('button', { type: 'submit' }, 'Create key'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { name: name.value.trim(), scopes: checks.filter((c) => c.checked).map((c) => c.value) };
      // The key works through the whole chosen day, in the admin's zone.
      if (expires.value) body.expires_at = new Date(`${expires.value}T23:59:59`).toISOString();
      const created = await attempt(() => api('POST', '/api/v1/api-keys', body));
      if (created) await draw(created.key);
    });
    clear(box, shownKey ? h('p', { role: 'status' }, 'New key (shown once, copy it now): ', h('span', { class: 'secret' }, shownKey)) : null,
      rows.length ? cardTable(['Name', 'Scopes', 'Last used', 'Requests (30 days)', 'Expires', ''], rows) : h('p', { class: 'muted' }, 'No keys.'),
      h('h3', {}, 'New API key'), form);
    return true;
  };
  return draw();
}
