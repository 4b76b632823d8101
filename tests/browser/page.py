"""Steps on the dashboard page shared by the browser test files (the DOM hooks of
/work/dashboard-contract.md "Page DOM hooks")."""

import datetime
import unittest

from harness import page_errors

# Records every status a message row shows, per view, as the page changes it: the test
# then knows which statuses the row went through without sampling at the right moment.
STATUS_RECORDER = """
if (!window.__statusLog) {
  window.__statusLog = [];
  const seen = new Map();
  const scan = () => {
    for (const row of document.querySelectorAll('[data-testid=message-row]')) {
      const chip = row.querySelector('[data-field=status]');
      if (!chip) continue;
      const view = (row.closest('.view') || {}).id || '';
      const key = view + ' ' + row.dataset.messageId;
      if (seen.get(key) !== chip.dataset.status) {
        seen.set(key, chip.dataset.status);
        window.__statusLog.push([view, row.dataset.messageId, chip.dataset.status]);
      }
    }
  };
  new MutationObserver(scan).observe(document.body,
      {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});
  scan();
}
"""

# Sets a form field as typing would (send_keys cannot type characters outside the BMP,
# such as emoji): the value, then an input event.
SET_VALUE = """
const el = arguments[0];
el.focus();
el.value = arguments[1];
el.dispatchEvent(new Event('input', {bubbles: true}));
el.dispatchEvent(new Event('change', {bubbles: true}));
"""


class PageTest(unittest.TestCase):
    """A test case with a browser `b` and a gateway `gw` (set by the subclass's setUpClass)."""

    b = None
    gw = None
    last_result = None  # the unittest result of the latest test (Run.finish reads it)

    def run(self, result=None):
        PageTest.last_result = result
        return super().run(result)

    def tearDown(self):
        errors = page_errors(self.b.collect_console()) if self.b else []
        self.assertEqual(errors, [], "the page logged script errors or CSP violations")

    # ---- navigation ----

    def open_page(self, token=None):
        """Loads the dashboard; signs in with `token` when the sign-in form shows."""
        self.b.driver.get(self.gw.url + "/")
        if token is not None:
            self.b.visible("#signin #token")
            self.sign_in(token)
        self.wait_app()

    def sign_in(self, token):
        field = self.b.find("#token")
        field.clear()
        field.send_keys(token + "\n")  # Enter submits

    def wait_app(self):
        self.b.visible("#app")
        self.b.wait(lambda d: self.b.find("#live-status").get_attribute("data-state") == "connected",
                    15, "#live-status to say connected")

    def text(self, css):
        """The text of the element `css` now (read in one step: a list may redraw between a
        find and a read)."""
        return self.b.js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css)

    def click(self, css, timeout=10):
        """Clicks `css`, finding it again if the page redrew it meanwhile."""
        self.b.wait(lambda d: self.b.find(css).click() or True, timeout, f"{css} to be clickable")

    def signed_in(self):
        return self.b.js("return !document.getElementById('app').hidden")

    def goto(self, view):
        self.b.find(f"nav a[data-view={view}]").click()
        self.b.visible(f"#view-{view}")

    def install_recorder(self):
        self.b.js(STATUS_RECORDER)

    def statuses(self, view, message_id):
        log = self.b.js("return window.__statusLog || []")
        return [status for v, mid, status in log if v == view and mid == message_id]

    def set_marker(self):
        """A value in the page's JS globals: survives everything but a reload."""
        marker = self.b.js("return (window.__testMarker = window.__testMarker || Math.random().toString(36).slice(2))")
        return marker

    def assert_not_reloaded(self, marker):
        self.assertEqual(self.b.js("return window.__testMarker"), marker, "the page reloaded")

    # ---- the send form ----

    def fill_send_form(self, to, text, typed=False, send_at=None):
        form = "#send-form"
        to_field = self.b.find(f"{form} input[name=to]")
        to_field.clear()
        to_field.send_keys(to)
        text_field = self.b.find(f"{form} textarea[name=text]")
        if typed:
            text_field.clear()
            text_field.send_keys(text)
        else:
            self.b.js(SET_VALUE, text_field, text)
        self.b.js(SET_VALUE, self.b.find(f"{form} input[name=send_at]"),
                  send_at.strftime("%Y-%m-%dT%H:%M:%S") if send_at else "")

    def submit_send_form(self):
        """Submits and waits for a new #send-result; returns it (an element)."""
        result = self.b.find("#send-result")
        self.b.js("arguments[0].textContent = ''", result)
        self.b.find("#send-form button[type=submit]").click()
        self.b.wait(lambda d: result.text.strip() != "", 15, "#send-result to show the answer")
        return result

    def counted(self):
        encoding = self.b.find("#send-encoding").get_attribute("data-encoding")
        parts = int(self.b.find("#send-parts").get_attribute("data-parts"))
        return encoding, parts

    @staticmethod
    def tomorrow():
        return datetime.datetime.now() + datetime.timedelta(days=1)

    # ---- layout ----

    def horizontal_overflow(self):
        """How many CSS pixels the page is wider than the viewport (0: no horizontal scroll)."""
        return self.b.js("const e = document.documentElement; return Math.max(e.scrollWidth, document.body.scrollWidth) - e.clientWidth")
