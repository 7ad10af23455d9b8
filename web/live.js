// Live updates: GET /api/v1/stream (server-sent events) read with fetch(),
// because EventSource cannot send the Authorization header. Resumes with
// Last-Event-ID; reconnects with a fresh token when the server closes the
// stream (it does when the access token expires). While the route does not
// exist (404) or cannot be reached, it polls every 1.5 s instead (so that a change shows within 2 s).
import { accessToken, refresh } from './api.js';

const POLL_MS = 1500;  // + debounce + fetch: within the contract's 2 s

// Calls onChange(event) for every event (or poll tick), debounced by the
// caller. Returns a function that stops it.
export function watch(onChange) {
  let stopped = false;
  let lastId = null;
  let controller = null;
  let pollTimer = null;

  const poll = () => {
    if (stopped) return;
    document.body.dataset.live = 'poll';
    onChange({ type: 'poll' });
    pollTimer = setTimeout(poll, POLL_MS);
  };

  const dispatch = (block) => {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;  // heartbeat / comment
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (name === 'id') id = value;
      else if (name === 'event') type = value;
      else if (name === 'data') data.push(value);
    }
    if (id !== null) lastId = id;
    if (data.length === 0) return;
    let payload = {};
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      payload = {};
    }
    onChange({ type, ...payload });
  };

  const connect = async (attempt) => {
    if (stopped) return;
    controller = new AbortController();
    let response;
    try {
      if (!accessToken()) await refresh();
      const headers = { Authorization: `Bearer ${accessToken()}`, Accept: 'text/event-stream' };
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      response = await fetch('/api/v1/stream', { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      if (!stopped) setTimeout(() => connect(attempt + 1), Math.min(10000, 500 * 2 ** attempt));
      if (!pollTimer) poll();
      return;
    }
    if (response.status === 401) {
      await refresh().catch(() => {});
      return setTimeout(() => connect(attempt + 1), 200);
    }
    if (!response.ok || !response.body) {
      if (!pollTimer) poll();  // no stream here (yet): poll
      if (response.status !== 404 && response.status !== 405)
        setTimeout(() => connect(attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
      return;
    }
    clearTimeout(pollTimer);
    pollTimer = null;
    document.body.dataset.live = 'stream';
    // Caught up after a reconnect: whatever changed meanwhile is refetched.
    if (attempt > 0) onChange({ type: 'reconnected' });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted or cut: reconnect below
    }
    if (!stopped) setTimeout(() => connect(1), 100);
  };

  connect(0);
  return () => {
    stopped = true;
    clearTimeout(pollTimer);
    if (controller) controller.abort();
  };
}

// fn runs at most once per `ms`, trailing.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
