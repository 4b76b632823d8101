// Send: one message with a live encoding and part count, and a CSV upload that submits
// in batches of up to 100 with a progress bar and per-row errors.

import * as api from './api.js';
import { state, can, emit } from './state.js';
import { h, $, clear, setText, errorText, plural } from './util.js';
import { makeCounter } from './sms-count.js';
import { messagesFromCsv } from './csv.js';

const BATCH = 100;

let count = () => ({ encoding: 'gsm7', parts: 0, units: 0, lastFill: 0, lastCapacity: 160, tooLong: false });
let form;
let csvRows = [];

export function init() {
  const info = state.info || {};
  count = makeCounter(info.alphabets || {}, info.shift_tables || [], info.max_parts || 10);
  form = $('#send-form');
  form.text.addEventListener('input', updateCounter);
  form.addEventListener('submit', submit);
  updateCounter();
  $('#csv-file').addEventListener('change', readCsv);
  $('[data-action=csv-upload]').addEventListener('click', uploadCsv);
  if (!can('send')) {
    for (const el of document.querySelectorAll('#view-send input, #view-send textarea, #view-send button')) el.disabled = true;
    setResult('This token may not send messages (scope send).', true);
  }
}

const LANGUAGE = { turkish: 'Turkish', spanish: 'Spanish', portuguese: 'Portuguese' };

function encodingLabel(result) {
  if (result.encoding === 'ucs2') return 'UCS-2';
  const tables = [];
  if (result.locking) tables.push(`${LANGUAGE[result.locking] || result.locking} locking shift`);
  if (result.single) tables.push(`${LANGUAGE[result.single] || result.single} single shift`);
  return tables.length ? `GSM-7 (${tables.join(', ')})` : 'GSM-7';
}

function updateCounter() {
  const text = form.text.value;
  const result = count(text);
  const parts = text === '' ? 0 : result.parts;
  const encodingEl = $('#send-encoding');
  encodingEl.dataset.encoding = result.encoding;
  setText(encodingEl, encodingLabel(result));
  const partsEl = $('#send-parts');
  partsEl.dataset.parts = String(parts);
  setText(partsEl, plural(parts, 'part'));
  const unit = result.encoding === 'ucs2' ? 'UTF-16 units' : 'septets';
  const left = result.lastCapacity - result.lastFill;
  setText($('#send-units'), text === '' ? '' : `${result.units} ${unit}, ${left} left in ${parts > 1 ? `part ${parts}` : 'this part'}`);
  const warning = $('#send-warning');
  warning.hidden = !result.tooLong;
  setText(warning, result.tooLong ? `Longer than ${result.maxParts} parts ([sms] max_parts): the gateway will refuse it.` : '');
}

function setResult(content, isError, dataset = {}) {
  const el = $('#send-result');
  clear(el);
  el.classList.toggle('is-error', Boolean(isError));
  delete el.dataset.messageId;
  delete el.dataset.parts;
  delete el.dataset.encoding;
  Object.assign(el.dataset, dataset);
  el.append(content);
}

async function submit(event) {
  event.preventDefault();
  const to = form.to.value.trim();
  const text = form.text.value;
  form.to.removeAttribute('aria-invalid');
  form.text.removeAttribute('aria-invalid');
  if (!to || !text) {
    const missing = !to ? form.to : form.text;
    missing.setAttribute('aria-invalid', 'true');
    setResult(!to ? 'Enter a recipient.' : 'Enter a text.', true);
    missing.focus();
    return;
  }
  const body = { to, text };
  const priority = form.priority.value.trim();
  if (priority !== '' && Number(priority) !== 0) body.priority = Number.parseInt(priority, 10);
  if (form.send_at.value) {
    const at = new Date(form.send_at.value); // datetime-local: the browser's local time
    if (Number.isNaN(at.getTime())) {
      setResult('Send at is not a valid time.', true);
      return;
    }
    body.send_at = at.toISOString();
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const accepted = await api.post('/api/v1/messages', body);
    setResult(
      h('span', {}, 'Queued: ',
        h('a', { href: `#/messages/${encodeURIComponent(accepted.id)}` }, accepted.id),
        ` (${plural(accepted.parts, 'part')}, ${accepted.encoding === 'ucs2' ? 'UCS-2' : 'GSM-7'})`),
      false,
      { messageId: accepted.id, parts: String(accepted.parts), encoding: accepted.encoding },
    );
    emit('submitted', { id: accepted.id, to, status: accepted.status || 'queued', at: new Date().toISOString(), parts: accepted.parts, text });
  } catch (e) {
    setResult(`Not sent: ${errorText(e)}`, true);
    const field = e.field === 'to' ? form.to : e.field === 'text' ? form.text : null;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  } finally {
    button.disabled = false;
  }
}

