// The gateway's HTTP API: fetch with the bearer token, JSON in and out, and its error
// shape {"error": {"code", "message", "field"}} turned into an ApiError.

const TOKEN_KEY = 'smsgw.token';

export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token lives only as long as this page.
  }
}

let currentToken = storedToken();
let onUnauthorized = null;

export function setToken(token) {
  currentToken = token || '';
}

export function token() {
  return currentToken;
}

// Called with the ApiError when a request made with the current token answers 401 (the
// token was revoked by a reload, or the gateway changed): the app goes back to sign-in.
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export class ApiError extends Error {
  constructor(status, code, message, field = null, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  // "That failed (422): to: ..." style text for the page.
  describe() {
    if (this.status === 0) return this.message;
    return `${this.message} (${this.status}${this.code ? ' ' + this.code : ''})`;
  }
}

async function readBody(response) {
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  if (!text) return null;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

// request('GET', '/api/v1/modems') -> parsed JSON; throws ApiError.
// options: {body, token (overrides the current one), headers, signal, quiet401}
export async function request(method, path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const useToken = options.token !== undefined ? options.token : currentToken;
  if (useToken) headers.Authorization = `Bearer ${useToken}`;
  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal: options.signal, cache: 'no-store' });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The gateway did not answer (network error); is it running?');
  }
  const data = await readBody(response).catch(() => null);
  if (response.ok) return data;
  const error = data && typeof data === 'object' && data.error ? data.error : null;
  const message = error && error.message ? error.message : `${response.status} ${response.statusText || 'error'}`;
  const retryAfter = response.headers.get('Retry-After');
  const failure = new ApiError(
    response.status,
    error ? error.code : '',
    message,
    error ? error.field || null : null,
    retryAfter ? Number(retryAfter) : null,
  );
  if (response.status === 401 && !options.quiet401 && options.token === undefined && onUnauthorized) {
    onUnauthorized(failure);
  }
  throw failure;
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body = {}, options = {}) => request('POST', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

// "/api/v1/messages?status=queued&to=..." from an object, leaving out empty values.
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export const segment = (value) => encodeURIComponent(value);
