// Messages: the list (newest first, filters, paging with next_before, live status) and
// one message's detail (parts, event log, cancel while queued).

import * as api from './api.js';
import { on, can, mark, since } from './state.js';
import {
  h, $, clear, setText, statusChip, updateStatusChip, timeEl, MESSAGE_STATUSES, statusLabel,
  errorText, notify, plural, shortTime, parseTime,
} from './util.js';

const PAGE = 50;

let rowsEl;
let listPanel;
let detailEl;
let filters = {};
let pageStack = []; // the `before` of each page shown before this one
let before = ''; // this page's `before` ('' = the newest)
let nextBefore = null;
let loadedOnce = false;
let reloadTimer = null;
let detailId = null;
let detailTimer = null;
let focusOnRender = false;
const shown = new Map(); // id -> row <tr>

export function init() {
  rowsEl = $('#message-rows');
  listPanel = $('#message-list-panel');
  detailEl = $('#message-detail');
  const select = $('#filter-status');
  for (const status of MESSAGE_STATUSES) select.append(h('option', { value: status }, statusLabel(status)));
  const form = $('#message-filters');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  select.addEventListener('change', applyFilters);
  form.addEventListener('reset', () => setTimeout(applyFilters, 0));
  $('[data-action=next-page]').addEventListener('click', () => {
    if (!nextBefore) return;
    pageStack.push(before);
    before = nextBefore;
    loadList();
  });
  $('[data-action=prev-page]').addEventListener('click', () => {
    if (!pageStack.length) return;
    before = pageStack.pop();
    loadList();
  });
  // On a phone the filters start folded away (the list matters more there).
  if (window.matchMedia('(max-width: 40rem)').matches) $('#filter-box').open = false;
  on('message', onMessageEvent);
  on('submitted', onSubmitted);
  on('reset', () => {
    if (loadedOnce) loadList();
    if (detailId) loadDetail(detailId);
  });
}

// Route #/messages or #/messages/<id>.
export function show(id) {
  if (id) {
    listPanel.hidden = true;
    detailEl.hidden = false;
    if (id !== detailId) {
      clear(detailEl).append(h('p', { class: 'muted' }, 'Loading…'));
      focusOnRender = true;
    }
    detailId = id;
    loadDetail(id);
    return;
  }
  detailId = null;
  detailEl.hidden = true;
  listPanel.hidden = false;
  if (!loadedOnce) loadList();
}

function applyFilters() {
  const value = (sel) => $(sel).value.trim();
  filters = {
    status: value('#filter-status'),
    to: value('#filter-to'),
    modem: value('#filter-modem'),
    client: value('#filter-client'),
    reference: value('#filter-reference'),
  };
  pageStack = [];
  before = '';
  loadList();
}

const filtered = () => Object.values(filters).some((v) => v);

async function loadList() {
  loadedOnce = true;
  const error = $('#messages-error');
  if (!can('read')) {
    error.textContent = 'This token may not read messages (scope read).';
    error.hidden = false;
    return;
  }
  const start = mark();
  rowsEl.setAttribute('aria-busy', 'true');
  try {
    const page = await api.get(api.withQuery('/api/v1/messages', { ...filters, limit: PAGE, before }));
    error.hidden = true;
    nextBefore = page.next_before || null;
    clear(rowsEl);
    shown.clear();
    for (const m of page.messages || []) addRow(m, false);
    for (const e of since(start, 'message')) updateRow(e);
    $('#messages-empty').hidden = shown.size > 0;
    $('[data-action=next-page]').disabled = !nextBefore;
    $('[data-action=prev-page]').disabled = pageStack.length === 0;
    setText($('#messages-page'), pageStack.length ? `Page ${pageStack.length + 1}` : 'Newest');
  } catch (e) {
    error.textContent = `Could not load messages: ${errorText(e)}`;
    error.hidden = false;
  } finally {
    rowsEl.removeAttribute('aria-busy');
  }
}

