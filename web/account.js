// The signed-in user's own account, opened from their name in the navigation
// on every page: change the password (PUT /api/v1/users/me/password). A
// modal <dialog>, so focus stays inside it and Escape closes it.
import { api, me } from './api.js';
import { field, h } from './dom.js';

export function openAccount() {
  const current = h('input', { type: 'password', name: 'current-password', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: '10', required: true });
  const message = h('p', { role: 'status' });
  const save = h('button', { type: 'submit' }, 'Change password');
  const close = h('button', { type: 'button', class: 'secondary' }, 'Close');
  const form = h('form', { method: 'dialog' },
    h('h2', {}, `${me().name} · ${me().email}`),
    field('Current password', current, 'Leave empty if you have never set one'),
    field('New password', next, '10 characters or more'),
    message, h('div', { class: 'pager' }, save, close));
  const dialog = h('dialog', { class: 'card narrow', 'aria-label': 'Your account' }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const body = { new_password: next.value };
      if (current.value) body.current_password = current.value;
      await api('PUT', '/api/v1/users/me/password', body);
      form.reset();
      message.className = '';
      message.textContent = 'Your password is changed.';
    } catch (e) {
      message.className = 'error';
      message.textContent = e.status === 401 ? 'The current password is wrong.'
        : e.details && e.details.field === 'current_password' ? 'Please give your current password.' : e.message;
    } finally {
      save.disabled = false;
    }
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  current.focus();
}
