// One ticket: /desk/tickets/{number} for its reporter, /tickets/{number} for
// staff and managers. Status, the history timeline, comments, attachments;
// for staff only the controls their permissions allow (Claim, Status,
// Priority, Due date, Assignee), each taking effect at once.
import { api, ApiError, can, download, me, optional } from './api.js';
import { attempt, clear, field, h, select, toast } from './dom.js';
import { PRIORITIES, TRANSITIONS, dateTime, isOverdue, label, nameMap, slaLeft } from './format.js';
import { debounce, watch } from './live.js';
import { historyItem } from './timeline.js';
import { tenantSettings } from './app.js';

const DONE = ['resolved', 'closed'];

// The statuses the caller may move this ticket to (ACCESS.md: tickets:close
// for moves to or from resolved/closed).
function statusTargets(ticket) {
  return TRANSITIONS[ticket.status].filter((to) => can('tickets:close') || (!DONE.includes(to) && !DONE.includes(ticket.status)));
}

// WORKFLOW.md closed_reopen: "allow" (default), "deny", or "within:<ISO 8601 duration>".
function reopenAllowed(ticket, closedAt) {
  const policy = tenantSettings().closed_reopen || 'allow';
  if (ticket.status !== 'closed' || policy === 'allow') return true;
  if (policy === 'deny') return false;
  const m = /^within:P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(policy);
  if (!m) return true;  // a form we do not know: let the server decide
  const ms = ((+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0)) * 1000;
  return Date.now() < new Date(closedAt || ticket.updated_at).getTime() + ms;
}

// Sets a select's options ([value, text] pairs) and value, touching the DOM
// only when they differ.
function refill(el, options, value) {
  const same = el.options.length === options.length && options.every(([v, t], i) => el.options[i].value === v && el.options[i].text === t);
  if (!same) clear(el, options.map(([v, t]) => h('option', { value: v }, t)));
  if (el.value !== value) el.value = value;
}

function localDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export async function render(main, [number], { desk }) {
  const view = { ticket: null, users: null, busy: false };
  const controlsBox = h('section', { class: 'controls', 'aria-label': 'Ticket actions' });
  const head = h('div', { class: 'ticket-head' });
  const timeline = h('ol', { class: 'timeline' });
  const comments = h('div', { class: 'comments' });
  const files = h('section', { class: 'files' });
  const composer = h('section', { class: 'composer' });
  clear(main, head, controlsBox,
    h('div', { class: 'columns' },
      h('div', {}, h('h2', {}, 'Comments'), comments, composer),
      h('div', {}, files, h('h2', {}, 'History'), timeline)));

  if (!desk && (can('tickets:manage') || can('tickets:read_all'))) {
    view.users = await optional('/api/v1/users').catch(() => null);
  }
  const names = () => {
    const map = nameMap(view.users && view.users.items);
    map.set(me().id, `${me().name} (you)`);
    return map;
  };
  const who = (id) => (id ? names().get(id) || (desk ? 'IT staff' : 'someone') : 'nobody');

  const act = async (fn, done) => {
    view.busy = true;
    await attempt(fn, done, async () => {
      view.busy = false;
      await load().catch(() => {});
    });
  };
  const id = () => view.ticket.id;

  const drawHead = (t) => {
    document.title = `${t.number} ${t.subject} · ticketd`;
    const sla = slaLeft(t);
    clear(head,
      h('p', { class: 'crumbs' }, h('a', { href: desk ? '/desk' : '/tickets' }, desk ? 'My tickets' : 'Queue'), ' › ', t.number),
      h('h1', {}, h('span', { class: 'number' }, t.number), ' ', h('span', { class: 'title' }, t.subject)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { 'data-field': 'status' }, h('span', { class: `badge status-${t.status}` }, label(t.status))),
        h('dt', {}, 'Priority'), h('dd', {}, label(t.priority)),
        h('dt', {}, 'Type'), h('dd', {}, label(t.type)),
        h('dt', {}, 'Category'), h('dd', {}, t.category || '—'),
        h('dt', {}, 'Assignee'), h('dd', { 'data-field': 'assignee' }, t.assignee_id ? who(t.assignee_id) : 'Unassigned'),
        h('dt', {}, 'Due'), h('dd', { class: isOverdue(t) ? 'overdue' : '' }, dateTime(t.due_at), isOverdue(t) ? ' (overdue)' : ''),
        t.sla ? [h('dt', {}, 'SLA'), h('dd', { class: sla.breached ? 'overdue' : '' }, sla.text)] : null,
        h('dt', {}, 'Reported'), h('dd', {}, dateTime(t.created_at))),
      h('p', { class: 'description' }, t.description));
  };

  // The controls are built once and then only updated, so that keyboard
  // focus stays where it is when the ticket changes underneath.
  const controls = {};
  const buildControls = () => {
    const parts = [];
    if (desk) {
      controls.close = h('button', { type: 'button', onclick: () => act(() => api('POST', `/api/v1/tickets/${id()}/status`, { status: 'closed' }), 'Closed') }, 'Close ticket');
      controls.reopen = h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('POST', `/api/v1/tickets/${id()}/status`, { status: 'open' }), 'Reopened') }, 'Reopen ticket');
      parts.push(controls.close, controls.reopen);
    } else {
      if (can('tickets:manage')) {
        controls.claim = h('button', { type: 'button', onclick: () => act(() => api('POST', `/api/v1/tickets/${id()}/claim`), 'Claimed') }, 'Claim');
        controls.claimBox = h('div', { class: 'field' }, controls.claim);
        parts.push(controls.claimBox);
        controls.status = h('select', { name: 'status' });
        controls.status.addEventListener('change', () => act(() => api('POST', `/api/v1/tickets/${id()}/status`, { status: controls.status.value }), `Status: ${label(controls.status.value)}`));
        parts.push(field('Status', controls.status));
      }
      if (can('tickets:prioritize')) {
        controls.priority = select(PRIORITIES.map((p) => [p, label(p)]), 'medium', { name: 'priority' });
        controls.priority.addEventListener('change', () => act(() => api('PATCH', `/api/v1/tickets/${id()}`, { priority: controls.priority.value }), `Priority: ${controls.priority.value}`));
        controls.due = h('input', { type: 'date', name: 'due' });
        controls.due.addEventListener('change', () => {
          const v = controls.due.value;
          // A due date means the end of that working day, in the reader's zone.
          const dueAt = v ? new Date(`${v}T17:00`).toISOString() : null;
          act(() => api('PATCH', `/api/v1/tickets/${id()}`, { due_at: dueAt }), 'Due date saved');
        });
        parts.push(field('Priority', controls.priority), field('Due date', controls.due));
      }
      if (can('tickets:manage')) {
        controls.assignee = h('select', { name: 'assignee' });
        controls.assignee.addEventListener('change', () => act(() => api('POST', `/api/v1/tickets/${id()}/assignment`, { assignee_id: controls.assignee.value || null }), 'Assignee saved'));
        parts.push(field('Assignee', controls.assignee));
      }
    }
    clear(controlsBox, parts);
    controlsBox.hidden = parts.length === 0;
  };
  const updateControls = (t) => {
    if (controls.close) controls.close.hidden = !(t.status === 'resolved' && t.reporter_id === me().id);
    if (controls.reopen) controls.reopen.hidden = !(DONE.includes(t.status) && t.reporter_id === me().id && reopenAllowed(t, view.closedAt));
    if (controls.claim) controls.claimBox.hidden = t.assignee_id === me().id || ['closed', 'cancelled'].includes(t.status);
    // The selects follow the ticket even while focused (refilling a select
    // keeps its focus): a stale one would offer moves from a state the ticket
    // has left. Only the date field waits while someone is typing in it.
    if (controls.status) {
      refill(controls.status, [[t.status, label(t.status)], ...statusTargets(t).map((s) => [s, label(s)])], t.status);
      controls.status.disabled = statusTargets(t).length === 0;
    }
    if (controls.priority) controls.priority.value = t.priority;
    if (controls.due && document.activeElement !== controls.due) controls.due.value = localDate(t.due_at);
    if (controls.assignee) {
      const staff = ((view.users && view.users.items) || []).filter((u) => u.role === 'agent' || u.role === 'admin' || u.department === 'IT' || u.id === t.assignee_id);
      refill(controls.assignee, [['', 'Unassigned'], ...staff.map((u) => [u.id, u.id === me().id ? `${u.name} (you)` : u.name])], t.assignee_id || '');
    }
  };

  const buildComposer = () => {
    const body = h('textarea', { name: 'comment', rows: '4' });
    const internal = can('tickets:manage') && !desk ? h('input', { type: 'checkbox', name: 'internal' }) : null;
    const attach = h('input', { type: 'file', name: 'comment-files', multiple: true, accept: 'image/*,application/pdf' });
    const button = h('button', { type: 'submit' }, 'Add comment');
    const form = h('form', {},
      field('Comment', body),
      internal ? h('div', { class: 'check' }, internal, h('label', { for: (internal.id = 'internal-note') }, 'Internal note')) : null,
      field('Attachments', attach, 'Up to 5 files'),
      button);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!body.value.trim()) return body.focus();
      button.disabled = true;
      try {
        if (attach.files.length > 0) {
          const data = new FormData();
          data.append('body', body.value);
          if (internal) data.append('internal', internal.checked ? 'true' : 'false');
          for (const f of attach.files) data.append('file', f, f.name);
          await api('POST', `/api/v1/tickets/${id()}/comments`, data);
        } else {
          await api('POST', `/api/v1/tickets/${id()}/comments`, { body: body.value, internal: internal ? internal.checked : false });
        }
        form.reset();
        toast('Comment added');
      } catch (e) {
        toast(e.message, 'error');
      } finally {
        button.disabled = false;
        await load().catch(() => {});
      }
    });
    clear(composer, form);
  };

  const drawComments = (items) => {
    if (!items.length) return clear(comments, h('p', { class: 'muted' }, 'No comments yet.'));
    clear(comments, h('ul', { class: 'comment-list' }, items.map((c) => h('li', { class: c.internal ? 'internal' : '' },
      h('p', { class: 'meta' }, h('strong', {}, who(c.author_id)), ' · ', dateTime(c.created_at), c.internal ? ' · internal note' : ''),
      h('p', { class: 'body' }, c.body)))));
  };

  const drawFiles = (list) => {
    if (!list) return clear(files);  // no attachments API here
    const items = list.items;
    clear(files, h('h2', {}, `Attached files (${items.length})`),
      items.length === 0 ? h('p', { class: 'muted' }, 'None.') : h('ul', { class: 'file-list' }, items.map((a) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: async () => {
          try {
            const url = await download(`/api/v1/attachments/${a.id}`);
            const link = h('a', { href: url, download: a.filename });
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10000);
          } catch (e) {
            toast(e.status === 403 ? 'Your role may see this file listed but not download it.' : e.message, 'error');
          }
        } }, a.filename),
        h('span', { class: 'muted' }, ` ${Math.ceil(a.size / 1024)} KB`)))));
  };

  const load = async () => {
    if (view.busy) return;
    let t;
    try {
      t = await api('GET', `/api/v1/tickets/by-number/${encodeURIComponent(number)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        clear(main, h('h1', {}, 'Not found'), h('p', {}, `There is no ticket ${number} that you may see.`));
        return;
      }
      throw e;
    }
    view.ticket = t;
    const [commentList, history, attachments] = await Promise.all([
      api('GET', `/api/v1/tickets/${t.id}/comments`),
      api('GET', `/api/v1/tickets/${t.id}/history`),
      optional(`/api/v1/tickets/${t.id}/attachments`).catch(() => null),
    ]);
    const closing = history.items.filter((i) => i.changes && i.changes.status && i.changes.status.to === 'closed').pop();
    view.closedAt = closing ? closing.at : null;
    drawHead(t);
    updateControls(t);
    drawComments(commentList.items);
    drawFiles(attachments);
    clear(timeline, history.items.slice().reverse().map((item) => historyItem(item, who)));
  };

  buildControls();
  buildComposer();
  await load();
  return watch(debounce((event) => {
    if (event.type === 'poll' || event.type === 'reconnected' || !event.ticket_id || (view.ticket && event.ticket_id === view.ticket.id))
      load().catch(() => {});
  }, 200));
}
