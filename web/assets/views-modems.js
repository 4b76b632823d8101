// Modems: one card per modem with everything the gateway knows, and its actions (pause,
// resume, reset: scope admin; check balance, USSD: scope modems).

import * as api from './api.js';
import { state, on, can, updateModem, applyBalance, emit } from './state.js';
import {
  h, $, clear, setText, updateStateChip, modemTone, signalEl, balanceText, timeEl, ago,
  PAUSE_REASON, errorText, notify, reconcile,
} from './util.js';
import { operatorName } from './views-overview.js';

let cardsEl;
let dialog;
let dialogModem = null;
let dialogOpener = null;

export function init() {
  cardsEl = $('#modem-cards');
  dialog = $('#ussd-dialog');
  on('modems', renderCards);
  on('modem', updateCard);
  const all = $('[data-action=balance-all]');
  all.hidden = !can('modems');
  all.addEventListener('click', () => checkAllBalances(all));
  $('#ussd-form').addEventListener('submit', runUssd);
  $('[data-action=ussd-close]').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (dialogOpener && document.contains(dialogOpener)) dialogOpener.focus();
    dialogOpener = null;
  });
}

function renderCards() {
  if (!can('modems')) {
    clear(cardsEl).append(h('p', { class: 'empty' }, 'This token may not see the modems (scope modems).'));
    return;
  }
  reconcile(cardsEl, Array.from(state.modems.values()), 'modemId', h('p', { class: 'empty' }, 'No modems found.'),
    buildCard, fillCard);
}

function row(label, field) {
  return [h('dt', {}, label), h('dd', { dataset: { field } })];
}

function buildCard(modem) {
  const id = modem.id;
  const button = (action, label, scope, extra = {}) =>
    can(scope) ? h('button', { type: 'button', class: 'small', dataset: { action }, ...extra }, label) : null;
  const card = h(
    'article',
    { class: 'card modem-card', dataset: { testid: 'modem-card', modemId: id }, 'aria-labelledby': `modem-title-${id}` },
    h('div', { class: 'section-head' },
      h('h2', { id: `modem-title-${id}` }, id, h('span', { class: 'muted small', dataset: { field: 'label' } })),
      h('span', { class: 'chip', dataset: { field: 'state' } })),
    h('dl', {},
      row('Operator', 'operator'),
      row('Signal', 'signal'),
      row('Registration', 'registration'),
      row('Balance', 'balance'),
      row('Sent today', 'sent-today'),
      row('Queue', 'queue'),
      row('Paused', 'paused'),
      row('Last error', 'last-error'),
      row('SIM', 'sim'),
      row('Port', 'port')),
    h('div', { class: 'actions' },
      button('pause', 'Pause', 'admin', { title: 'Take no new messages on this SIM' }),
      button('resume', 'Resume', 'admin'),
      button('reset', 'Reset', 'admin', { class: 'small danger', title: 'Reopen the port and restart the radio' }),
      button('balance', 'Check balance', 'modems'),
      button('ussd', 'USSD…', 'modems', { 'aria-haspopup': 'dialog' })),
    h('p', { class: 'card-error', role: 'alert', dataset: { field: 'action-error' }, hidden: true }),
  );
  card.addEventListener('click', (event) => {
    const target = event.target.closest('button[data-action]');
    if (target) act(card.dataset.modemId, target.dataset.action, target, card);
  });
  fillCard(card, modem);
  return card;
}

function fillCard(card, modem) {
  const field = (name) => card.querySelector(`[data-field="${name}"]`);
  card.className = `card modem-card edge-${modemTone(modem.state, modem.paused)}`;
  card.dataset.paused = modem.paused || '';
  updateStateChip(field('state'), modem.state, modem.paused);
  setText(field('label'), modem.label ? ` · ${modem.label}` : '');
  setText(field('operator'), operatorName(modem));
  clear(field('signal')).append(signalEl(modem.signal));
  setText(field('registration'), registrationText(modem.registration));

  const balance = clear(field('balance'));
  if (modem.balance) {
    balance.append(balanceText(modem.balance), ' ',
      h('span', { class: 'muted small' }, 'checked ', timeEl(modem.balance.checked_at), ` (${ago(modem.balance.checked_at)})`));
  } else {
    balance.append(h('span', { class: 'muted' }, 'not checked yet'));
  }

  const limit = modem.daily_limit === null || modem.daily_limit === undefined ? '∞' : modem.daily_limit;
  setText(field('sent-today'), `${modem.sent_today ?? 0} / ${limit}`);
  field('sent-today').title = `Parts sent since local midnight; this month ${modem.sent_this_month ?? 0}` +
    (modem.monthly_limit ? ` of ${modem.monthly_limit}` : '');
  setText(field('queue'), String(modem.queue ?? 0));

  const paused = clear(field('paused'));
  if (!modem.paused) {
    paused.append('No');
  } else {
    paused.append(PAUSE_REASON[modem.paused] || modem.paused);
    if (modem.paused === 'manual' && (modem.paused_by || modem.paused_at)) {
      paused.append(h('span', { class: 'muted small' }, modem.paused_by ? ` by ${modem.paused_by}` : '',
        modem.paused_at ? ', ' : '', modem.paused_at ? timeEl(modem.paused_at) : ''));
    }
  }

  const lastError = clear(field('last-error'));
  if (modem.last_error) {
    lastError.append(modem.last_error, h('span', { class: 'muted small' }, ` (${modem.errors ?? 0} errors)`));
  } else {
    lastError.append(h('span', { class: 'muted' }, modem.errors ? `${modem.errors} errors` : 'None'));
  }
  const sim = [modem.number, modem.iccid ? `ICCID ${modem.iccid}` : null].filter(Boolean);
  setText(field('sim'), sim.join(' · ') || '—');
  setText(field('port'), modem.port || '—');

  const manual = modem.paused === 'manual';
  const pause = card.querySelector('[data-action=pause]');
  const resume = card.querySelector('[data-action=resume]');
  if (pause) pause.hidden = manual;
  if (resume) resume.hidden = !manual;
  const absent = modem.state === 'absent';
  for (const action of ['balance', 'ussd', 'reset']) {
    const b = card.querySelector(`[data-action=${action}]`);
    if (b && !b.getAttribute('aria-busy')) b.disabled = absent;
  }
}

