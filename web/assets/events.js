// The live stream: GET /api/v1/events (Server-Sent Events) through EventSource.
//
// EventSource reconnects by itself after a dropped connection and sends Last-Event-ID.
// When it gives up (the server answered with an error status, e.g. 503 while stopping),
// this opens a new one after a back-off, passing the last id seen as ?last_event_id= so
// nothing the journal still has is missed.

const TYPES = ['message', 'inbound', 'balance', 'modem', 'stats', 'reset'];

// handlers: {open(replaying), state(name), message(data), inbound(data), balance(data), modem(data),
//            stats(data), reset(data), closed() -> Promise<boolean> (false: stop for good)}
export function connectEvents(token, handlers) {
  let source = null;
  let lastEventId = '';
  let retryDelay = 1000;
  let retryTimer = null;
  let stopped = false;

  const setState = (state) => handlers.state && handlers.state(state);

  function url() {
    const query = new URLSearchParams();
    if (token) query.set('access_token', token);
    if (lastEventId) query.set('last_event_id', lastEventId);
    const text = query.toString();
    return text ? `/api/v1/events?${text}` : '/api/v1/events';
  }

  function dispatch(type, event) {
    if (event.lastEventId) lastEventId = event.lastEventId;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      console.warn(`smsgw: event ${type} with data that is not JSON`, event.data);
      return;
    }
    const handler = handlers[type];
    if (!handler) return;
    try {
      handler(data);
    } catch (e) {
      console.error(`smsgw: handling event ${type}`, e);
    }
  }

  function open() {
    if (stopped) return;
    setState('connecting');
    source = new EventSource(url());
    source.addEventListener('open', () => {
      retryDelay = 1000;
      setState('connected');
      // Whether the server replays what was missed: only from an id seen before.
      if (handlers.open) handlers.open(Boolean(lastEventId));
    });
    source.addEventListener('error', () => {
      if (stopped) return;
      if (source.readyState === EventSource.CLOSED) {
        setState('offline');
        source.close();
        source = null;
        scheduleRetry();
      } else {
        // The browser reconnects by itself (with Last-Event-ID).
        setState('connecting');
      }
    });
    for (const type of TYPES) source.addEventListener(type, (event) => dispatch(type, event));
  }

  async function scheduleRetry() {
    if (handlers.closed) {
      let keepGoing = true;
      try {
        keepGoing = await handlers.closed();
      } catch {
        keepGoing = true;
      }
      if (!keepGoing) {
        stop();
        return;
      }
    }
    if (stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(open, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    if (source) source.close();
    source = null;
  }

  const onOnline = () => {
    if (!stopped && !source) {
      clearTimeout(retryTimer);
      retryDelay = 1000;
      open();
    }
  };
  window.addEventListener('online', onOnline);

  open();
  return {
    stop() {
      window.removeEventListener('online', onOnline);
      stop();
    },
  };
}
