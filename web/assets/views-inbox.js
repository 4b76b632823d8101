// Inbox: received messages (long ones reassembled), newest first, live.

import * as api from './api.js';
import { on, can, mark, since } from './state.js';
import { h, $, clear, timeEl, errorText, plural } from './util.js';

const PAGE = 50;

let rowsEl;
let loadedOnce = false;
let pageStack = [];
let before = '';
let nextBefore = null;
const shown = new Set();

export function init() {
  rowsEl = $('#inbox-rows');
  $('[data-action=inbox-older]').addEventListener('click', () => {
    if (!nextBefore) return;
    pageStack.push(before);
    before = nextBefore;
    load();
  });
  $('[data-action=inbox-newer]').addEventListener('click', () => {
    if (!pageStack.length) return;
    before = pageStack.pop();
    load();
  });
  on('inbound', (m) => {
    if (!loadedOnce || before || !m || shown.has(m.id)) return;
    rowsEl.prepend(row(m, true));
    $('#inbox-empty').hidden = true;
  });
  on('reset', () => loadedOnce && load());
}

export function show() {
  if (!loadedOnce) load();
}

// A cell of the inbox; `name` is its class (c-from, c-text...: the phone layout).
function cell(name, label, ...children) {
  return h('td', { class: `c-${name}`, dataset: { label } }, ...children);
}

function row(m, fresh) {
  shown.add(m.id);
  const parts = m.parts ?? 1;
  const count = m.complete === false ? `${m.parts_received} of ${plural(parts, 'part')} so far` : plural(parts, 'part');
  return h(
    'tr',
    { dataset: { testid: 'inbound-row', inboundId: m.id }, class: fresh ? 'new-row' : null },
    cell('time', 'Received', timeEl(m.received_at)),
    cell('from', 'From', h('span', { dataset: { field: 'from' } }, m.from)),
    cell('modem', 'Modem', m.modem || ''),
    cell('parts', 'Parts', count),
    h('td', { class: 'c-text text-cell', dataset: { label: 'Text', field: 'text' }, title: m.text }, m.text),
  );
}

async function load() {
  loadedOnce = true;
  const error = $('#inbox-error');
  if (!can('read')) {
    error.textContent = 'This token may not read the inbox (scope read).';
    error.hidden = false;
    return;
  }
  const start = mark();
  try {
    const page = await api.get(api.withQuery('/api/v1/inbox', { limit: PAGE, before }));
    error.hidden = true;
    nextBefore = page.next_before || null;
    clear(rowsEl);
    shown.clear();
    for (const m of page.messages || []) rowsEl.append(row(m, false));
    if (!before) {
      for (const m of since(start, 'inbound')) if (!shown.has(m.id)) rowsEl.prepend(row(m, true));
    }
    $('#inbox-empty').hidden = shown.size > 0;
    $('[data-action=inbox-older]').disabled = !nextBefore;
    $('[data-action=inbox-newer]').disabled = pageStack.length === 0;
  } catch (e) {
    error.textContent = `Could not load the inbox: ${errorText(e)}`;
    error.hidden = false;
  }
}