function cell(label, ...children) {
  return h('td', { dataset: { label } }, ...children);
}

// A cell of the message list; `name` is its class (c-to, c-status...: the phone layout).
function listCell(name, label, ...children) {
  return h('td', { class: `c-${name}`, dataset: { label } }, ...children);
}

// m: a Message, or the fields a `message` event / 202 answer has.
function addRow(m, atTop) {
  const parts = Array.isArray(m.parts) ? m.parts.length : m.parts;
  const tr = h(
    'tr',
    { dataset: { testid: 'message-row', messageId: m.id }, class: atTop ? 'new-row' : null },
    listCell('time', 'Created', timeEl(m.created_at || m.at)),
    listCell('to', 'Recipient', h('a', { href: `#/messages/${encodeURIComponent(m.id)}`, dataset: { field: 'to' } }, m.to || '?')),
    listCell('status', 'Status', statusChip(m.status)),
    listCell('parts', 'Parts', h('span', { dataset: { field: 'parts' } }, typeof parts === 'number' ? plural(parts, 'part') : '')),
    listCell('modem', 'Modem', h('span', { dataset: { field: 'modem' } }, m.modem || '')),
    listCell('client', 'Client / ref.', [m.client, m.reference].filter(Boolean).join(' · ')),
    h('td', { class: 'c-text text-cell', dataset: { label: 'Text' }, title: m.text || '' }, m.text || ''),
  );
  if (atTop) rowsEl.prepend(tr);
  else rowsEl.append(tr);
  shown.set(m.id, tr);
  return tr;
}

function updateRow(e) {
  const tr = shown.get(e.id);
  if (!tr) return false;
  updateStatusChip(tr.querySelector('[data-field=status]'), e.status);
  if (e.modem) setText(tr.querySelector('[data-field=modem]'), e.modem);
  if (e.to) setText(tr.querySelector('[data-field=to]'), e.to);
  return true;
}

function onMessageEvent(e) {
  if (!e || !e.id) return;
  if (detailId === e.id) scheduleDetail();
  if (!loadedOnce || updateRow(e)) return;
  if (before) return; // an older page: new messages are not on it
  if (filtered()) {
    // Whether it matches is the server's call (it normalises numbers): reload soon.
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadList, 400);
    return;
  }
  const newest = rowsEl.querySelector('tr[data-message-id]');
  if (!newest || e.id > newest.dataset.messageId) {
    addRow(e, true);
    $('#messages-empty').hidden = true;
  }
}

function onSubmitted(m) {
  if (!loadedOnce || shown.has(m.id) || before || filtered()) return;
  addRow(m, true);
  $('#messages-empty').hidden = true;
}

// ---- detail ----

function scheduleDetail() {
  clearTimeout(detailTimer);
  detailTimer = setTimeout(() => detailId && loadDetail(detailId), 150);
}

async function loadDetail(id) {
  try {
    const m = await api.get(`/api/v1/messages/${api.segment(id)}`);
    if (detailId === id) renderDetail(m);
  } catch (e) {
    if (detailId !== id) return;
    clear(detailEl).append(
      h('p', {}, h('a', { href: '#/messages' }, '← All messages')),
      h('p', { class: 'form-error', role: 'alert' }, `Could not load message ${id}: ${errorText(e)}`),
    );
  }
}

function fact(label, ...value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, ...value));
}

function wideFact(label, ...value) {
  const el = fact(label, ...value);
  el.className = 'fact-wide';
  return el;
}

// A time in an event's detail: Unix milliseconds or RFC 3339, shown in local time.
function detailValue(key, v) {
  if (key.endsWith('_at') && typeof v === 'number' && v > 1e11) return shortTime(new Date(v).toISOString());
  if (key.endsWith('_at') && typeof v === 'string' && parseTime(v)) return shortTime(v);
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
}

