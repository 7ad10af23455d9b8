// /desk/new: Group -> Category -> Subcategory (each narrowing the next),
// Title, Description, Priority, Type, Attachments (up to 5), Submit.
// The catalog comes from GET /api/v1/groups; without it, the categories
// are free names (the ticket's `category`).
import { api, optional } from './api.js';
import { clear, field, h, select } from './dom.js';
import { PRIORITIES, TYPES, label } from './format.js';

const MAX_FILES = 5;
const FALLBACK_CATEGORIES = ['Hardware', 'Software', 'Network', 'Account', 'Other'];

export async function render(main, _params, { navigate }) {
  document.title = 'Report an issue · ticketd';
  const catalog = await optional('/api/v1/groups');
  const groups = catalog ? catalog.items : null;

  const group = h('select', { name: 'group' });
  const category = h('select', { name: 'category' });
  const subcategory = h('select', { name: 'subcategory' });
  const fill = (el, items, emptyText) => {
    clear(el, h('option', { value: '' }, emptyText), items.map((i) => h('option', { value: i.id }, i.name)));
    el.disabled = items.length === 0;
  };
  const chosen = (items, id) => (items || []).find((i) => i.id === id);
  const narrow = () => {
    const g = chosen(groups, group.value);
    fill(category, g ? g.categories : [], g ? 'Choose a category' : 'Choose a group first');
    narrowSub();
  };
  const narrowSub = () => {
    const g = chosen(groups, group.value);
    const c = g && chosen(g.categories, category.value);
    fill(subcategory, c ? c.subcategories : [], c ? (c.subcategories.length ? 'Choose a subcategory' : 'None') : 'Choose a category first');
  };
  if (groups) {
    fill(group, groups, 'Choose a group');
    if (groups.length === 1) group.value = groups[0].id;
    group.addEventListener('change', narrow);
    category.addEventListener('change', narrowSub);
    narrow();
  } else {
    clear(group, h('option', { value: '' }, 'IT'));
    group.disabled = true;
    clear(category, h('option', { value: '' }, 'Choose a category'), FALLBACK_CATEGORIES.map((c) => h('option', { value: c }, c)));
    clear(subcategory, h('option', { value: '' }, 'None'));
    subcategory.disabled = true;
  }

  const title = h('input', { name: 'title', required: true, maxlength: '200', autocomplete: 'off' });
  const description = h('textarea', { name: 'description', required: true, rows: '6' });
  const priority = select(PRIORITIES.map((p) => [p, label(p)]), 'medium', { name: 'priority' });
  const type = select(TYPES.map((t) => [t, label(t)]), 'incident', { name: 'type' });
  const files = h('input', { type: 'file', name: 'attachments', multiple: true,
    accept: 'image/png,image/jpeg,image/gif,image/webp,image/heic,application/pdf' });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Submit');
  const form = h('form', { class: 'card' },
    h('h1', {}, 'Report an issue'),
    h('div', { class: 'row3' }, field('Group', group), field('Category', category), field('Subcategory', subcategory)),
    field('Title', title),
    field('Description', description),
    h('div', { class: 'row2' }, field('Priority', priority), field('Type', type)),
    field('Attachments', files, `Screenshots or PDFs, up to ${MAX_FILES} files of 5 MiB each`),
    error, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!title.value.trim() || !description.value.trim()) {
      error.textContent = 'Please give a title and a description.';
      (title.value.trim() ? description : title).focus();
      return;
    }
    if (files.files.length > MAX_FILES) {
      error.textContent = `At most ${MAX_FILES} files, please.`;
      return files.focus();
    }
    const body = { subject: title.value.trim(), description: description.value, priority: priority.value, type: type.value };
    if (groups) {
      if (group.value) body.group_id = group.value;
      if (category.value) body.category_id = category.value;
      if (subcategory.value) body.subcategory_id = subcategory.value;
    } else if (category.value) {
      body.category = category.value;
    }
    submit.disabled = true;
    try {
      let ticket;
      if (files.files.length > 0) {
        // One request: the ticket and its files stand or fall together.
        const data = new FormData();
        for (const [k, v] of Object.entries(body)) data.append(k, v);
        for (const file of files.files) data.append('file', file, file.name);
        ticket = await api('POST', '/api/v1/tickets', data);
      } else {
        ticket = await api('POST', '/api/v1/tickets', body);
      }
      navigate(`/desk/tickets/${encodeURIComponent(ticket.number)}`, { replace: true });
    } catch (e) {
      const d = e.details || {};
      error.textContent = d.filename ? `${d.filename}: ${e.message}` : e.message;
      submit.disabled = false;
    }
  });
  clear(main, form);
  title.focus();
}