function registrationText(value) {
  if (!value) return '—';
  return value.charAt(0).toUpperCase() + value.slice(1).replaceAll('_', ' ');
}

function updateCard(modem) {
  const card = cardsEl.querySelector(`[data-testid=modem-card][data-modem-id="${CSS.escape(modem.id)}"]`);
  if (card) fillCard(card, modem);
  else renderCards();
}

function showCardError(card, text) {
  const box = card.querySelector('[data-field=action-error]');
  box.textContent = text || '';
  box.hidden = !text;
}

async function act(id, action, button, card) {
  if (action === 'ussd') {
    openUssd(id, button);
    return;
  }
  if (action === 'reset' && !window.confirm(`Reset ${id}? Its port is reopened and its radio restarted; a send in progress finishes first.`)) {
    return;
  }
  const path = `/api/v1/modems/${api.segment(id)}/${action}`;
  showCardError(card, '');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const answer = await api.post(path, {});
    if (action === 'balance') {
      const result = Array.isArray(answer) ? answer[0] : answer;
      if (result && result.error) showCardError(card, `Balance check failed: ${result.error}`);
      else if (applyBalance(result)) emit('modem', state.modems.get(id));
      if (result && !result.error) notify(`${id}: balance ${balanceText(result)}`);
    } else if (answer && answer.id) {
      updateModem(answer);
      notify(action === 'pause' ? `${id} paused` : action === 'resume' ? `${id} resumed` : `${id} is being reset`);
    }
  } catch (e) {
    showCardError(card, `${labelOf(action)} failed: ${errorText(e)}`);
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
    const modem = state.modems.get(id);
    if (modem) fillCard(card, modem);
  }
}

function labelOf(action) {
  return { pause: 'Pause', resume: 'Resume', reset: 'Reset', balance: 'Balance check' }[action] || action;
}

async function checkAllBalances(button) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const results = await api.post('/api/v1/balance', {});
    let failed = 0;
    for (const result of results || []) {
      if (result.error) failed += 1;
      if (applyBalance(result)) emit('modem', state.modems.get(result.modem));
    }
    notify(failed ? `${failed} of ${results.length} balance checks failed` : 'Balances checked', failed ? 'error' : 'info');
  } catch (e) {
    notify(`Balance check failed: ${errorText(e)}`, 'error');
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

// ---- USSD dialog ----

function openUssd(id, opener) {
  dialogModem = id;
  dialogOpener = opener;
  setText($('#ussd-modem'), `On ${id}. The reply from the network appears below.`);
  const reply = $('#ussd-reply');
  reply.textContent = '';
  reply.className = '';
  dialog.showModal();
  const input = $('#ussd-code');
  input.focus();
  input.select();
}

const USSD_STATUS = {
  done: 'done',
  action_required: 'the network asked for an answer (the session was closed)',
  terminated: 'terminated by the network',
  other_client: 'answered to another client',
  unsupported: 'the network does not know this code',
  timeout: 'the network timed out',
  unknown: 'unknown',
};

async function runUssd(event) {
  event.preventDefault();
  const input = $('#ussd-code');
  const reply = $('#ussd-reply');
  const run = $('[data-action=ussd-run]');
  const code = input.value.trim();
  if (!/^[0-9*#+]{1,160}$/.test(code)) {
    reply.className = 'is-error';
    reply.textContent = 'A USSD code has only digits, * , # and + (e.g. *100#).';
    input.focus();
    return;
  }
  run.disabled = true;
  reply.className = 'muted';
  reply.textContent = 'Waiting for the network…';
  try {
    const answer = await api.post(`/api/v1/modems/${api.segment(dialogModem)}/ussd`, { code });
    reply.className = 'reply';
    reply.dataset.status = answer.status || '';
    reply.textContent = answer.response || '(no text)';
    if (answer.status && answer.status !== 'done') {
      reply.append(h('span', { class: 'muted small' }, `\n(${USSD_STATUS[answer.status] || answer.status})`));
    }
  } catch (e) {
    reply.className = 'is-error';
    reply.textContent = errorText(e);
  } finally {
    run.disabled = false;
  }
}