// An event's detail is JSON ({"modem":"modem2","attempt":1}): shown as "modem modem2 · attempt 1".
function eventDetail(detail) {
  if (!detail) return '';
  let value;
  try {
    value = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return detail;
  return Object.entries(value)
    .map(([key, v]) => `${key.replaceAll('_', ' ')} ${detailValue(key, v)}`)
    .join(' · ');
}

function renderDetail(m) {
  const hadFocus = detailEl.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const cancel = m.status === 'queued' && can('send')
    ? h('button', { type: 'button', class: 'danger', dataset: { action: 'cancel' } }, 'Cancel message')
    : null;
  if (cancel) cancel.addEventListener('click', () => cancelMessage(m.id, cancel));
  const parts = m.parts || [];
  const events = m.events || [];
  clear(detailEl).append(
    h('p', {}, h('a', { href: '#/messages' }, '← All messages')),
    h('div', { class: 'detail-head' },
      h('h1', { tabindex: '-1' }, 'To ', h('span', { dataset: { field: 'to' } }, m.to)),
      statusChip(m.status),
      cancel),
    h('p', { class: 'muted small mono' }, m.id),
    h('pre', { class: 'detail-text', dataset: { field: 'text' } }, m.text),
    h('dl', { class: 'facts card' },
      fact('Created', timeEl(m.created_at)),
      fact('Sent', timeEl(m.sent_at)),
      fact('Delivered', timeEl(m.delivered_at)),
      fact('Modem', m.modem || '—'),
      fact('Operator', m.operator || '—'),
      fact('Attempts', String(m.attempts ?? 0)),
      fact('Client', m.client || '—'),
      fact('Reference', m.reference || '—'),
      m.error ? wideFact(m.status === 'failed' ? 'Error' : 'Last error', h('span', { class: 'form-error' }, m.error)) : null),
    h('section', { class: 'card', 'aria-labelledby': 'parts-title' },
      h('h2', { id: 'parts-title' }, `Parts (${parts.length})`),
      h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, ['#', 'Status', 'Modem', 'MR', 'Sent', 'Delivered', 'Error'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, parts.map((p) =>
          h('tr', { dataset: { testid: 'part-row', index: p.index } },
            cell('#', String(p.index)),
            cell('Status', statusChip(p.status)),
            cell('Modem', p.modem || '—'),
            cell('MR', p.mr ?? '—'),
            cell('Sent', timeEl(p.sent_at)),
            cell('Delivered', timeEl(p.delivered_at)),
            cell('Error', p.error || '')))))),
    h('section', { class: 'card', 'aria-labelledby': 'events-title' },
      h('h2', { id: 'events-title' }, 'Event log'),
      events.length === 0 ? h('p', { class: 'empty' }, 'No events.') : null,
      h('ol', { class: 'event-log' }, events.map((e) =>
        h('li', { dataset: { testid: 'event-row' } },
          timeEl(e.at),
          h('span', { class: 'kind', dataset: { field: 'kind' } }, e.kind),
          h('span', { class: 'event-detail', dataset: { field: 'detail' } }, eventDetail(e.detail)))))),
  );
  if (hadFocus) {
    const again = detailEl.querySelector(`[data-action="${hadFocus}"]`);
    if (again) again.focus();
  } else if (focusOnRender) {
    // Opened from a list whose link is now hidden: keyboard focus goes to the heading.
    const active = document.activeElement;
    if (!active || active === document.body || !active.offsetParent) $('h1', detailEl).focus();
  }
  focusOnRender = false;
}

async function cancelMessage(id, button) {
  button.disabled = true;
  try {
    const m = await api.del(`/api/v1/messages/${api.segment(id)}`);
    notify('Message cancelled');
    if (detailId === id) renderDetail(m);
    updateRow({ id, status: m.status });
  } catch (e) {
    button.disabled = false;
    notify(`Cancel failed: ${errorText(e)}`, 'error');
    if (detailId === id) loadDetail(id);
  }
}
