// The first screen: every modem as a tile, the latest messages and the latest received
// ones, all following the live stream.

import * as api from './api.js';
import { state, on, can, mark, since } from './state.js';
import {
  h, $, clear, setText, statusChip, updateStatusChip, updateStateChip, modemTone, signalEl,
  balanceText, timeEl, statusLabel, MESSAGE_STATUSES, PAUSE_REASON, errorText, reconcile,
} from './util.js';

const LATEST = 10;
const LATEST_INBOUND = 6;

let tilesEl;
let messagesEl;
let inboxEl;
let countsEl;
const latest = new Map(); // id -> {id, to, status, modem, parts, at, text}
const latestInbound = new Map();
let refreshTimer = null;

export function init() {
  tilesEl = $('#overview-modems');
  messagesEl = $('#overview-messages');
  inboxEl = $('#overview-inbox');
  countsEl = $('#overview-counts');
  on('modems', renderTiles);
  on('modem', updateTile);
  on('stats', renderCounts);
  on('message', onMessageEvent);
  on('submitted', onSubmitted);
  on('inbound', onInbound);
  on('reset', load);
}

export function load() {
  loadLatest();
  loadLatestInbound();
}

// ---- modems ----

function renderTiles() {
  if (!can('modems')) {
    clear(tilesEl).append(h('li', { class: 'empty' }, 'This token may not see the modems (scope modems).'));
    return;
  }
  reconcile(tilesEl, Array.from(state.modems.values()), 'modemId',
    h('li', { class: 'empty' }, 'No modems found. Check the [[modem]] port globs.'), buildTile, fillTile);
  summarise();
}

function buildTile(modem) {
  const tile = h(
    'li',
    { class: 'tile', dataset: { testid: 'modem-tile', modemId: modem.id } },
    h('div', { class: 'tile-head' },
      h('a', { class: 'tile-id', href: '#/modems' }, modem.id),
      h('span', { class: 'chip', dataset: { field: 'state' } })),
    h('div', { dataset: { field: 'operator' } }),
    h('div', { class: 'tile-meta' },
      h('span', { dataset: { field: 'signal' } }),
      h('span', { dataset: { field: 'queue' } }),
      h('span', { dataset: { field: 'balance' } })),
    h('div', { class: 'small', dataset: { field: 'paused' } }),
  );
  fillTile(tile, modem);
  return tile;
}

function fillTile(tile, modem) {
  const tone = modemTone(modem.state, modem.paused);
  tile.className = `tile edge-${tone}`;
  tile.dataset.paused = modem.paused || '';
  updateStateChip(tile.querySelector('[data-field=state]'), modem.state, modem.paused);
  setText(tile.querySelector('[data-field=operator]'), operatorName(modem));
  const signal = tile.querySelector('[data-field=signal]');
  clear(signal).append(signalEl(modem.signal));
  setText(tile.querySelector('[data-field=queue]'), `Queue ${modem.queue ?? 0}`);
  setText(tile.querySelector('[data-field=balance]'), modem.balance ? balanceText(modem.balance) : '');
  const paused = tile.querySelector('[data-field=paused]');
  setText(paused, modem.paused ? PAUSE_REASON[modem.paused] || `Paused (${modem.paused})` : '');
  paused.hidden = !modem.paused;
}

export function operatorName(modem) {
  const op = modem.operator;
  if (!op) return 'Unknown operator';
  if (op.name && op.mccmnc) return `${op.name} (${op.mccmnc})`;
  return op.name || op.mccmnc || 'Unknown operator';
}

function updateTile(modem) {
  const tile = tilesEl.querySelector(`[data-testid=modem-tile][data-modem-id="${CSS.escape(modem.id)}"]`);
  if (tile) fillTile(tile, modem);
  else renderTiles();
  summarise();
}

function summarise() {
  const all = Array.from(state.modems.values());
  const up = all.filter((m) => m.state === 'ready' || m.state === 'sending').length;
  const paused = all.filter((m) => m.paused).length;
  setText($('#overview-modem-summary'), all.length ? `${up} of ${all.length} in service${paused ? `, ${paused} paused` : ''}` : '');
}

// ---- latest messages ----

async function loadLatest() {
  if (!can('read')) {
    clear(messagesEl).append(h('li', { class: 'empty' }, 'This token may not read messages (scope read).'));
    return;
  }
  const start = mark();
  try {
    const page = await api.get(api.withQuery('/api/v1/messages', { limit: LATEST }));
    latest.clear();
    for (const m of page.messages || []) {
      latest.set(m.id, { id: m.id, to: m.to, status: m.status, modem: m.modem, parts: (m.parts || []).length, at: m.created_at, text: m.text });
    }
    for (const e of since(start, 'message')) applyMessage(e);
    renderLatest();
  } catch (e) {
    clear(messagesEl).append(h('li', { class: 'form-error' }, `Could not load messages: ${errorText(e)}`));
  }
}

