// What the page knows (the caller, the modems, the stats) and a tiny publish/subscribe
// so the views follow the live stream.

import * as api from './api.js';

export const state = {
  info: null, // GET /api/v1/info
  scopes: new Set(),
  modems: new Map(), // id -> Modem, in the gateway's order
  stats: null, // GET /api/v1/stats or the latest `stats` event
};

const listeners = new Map();

export function on(topic, fn) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(fn);
  return () => listeners.get(topic).delete(fn);
}

export function emit(topic, data) {
  for (const fn of listeners.get(topic) || []) {
    try {
      fn(data);
    } catch (e) {
      console.error(`smsgw: listener of ${topic}`, e);
    }
  }
}

// Whether the caller may do what `scope` guards (admin includes every scope).
export function can(scope) {
  return state.scopes.has('admin') || state.scopes.has(scope);
}

export function setInfo(info) {
  state.info = info;
  state.scopes = new Set((info && info.caller && info.caller.scopes) || []);
}

// ---- events received while a list was being fetched ----
// A list fetched over HTTP may be older than an event that arrived meanwhile; a loader
// notes mark() before its request and replays since(mark) on the fresh list.

let seq = 0;
const recent = []; // {seq, type, data}, the newest 1000

export function record(type, data) {
  seq += 1;
  recent.push({ seq, type, data });
  if (recent.length > 1000) recent.splice(0, recent.length - 1000);
}

export function mark() {
  return seq;
}

export function since(markValue, type) {
  return recent.filter((e) => e.seq > markValue && e.type === type).map((e) => e.data);
}

// ---- modems and stats ----

let modemsLoading = null;

export function loadModems() {
  if (!can('modems')) return Promise.resolve();
  if (modemsLoading) return modemsLoading;
  const start = mark();
  modemsLoading = api
    .get('/api/v1/modems')
    .then((list) => {
      state.modems = new Map((list || []).map((m) => [m.id, m]));
      for (const m of since(start, 'modem')) if (m && m.id) state.modems.set(m.id, m);
      for (const b of since(start, 'balance')) applyBalance(b);
      emit('modems', state.modems);
    })
    .finally(() => {
      modemsLoading = null;
    });
  return modemsLoading;
}

export function updateModem(modem) {
  if (!modem || !modem.id) return;
  state.modems.set(modem.id, modem);
  emit('modem', modem);
}

// A BalanceResult (POST .../balance or a `balance` event) into the modem's balance.
export function applyBalance(result) {
  if (!result || !result.modem) return false;
  const modem = state.modems.get(result.modem);
  if (!modem || result.error || !result.checked_at) return false;
  modem.balance = { amount: result.amount, currency: result.currency, raw: result.raw, checked_at: result.checked_at };
  return true;
}

export function loadStats() {
  if (!can('read')) return Promise.resolve();
  return api.get('/api/v1/stats').then((stats) => setStats(stats));
}

export function setStats(stats) {
  if (!stats) return;
  state.stats = stats;
  emit('stats', stats);
}
