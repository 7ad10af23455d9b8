// The /api/v1 client and the session. The access token lives only in this
// module's memory; the refresh token is an HttpOnly cookie that JS never
// sees. A page load (or an expiring access token) trades the cookie for a
// new pair at POST /api/v1/auth/refresh. Refreshes are serialised across the
// browser's tabs (Web Locks), because presenting a spent refresh token
// revokes the whole session.
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || '';
    this.details = error.details || {};
  }
}

const state = { access: null, expiresAt: 0, me: null, timer: null, refreshing: null };

export function me() {
  return state.me;
}

export function accessToken() {
  return state.access;
}

export function can(permission) {
  return !!state.me && state.me.permissions.includes(permission);
}

function adopt(pair) {
  state.access = pair.access_token;
  state.expiresAt = Date.now() + pair.expires_in * 1000;
  clearTimeout(state.timer);
  // Renew a minute early, so that a request never carries an expired token.
  const renewIn = Math.max(10, pair.expires_in - 60) * 1000;
  state.timer = setTimeout(() => refresh().catch(() => {}), renewIn);
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = response.status === 204 ? '' : await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

async function refreshOnce() {
  const pair = await send('POST', '/api/v1/auth/refresh');
  adopt(pair);
  return pair;
}

// One refresh at a time, in this tab and (where supported) across tabs.
export function refresh() {
  if (!state.refreshing) {
    const run = navigator.locks ? navigator.locks.request('ticketd-refresh', refreshOnce) : refreshOnce();
    state.refreshing = run.finally(() => {
      state.refreshing = null;
    });
  }
  return state.refreshing;
}

// Page load: the cookie gives a session, or there is none (null).
export async function restore() {
  try {
    await refresh();
    state.me = await api('GET', '/api/v1/users/me');
    return state.me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function login(tenant, email, password) {
  const answer = await send('POST', '/api/v1/auth/login', { tenant, email, password });
  adopt(answer);
  state.me = answer.user;
  return answer.user;
}

// A reset code from an admin (ACCESS.md) sets a new password; no session needed.
export async function resetPassword(resetToken, newPassword) {
  await send('POST', '/api/v1/auth/reset', { reset_token: resetToken, new_password: newPassword });
}

export async function logout() {
  try {
    await api('POST', '/api/v1/auth/logout');
  } finally {
    state.access = null;
    state.me = null;
    clearTimeout(state.timer);
  }
}

// An API call with the access token; one refresh and retry on a 401.
export async function api(method, path, body) {
  if (!state.access || Date.now() > state.expiresAt - 5000) await refresh();
  try {
    return await send(method, path, body, state.access);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || error.code === 'INVALID_CREDENTIALS') throw error;
    await refresh();
    return send(method, path, body, state.access);
  }
}

// An API read that answers null when the route does not exist (404) or the
// feature is not there: a section whose API is missing is hidden.
export async function optional(path) {
  try {
    return await api('GET', path);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
}

// Bytes behind the bearer token (attachments), as an object URL.
export async function download(path) {
  if (!state.access) await refresh();
  const response = await fetch(path, { headers: { Authorization: `Bearer ${state.access}` } });
  if (!response.ok) throw new ApiError(response.status, null);
  return URL.createObjectURL(await response.blob());
}
