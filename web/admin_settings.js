// Admin: the tenant's ticket lifecycle settings (WORKFLOW.md: auto-close of
// resolved tickets, reopening closed ones) and the attachment storage figures
// (ATTACHMENTS.md). Each is hidden while its API is not there.
import { api, optional } from './api.js';
import { attempt, clear, field, h, select } from './dom.js';
import { reloadSettings } from './app.js';

export async function lifecycleSection(box) {
  const draw = async () => {
    const settings = await optional('/api/v1/settings');
    if (!settings || !('closed_reopen' in settings)) return false;
    const autoClose = h('input', { value: settings.auto_close_resolved_after || '', placeholder: 'P7D' });
    const policy = settings.closed_reopen || 'allow';
    const within = policy.startsWith('within:');
    const reopen = select([['allow', 'Allowed'], ['deny', 'Never (closed is final)'], ['within', 'Within a time after closing']],
      within ? 'within' : policy);
    const window = h('input', { value: within ? policy.slice('within:'.length) : 'P14D' });
    const windowField = field('Reopen window (ISO 8601)', window);
    windowField.hidden = !within;
    reopen.addEventListener('change', () => { windowField.hidden = reopen.value !== 'within'; });
    const form = h('form', {},
      field('Close resolved tickets after (ISO 8601)', autoClose, 'A duration such as P7D; empty: never'),
      h('div', { class: 'row2' }, field('Reopening closed tickets', reopen), windowField),
      h('button', { type: 'submit' }, 'Save lifecycle'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = {
        auto_close_resolved_after: autoClose.value.trim() || null,
        closed_reopen: reopen.value === 'within' ? `within:${window.value.trim()}` : reopen.value,
      };
      attempt(async () => {
        await api('PATCH', '/api/v1/settings', body);
        await reloadSettings();  // the ticket pages read closed_reopen
      }, 'Lifecycle saved', draw);
    });
    clear(box, form);
    return true;
  };
  return draw();
}

export async function storageSection(box) {
  const storage = await optional('/api/v1/admin/storage');
  if (!storage) return false;
  const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
  clear(box, h('dl', { class: 'facts' },
    h('dt', {}, 'Attachments'), h('dd', {}, String(storage.attachments)),
    h('dt', {}, 'Distinct files'), h('dd', {}, String(storage.blobs)),
    h('dt', {}, 'Stored'), h('dd', {}, mib(storage.blob_bytes))));
  return true;
}
