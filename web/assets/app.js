// The dashboard's entry point: sign-in, the header (live status, queue depth, throughput),
// the hash router and the live stream feeding the views.

import * as api from './api.js';
import { connectEvents } from './events.js';
import {
  state, on, emit, can, setInfo, record, loadModems, loadStats, setStats, updateModem, applyBalance,
} from './state.js';
import { $, $$, svg, clear, setText, errorText, notify } from './util.js';
import * as overview from './views-overview.js';
import * as modems from './views-modems.js';
import * as messages from './views-messages.js';
import * as send from './views-send.js';
import * as inbox from './views-inbox.js';

const SIGNIN_MESSAGE_KEY = 'smsgw.signin-message';

const VIEWS = {
  overview: { title: 'Overview', scope: null, show: () => {} },
  modems: { title: 'Modems', scope: 'modems', show: () => {} },
  messages: { title: 'Messages', scope: 'read', show: (param) => messages.show(param) },
  send: { title: 'Send', scope: 'send', show: () => {} },
  inbox: { title: 'Inbox', scope: 'read', show: () => inbox.show() },
};

let stream = null;
let started = false;

// ---- sign-in ----

async function boot() {
  $('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    $('#main').focus();
  });
  $('#signin').addEventListener('submit', signIn);
  const token = api.storedToken();
  let message = '';
  try {
    message = sessionStorage.getItem(SIGNIN_MESSAGE_KEY) || '';
    sessionStorage.removeItem(SIGNIN_MESSAGE_KEY);
  } catch {
    message = '';
  }
  try {
    const info = await api.get('/api/v1/info', { token, quiet401: true });
    start(info, token);
  } catch (e) {
    if (e.status === 401) {
      showSignIn(message || (token ? `The saved token was refused (401): ${e.message}` : ''));
    } else {
      showSignIn(`The gateway did not answer as expected: ${errorText(e)}`);
    }
  }
}

function showSignIn(message) {
  $('#loading').hidden = true;
  $('#app').hidden = true;
  $('#signin-screen').hidden = false;
  showSignInError(message);
  document.title = 'Sign in · smsgw';
  $('#token').focus();
}

function showSignInError(message) {
  const error = $('#signin-error');
  error.textContent = message || '';
  error.hidden = !message;
  $('#token').toggleAttribute('aria-invalid', Boolean(message));
  if (message) $('#token').setAttribute('aria-describedby', 'signin-error');
}

async function signIn(event) {
  event.preventDefault();
  const input = $('#token');
  const button = $('#signin button[type=submit]');
  const token = input.value.trim();
  if (!token) {
    showSignInError('Enter a token.');
    input.focus();
    return;
  }
  button.disabled = true;
  showSignInError('');
  try {
    const info = await api.get('/api/v1/info', { token });
    api.storeToken(token);
    input.value = '';
    start(info, token);
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      showSignInError(`That token was refused (${e.status}): ${e.message}`);
    } else {
      showSignInError(`Could not sign in: ${errorText(e)}`);
    }
    input.focus();
    input.select();
  } finally {
    button.disabled = false;
  }
}

// Back to the sign-in screen with a fresh page (no state of the old token survives).
function signOut(message) {
  api.storeToken('');
  if (stream) stream.stop();
  try {
    if (message) sessionStorage.setItem(SIGNIN_MESSAGE_KEY, message);
  } catch {
    // no storage: the message is lost, the sign-in still shows
  }
  location.replace(location.pathname);
}

// ---- the app ----

function start(info, token) {
  if (started) return;
  started = true;
  api.setToken(token);
  setInfo(info);
  api.setUnauthorizedHandler((e) => signOut(`Your token is no longer accepted (401): ${e.message}`));

  $('#loading').hidden = true;
  $('#signin-screen').hidden = true;
  $('#app').hidden = false;
  setText($('#gateway-version'), info.version ? `v${info.version}` : '');
  const caller = info.caller || {};
  setText($('#caller-name'), caller.name ? `Signed in as ${caller.name}` : '');
  const signOutButton = $('[data-action=sign-out]');
  signOutButton.hidden = info.auth === false;
  signOutButton.addEventListener('click', () => signOut(''));
  for (const link of $$('nav a[data-view]')) {
    const view = VIEWS[link.dataset.view];
    link.hidden = Boolean(view.scope) && !can(view.scope);
  }

  overview.init();
  modems.init();
  messages.init();
  send.init();
  inbox.init();
  on('stats', renderHeaderStats);

  window.addEventListener('hashchange', route);
  route();
  loadModems().catch((e) => notify(`Could not load the modems: ${errorText(e)}`, 'error'));
  loadStats().catch(() => {});
  overview.load();
  startStream(token);
}

