// Admin: the service catalog (WORKFLOW.md): groups with their team and
// assignment mode, categories, subcategories. Hidden while GET /api/v1/groups
// answers 404.
import { api, optional } from './api.js';
import { attempt, clear, field, h, select } from './dom.js';
import { label } from './format.js';

const MODES = ['manual', 'round_robin', 'least_loaded'];

function addForm(labelText, buttonText, onAdd) {
  const name = h('input', { required: true, autocomplete: 'off' });
  const form = h('form', { class: 'inline' }, field(labelText, name), h('button', { type: 'submit' }, buttonText));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (name.value.trim()) onAdd(name.value.trim());
  });
  return form;
}

// Who can be on a team: the users holding tickets:manage by role or department
// (the server also checks permission groups when it assigns).
function staffOf(users) {
  return users.filter((u) => u.active !== false && (u.role === 'agent' || u.role === 'admin' || u.department === 'IT'));
}

export async function catalogSection(box) {
  const draw = async () => {
    const [groups, users] = await Promise.all([optional('/api/v1/groups'), optional('/api/v1/users').catch(() => null)]);
    if (!groups) return false;
    const people = (users && users.items) || [];
    const names = new Map(people.map((u) => [u.id, u.name]));
    const archive = (path, name) => h('button', { type: 'button', class: 'link', 'aria-label': `Archive ${name}`,
      onclick: () => attempt(() => api('DELETE', path), `${name} archived`, draw) }, 'archive');
    const patchGroup = (g, body, done) => attempt(() => api('PATCH', `/api/v1/groups/${g.id}`, body), done, draw);

    const teamOf = (g) => {
      const mode = select(MODES.map((m) => [m, label(m)]), g.assignment || 'manual', { 'aria-label': `Assignment of ${g.name}` });
      mode.addEventListener('change', () => patchGroup(g, { assignment: mode.value }, `${g.name}: ${label(mode.value)}`));
      const add = select([['', 'Add to the team…'], ...staffOf(people).filter((u) => !g.team_ids.includes(u.id)).map((u) => [u.id, u.name])], '',
        { 'aria-label': `Add to the team of ${g.name}` });
      add.addEventListener('change', () => add.value && patchGroup(g, { team_ids: [...g.team_ids, add.value] }, 'Team member added'));
      const members = g.team_ids.map((id, i) => [i ? ', ' : '', names.get(id) || id, ' ',
        h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${names.get(id) || id} from the team of ${g.name}`,
          onclick: () => patchGroup(g, { team_ids: g.team_ids.filter((t) => t !== id) }, 'Team member removed') }, '×')]);
      return h('div', { class: 'team' }, h('p', {}, 'Team: ', members.length ? members : 'nobody'), h('div', { class: 'row2' }, mode, add));
    };

    clear(box, h('ul', { class: 'catalog' }, groups.items.map((g) => h('li', {},
      h('strong', {}, g.name), ' ', archive(`/api/v1/groups/${g.id}`, g.name),
      g.description ? h('p', { class: 'muted' }, g.description) : null,
      teamOf(g),
      h('ul', {}, g.categories.map((c) => h('li', {}, c.name, ' ', archive(`/api/v1/categories/${c.id}`, c.name),
        c.subcategories.length ? h('ul', {}, c.subcategories.map((s) => h('li', {}, s.name, ' ', archive(`/api/v1/subcategories/${s.id}`, s.name)))) : null,
        addForm(`New subcategory of ${c.name}`, 'Add subcategory', (name) => attempt(() => api('POST', `/api/v1/categories/${c.id}/subcategories`, { name }), 'Added', draw))))),
      addForm(`New category in ${g.name}`, 'Add category', (name) => attempt(() => api('POST', `/api/v1/groups/${g.id}/categories`, { name }), 'Added', draw))))),
    addForm('New group', 'Add group', (name) => attempt(() => api('POST', '/api/v1/groups', { name }), 'Added', draw)));
    return true;
  };
  return draw();
}