function applyMessage(e) {
  const known = latest.get(e.id);
  if (known) {
    known.status = e.status;
    if (e.modem) known.modem = e.modem;
    if (e.to) known.to = e.to;
    return true;
  }
  // Newer than the oldest shown (ids sort by time), or the list is not full.
  const ids = Array.from(latest.keys()).sort();
  if (latest.size >= LATEST && ids.length && e.id < ids[0]) return false;
  latest.set(e.id, {
    id: e.id, to: e.to, status: e.status, modem: e.modem,
    parts: typeof e.parts === 'number' ? e.parts : null, at: e.at, text: e.text,
  });
  return true;
}

function onMessageEvent(e) {
  if (!e || !e.id || !can('read')) return;
  const row = messagesEl.querySelector(`[data-message-id="${CSS.escape(e.id)}"]`);
  if (row && latest.has(e.id)) {
    applyMessage(e);
    updateStatusChip(row.querySelector('[data-field=status]'), e.status);
    if (e.to) setText(row.querySelector('[data-field=to]'), e.to);
    return;
  }
  if (applyMessage(e)) {
    renderLatest();
    // An event does not carry the text: fetch the list again soon (at most once a second).
    if (!refreshTimer) {
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        loadLatest();
      }, 1000);
    }
  }
}

// A message this page just submitted (the 202 answer): shown at once, unless an event
// about it came first (that one knows more).
function onSubmitted(m) {
  if (!m || !m.id || !can('read') || latest.has(m.id)) return;
  if (applyMessage(m)) renderLatest();
}

function renderLatest() {
  const items = Array.from(latest.values()).sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, LATEST);
  for (const id of Array.from(latest.keys())) if (!items.some((m) => m.id === id)) latest.delete(id);
  reconcile(messagesEl, items, 'messageId', h('li', { class: 'empty' }, 'No messages yet.'), messageRow, fillMessageRow);
}

function messageRow(m) {
  return h('li', { dataset: { testid: 'message-row', messageId: m.id } },
    h('a', { class: 'line-main', href: `#/messages/${encodeURIComponent(m.id)}`, dataset: { field: 'to' } }),
    statusChip(m.status),
    h('div', { class: 'line-sub' }));
}

function fillMessageRow(li, m) {
  setText(li.querySelector('[data-field=to]'), m.to || '?');
  updateStatusChip(li.querySelector('[data-field=status]'), m.status);
  const sub = [];
  if (typeof m.parts === 'number') sub.push(m.parts === 1 ? '1 part' : `${m.parts} parts`);
  if (m.modem) sub.push(m.modem);
  if (m.text) sub.push(m.text);
  const line = li.querySelector('.line-sub');
  const key = `${m.at}|${sub.join('|')}`;
  if (line.dataset.key !== key) {
    line.dataset.key = key;
    clear(line).append(timeEl(m.at), sub.length ? ` · ${sub.join(' · ')}` : '');
  }
}

// ---- latest received ----

async function loadLatestInbound() {
  if (!can('read')) {
    clear(inboxEl).append(h('li', { class: 'empty' }, 'This token may not read the inbox (scope read).'));
    return;
  }
  const start = mark();
  try {
    const page = await api.get(api.withQuery('/api/v1/inbox', { limit: LATEST_INBOUND }));
    latestInbound.clear();
    for (const m of page.messages || []) latestInbound.set(m.id, m);
    for (const m of since(start, 'inbound')) latestInbound.set(m.id, m);
    renderInbound();
  } catch (e) {
    clear(inboxEl).append(h('li', { class: 'form-error' }, `Could not load the inbox: ${errorText(e)}`));
  }
}

function onInbound(m) {
  if (!m || !m.id || latestInbound.has(m.id)) return;
  latestInbound.set(m.id, m);
  renderInbound();
}

function renderInbound() {
  const items = Array.from(latestInbound.values())
    .sort((a, b) => (a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : a.id < b.id ? 1 : -1))
    .slice(0, LATEST_INBOUND);
  for (const id of Array.from(latestInbound.keys())) if (!items.some((m) => m.id === id)) latestInbound.delete(id);
  reconcile(inboxEl, items, 'inboundId', h('li', { class: 'empty' }, 'Nothing received yet.'),
    (m) => h('li', { dataset: { testid: 'inbound-row', inboundId: m.id } },
      h('span', { class: 'line-main', dataset: { field: 'from' } }, m.from),
      h('span', { class: 'small muted' }, timeEl(m.received_at)),
      h('div', { class: 'line-sub', dataset: { field: 'text' } }, m.text)),
    () => {});
}

// ---- counts ----

function renderCounts(stats) {
  clear(countsEl);
  const counts = (stats && stats.messages_by_status) || {};
  for (const status of MESSAGE_STATUSES) {
    const n = counts[status] || 0;
    countsEl.append(h('li', { dataset: { status } }, statusChip(status), h('span', { class: 'count', 'aria-label': `${n} ${statusLabel(status).toLowerCase()}` }, String(n))));
  }
}