function startStream(token) {
  let opened = 0;
  stream = connectEvents(token, {
    state: setLiveState,
    open(replaying) {
      opened += 1;
      loadModems().catch((e) => notify(`Could not load the modems: ${errorText(e)}`, 'error'));
      loadStats().catch(() => {});
      // What happened before the first connection (or with nothing to replay from) is
      // not in the stream: fetch the lists again.
      if (opened === 1 || !replaying) emit('reset', { reason: 'connected' });
    },
    message(data) {
      record('message', data);
      emit('message', data);
    },
    inbound(data) {
      record('inbound', data);
      emit('inbound', data);
    },
    balance(data) {
      record('balance', data);
      if (applyBalance(data)) emit('modem', state.modems.get(data.modem));
    },
    modem(data) {
      record('modem', data);
      updateModem(data);
    },
    stats: setStats,
    reset(data) {
      notify('The live stream restarted; the lists were reloaded.');
      emit('reset', data);
      loadModems().catch(() => {});
      loadStats().catch(() => {});
    },
    async closed() {
      try {
        await api.get('/api/v1/info', { quiet401: true });
        return true;
      } catch (e) {
        if (e.status === 401) {
          signOut(`Your token is no longer accepted (401): ${e.message}`);
          return false;
        }
        return true;
      }
    },
  });
}

const LIVE_TEXT = { connected: 'Live', connecting: 'Connecting…', offline: 'Offline' };

function setLiveState(name) {
  const el = $('#live-status');
  el.dataset.state = name;
  setText(el.querySelector('.live-text'), LIVE_TEXT[name] || name);
  el.title = name === 'connected' ? 'Updates arrive live' : name === 'connecting' ? 'Connecting to the live stream' : 'The live stream is down; retrying';
}

// ---- header: queue depth and the throughput sparkline ----

function renderHeaderStats(stats) {
  setText($('#queue-depth'), String(stats.queue_depth ?? 0));
  const values = Array.isArray(stats.parts_per_minute) ? stats.parts_per_minute.map((v) => Number(v) || 0) : [];
  const chart = clear($('#throughput'));
  const width = 120;
  const height = 28;
  const total = values.reduce((a, b) => a + b, 0);
  const peak = Math.max(0, ...values);
  const now = values.length ? values[values.length - 1] : 0;
  const label = `Throughput: ${total} parts in the last hour, at most ${peak} a minute, ${now} this minute`;
  chart.setAttribute('aria-label', label);
  chart.append(svg('title', {}, label));
  chart.append(svg('line', { class: 'spark-base', x1: 0, y1: height - 1, x2: width, y2: height - 1 }));
  if (values.length > 1) {
    const scale = Math.max(1, peak);
    const step = width / (values.length - 1);
    const points = values.map((v, i) => [Number((i * step).toFixed(1)), Number((height - 2 - (v / scale) * (height - 4)).toFixed(1))]);
    const line = points.map(([x, y]) => `${x},${y}`).join(' ');
    chart.append(svg('polygon', { class: 'spark-area', points: `0,${height - 1} ${line} ${width},${height - 1}` }));
    chart.append(svg('polyline', { class: 'spark-line', points: line }));
  }
  setText($('#throughput-now'), String(now));
}

// ---- routing ----

function route() {
  const match = /^#\/(overview|modems|messages|send|inbox)(?:\/(.+))?$/.exec(location.hash);
  if (!match) {
    location.replace('#/overview');
    if (!location.hash || location.hash === '#/overview') showView('overview');
    return;
  }
  let param = null;
  if (match[2]) {
    try {
      param = decodeURIComponent(match[2]);
    } catch {
      param = match[2];
    }
  }
  showView(match[1], param);
}

function showView(name, param = null) {
  const view = VIEWS[name];
  const allowed = !view.scope || can(view.scope);
  for (const section of $$('main > .view')) section.hidden = true;
  for (const link of $$('nav a[data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!allowed) {
    setText($('#forbidden-text'), `This token (${state.info.caller?.name || '?'}) may not use ${view.title}: it needs the scope ${view.scope}.`);
    $('#view-forbidden').hidden = false;
    document.title = `${view.title} · smsgw`;
    return;
  }
  $(`#view-${name}`).hidden = false;
  document.title = `${view.title} · smsgw`;
  view.show(param);
}

boot();