// ---- CSV ----

async function readCsv() {
  const input = $('#csv-file');
  const upload = $('[data-action=csv-upload]');
  const progress = $('#csv-progress');
  progress.value = 0;
  progress.max = 1;
  clear($('#csv-result'));
  csvRows = [];
  upload.disabled = true;
  const file = input.files && input.files[0];
  if (!file) {
    setText($('#csv-summary'), '');
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch (e) {
    setText($('#csv-summary'), `Could not read ${file.name}: ${e.message}`);
    return;
  }
  const { rows, error } = messagesFromCsv(text);
  if (error) {
    setText($('#csv-summary'), `${file.name}: ${error}`);
    return;
  }
  csvRows = rows;
  const bad = rows.filter((r) => r.error).length;
  setText($('#csv-summary'), `${file.name}: ${plural(rows.length, 'message')}${bad ? `, ${bad} with errors (not sent)` : ''}.`);
  if (bad) renderCsvResult(0, rows.length);
  upload.disabled = rows.length === bad || !can('send');
}

// "messages[3].to" -> 3
function batchIndex(field) {
  const m = /^messages\[(\d+)\]/.exec(field || '');
  return m ? Number(m[1]) : null;
}

async function uploadCsv() {
  const upload = $('[data-action=csv-upload]');
  const input = $('#csv-file');
  const progress = $('#csv-progress');
  const todo = csvRows.filter((r) => r.message && !r.error && !r.id);
  if (!todo.length) return;
  upload.disabled = true;
  input.disabled = true;
  progress.max = todo.length;
  progress.value = 0;
  let done = 0;
  let stopped = null;
  for (let start = 0; start < todo.length; start += BATCH) {
    let batch = todo.slice(start, start + BATCH);
    if (stopped) {
      for (const row of batch) row.error = `not sent: ${stopped}`;
    }
    // A 422 names the first refused row (messages[i]); that row is marked and the rest
    // of the batch goes again (a batch is all or nothing).
    while (batch.length && !stopped) {
      try {
        const accepted = await api.post('/api/v1/messages', { messages: batch.map((r) => r.message) });
        const list = Array.isArray(accepted) ? accepted : [accepted];
        batch.forEach((row, i) => {
          row.id = list[i] && list[i].id;
          row.parts = list[i] && list[i].parts;
        });
        batch = [];
      } catch (e) {
        const index = e.status === 422 ? batchIndex(e.field) : null;
        if (index !== null && index < batch.length) {
          // "messages[3].to: ..." is about this row's "to".
          const field = (e.field || '').replace(/^messages\[\d+\]\.?/, '');
          const message = (e.message || 'refused').replace(/^messages\[\d+\]\./, '');
          batch[index].error = field && !message.startsWith(`${field}:`) ? `${field}: ${message}` : message;
          batch.splice(index, 1);
          done += 1;
          progress.value = done;
          continue;
        }
        if (e.status === 0 || e.status === 429 || e.status === 503 || e.status === 401 || e.status === 403) {
          stopped = errorText(e);
        }
        for (const row of batch) row.error = stopped ? `not sent: ${stopped}` : errorText(e);
        batch = [];
      }
    }
    done = Math.min(todo.length, start + BATCH);
    progress.value = done;
    renderCsvResult(done, todo.length);
  }
  progress.value = progress.max;
  renderCsvResult(todo.length, todo.length);
  input.disabled = false;
  upload.disabled = !csvRows.some((r) => r.message && !r.error && !r.id);
}

function renderCsvResult(done, total) {
  const result = $('#csv-result');
  const accepted = csvRows.filter((r) => r.id);
  const failed = csvRows.filter((r) => r.error);
  result.dataset.accepted = String(accepted.length);
  result.dataset.failed = String(failed.length);
  result.dataset.done = String(done === total);
  clear(result);
  result.append(h('p', {}, `${accepted.length} of ${plural(csvRows.length, 'message')} queued` +
    (failed.length ? `, ${failed.length} not sent` : '') + (done < total ? ` (${done} of ${total} sent so far)` : '.')));
  if (failed.length) {
    result.append(h('ul', { class: 'csv-errors' },
      failed.map((r) => h('li', { dataset: { line: r.line } }, `Line ${r.line}: ${r.error}`))));
  }
}
