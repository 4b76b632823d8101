// Small DOM and formatting helpers shared by the views. Text always goes in as text
// (textContent), never as HTML: message texts and error messages come from outside.

// h('div', {class: 'x', dataset: {field: 'to'}, onclick: fn}, 'text', child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = v;
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      el.textContent = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Updates `list` to show `items` (objects with an id) in order, keeping the element of
// each id that stays: no flicker, and keyboard focus survives the list changing around it.
// key: the dataset key holding the id; empty: the element shown when there are no items;
// create(item) makes an element, fill(element, item) brings it up to date.
export function reconcile(list, items, key, empty, create, fill) {
  const existing = new Map();
  for (const el of Array.from(list.children)) {
    if (el.dataset[key]) existing.set(el.dataset[key], el);
    else el.remove();
  }
  const wanted = new Set(items.map((item) => item.id));
  for (const [id, el] of existing) if (!wanted.has(id)) el.remove();
  items.forEach((item, index) => {
    const el = existing.get(item.id) || create(item);
    fill(el, item);
    if (list.children[index] !== el) list.insertBefore(el, list.children[index] || null);
  });
  if (items.length === 0) list.append(empty);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

// Sets text only when it changed (keeps screen readers and selection calm).
export function setText(el, text) {
  const value = text === undefined || text === null ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

// ---- times (shown in the browser's local time) ----

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function parseTime(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

// "14:03:22" today, "5 Dec, 14:03" on another day.
export function shortTime(iso) {
  const date = parseTime(iso);
  if (!date) return '';
  const now = new Date();
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

export function fullTime(iso) {
  const date = parseTime(iso);
  return date ? fullFormat.format(date) : '';
}

// A <time> element with the local short form and the full form as its tooltip.
export function timeEl(iso, attrs = {}) {
  if (!iso) return h('span', { class: 'muted', ...attrs }, '—');
  return h('time', { datetime: iso, title: fullTime(iso), ...attrs }, shortTime(iso));
}

export function ago(iso) {
  const date = parseTime(iso);
  if (!date) return '';
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

// ---- status chips: a colour and always the word ----

const MESSAGE_STATUS = {
  queued: ['Queued', 'neutral'],
  sending: ['Sending', 'info'],
  sent: ['Sent', 'info'],
  delivered: ['Delivered', 'ok'],
  failed: ['Failed', 'bad'],
  expired: ['Expired', 'warn'],
  cancelled: ['Cancelled', 'idle'],
  unknown: ['Unknown', 'warn'],
};

export const MESSAGE_STATUSES = Object.keys(MESSAGE_STATUS);

export function statusLabel(status) {
  return (MESSAGE_STATUS[status] || [status || '?'])[0];
}

// <span class="chip" data-field="status" data-status="sent">Sent</span>
export function statusChip(status) {
  const chip = h('span', { class: 'chip', dataset: { field: 'status' } });
  updateStatusChip(chip, status);
  return chip;
}

export function updateStatusChip(chip, status) {
  const [label, tone] = MESSAGE_STATUS[status] || [status || '?', 'neutral'];
  if (chip.dataset.status !== status) chip.dataset.status = status;
  chip.className = `chip tone-${tone}`;
  setText(chip, label);
}

const MODEM_STATE = {
  absent: ['Absent', 'idle'],
  opening: ['Opening', 'warn'],
  initialising: ['Initialising', 'warn'],
  ready: ['Ready', 'ok'],
  sending: ['Sending', 'info'],
  backoff: ['Backing off', 'bad'],
};

// The colour of a modem: its state's, amber when it is up but paused.
export function modemTone(state, paused) {
  const tone = (MODEM_STATE[state] || [null, 'neutral'])[1];
  return paused && (state === 'ready' || state === 'sending') ? 'warn' : tone;
}

export function updateStateChip(chip, state, paused) {
  const label = (MODEM_STATE[state] || [state || '?'])[0];
  const tone = modemTone(state, paused);
  if (chip.dataset.state !== state) chip.dataset.state = state;
  chip.className = `chip tone-${tone}`;
  const pausedUp = Boolean(paused) && (state === 'ready' || state === 'sending');
  setText(chip, pausedUp ? `${label} · paused` : label);
}

export const PAUSE_REASON = {
  manual: 'Paused by hand',
  disabled: 'Disabled in the configuration',
  low_balance: 'Paused: balance too low',
  benched: 'Benched after repeated failures',
};

// ---- signal: bars and dBm ----

// 0-4 bars from +CSQ (0-31, 99 unknown), as phones show it.
export function signalBars(csq) {
  if (csq === null || csq === undefined || csq === 99 || csq <= 0) return 0;
  if (csq < 10) return 1;
  if (csq < 15) return 2;
  if (csq < 20) return 3;
  return 4;
}

export function signalEl(signal) {
  const csq = signal ? signal.csq : null;
  const dbm = signal ? signal.dbm : null;
  const bars = signalBars(csq);
  const known = csq !== null && csq !== undefined && csq !== 99;
  const label = known ? `${dbm ?? '?'} dBm` : 'no signal';
  const icon = svg('svg', { class: 'bars', viewBox: '0 0 20 16', width: 20, height: 16, 'aria-hidden': 'true' });
  for (let i = 0; i < 4; i += 1) {
    icon.append(svg('rect', { x: i * 5, y: 12 - i * 4, width: 3.5, height: 4 + i * 4, rx: 0.8, class: i < bars ? 'on' : 'off' }));
  }
  return h(
    'span',
    { class: 'signal', title: known ? `CSQ ${csq}` : 'Signal unknown', 'aria-label': `Signal ${bars} of 4 bars, ${label}` },
    icon,
    h('span', {}, label),
  );
}

// "12.34 EUR" from a balance (amount may be null: then the raw reply).
export function balanceText(balance) {
  if (!balance) return 'not checked';
  if (balance.amount === null || balance.amount === undefined) return balance.raw || '?';
  const amount = Number(balance.amount).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount} ${balance.currency || ''}`.trim();
}

export function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

// ---- notices ----

let noticeTimer = null;

// A short message at the bottom of the screen (role=status); kind: info | error.
export function notify(text, kind = 'info') {
  const box = document.getElementById('notice');
  if (!box) return;
  box.className = `notice notice-${kind}`;
  box.textContent = text;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    box.hidden = true;
  }, kind === 'error' ? 8000 : 4000);
}

export function errorText(error) {
  if (error && typeof error.describe === 'function') return error.describe();
  return error && error.message ? error.message : String(error);
}
