// /login: Organization (tenant slug), Email, Password, Sign in; below it,
// setting a new password with a reset code an admin handed out.
import { login, resetPassword } from './api.js';
import { afterLogin } from './app.js';
import { clear, field, h } from './dom.js';

export function render(main) {
  document.title = 'Sign in · ticketd';
  const params = new URLSearchParams(location.search);
  const org = h('input', { name: 'organization', autocomplete: 'organization', required: true, autocapitalize: 'none' });
  org.value = localStorage.getItem('ticketd.organization') || '';
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card narrow', novalidate: false },
    h('h1', {}, 'Sign in'),
    field('Organization', org, 'Your organization\'s short name, e.g. acme'),
    field('Email', email),
    field('Password', password),
    error,
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      await login(org.value.trim(), email.value.trim(), password.value);
      localStorage.setItem('ticketd.organization', org.value.trim());
      await afterLogin(params.get('next'));
    } catch (e) {
      error.textContent = e.status === 401 ? 'Organization, email or password is wrong.'
        : e.status === 429 ? 'Too many attempts: wait a few minutes and try again.' : e.message;
      button.disabled = false;
      password.focus();
    }
  });
  clear(main, form, resetForm());
  (org.value ? email : org).focus();
}

function resetForm() {
  const code = h('input', { name: 'reset-code', autocomplete: 'off', required: true });
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: '10', required: true });
  const message = h('p', { role: 'status' });
  const button = h('button', { type: 'submit', class: 'secondary' }, 'Set new password');
  const form = h('form', {}, field('Reset code', code), field('New password', password, '10 characters or more'), message, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await resetPassword(code.value.trim(), password.value);
      form.reset();
      message.className = '';
      message.textContent = 'Your new password is set: sign in with it above.';
    } catch (e) {
      message.className = 'error';
      message.textContent = e.code === 'INVALID_RESET_TOKEN' ? 'This reset code is spent, expired or unknown: ask your admin for a new one.' : e.message;
    } finally {
      button.disabled = false;
    }
  });
  return h('details', { class: 'card narrow' }, h('summary', {}, 'Set a new password with a reset code'), form);
}
