"""The dashboard's browser tests: smsgw-sim, `smsgw serve` and headless Chromium.

Each test file starts its own simulator (tools/sim) and gateway on a free port with a config
in a temp dir, drives the page with selenium (Debian's chromium + chromium-driver +
python3-selenium, installed by tools/setup.sh) and stops everything at the end.

Binaries: SMSGW_BINARY and SMSGW_SIM_BINARY (ctest passes the build's; see
tests/browser/CMakeLists.txt). SMSGW_SCREENSHOTS=<dir>: the suite saves its screenshots
there. SMSGW_BROWSER_KEEP=1 keeps the temp dir (logs, database) after the run.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("SMSGW_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SMSGW_CHROMEDRIVER", "/usr/bin/chromedriver")

# Chromium as root in a container, without the network: no sandbox, no GPU, and none of the
# background requests to Google (this machine has no internet).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--lang=en-US",
]


def binary(variable):
    path = os.environ.get(variable)
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"{variable} must name the built binary (ctest sets it); got {path!r}")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.02):
    """Polls predicate() until it returns a true value; raises naming `what` after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - reported when the time is up
            last_error = e
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}" +
                               (f" (last error: {last_error})" if last_error else ""))
        time.sleep(interval)


def tail(path, lines=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


class Process:
    """A child process with its output in a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, argv, log_path, env=None):
        self.argv = argv
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Simulator:
    """smsgw-sim with `modems` simulated modems in <dir>/sim (tools/sim/README.md)."""

    def __init__(self, root, modems, defaults=None, per_modem=None):
        self.binary = binary("SMSGW_SIM_BINARY")
        self.dir = os.path.join(root, "sim")
        self.modems = modems
        # Even modems Telekom (26201), odd ones Vodafone (26202), as in tools/run.sh; each
        # answers the balance code in EUR (12.34 + its index until set otherwise).
        config_modems = []
        for i in range(modems):
            mnc = "01" if i % 2 == 0 else "02"
            modem = {"imsi": f"262{mnc}{1234500000 + i:010d}", "mnc_digits": 2, "currency": "EUR"}
            modem.update((per_modem or {}).get(i, {}))
            config_modems.append(modem)
        config = {"defaults": {"send_latency_ms": 20, "status_report_latency_ms": 100,
                               "ussd_latency_ms": 20, "boot_ms": 50, "reboot_ms": 200,
                               **(defaults or {})},
                  "modems": config_modems}
        self.config_path = os.path.join(root, "sim.json")
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)
        self.process = Process([self.binary, "--dir", self.dir, "--modems", str(modems),
                                "--config", self.config_path, "--personality", "generic"],
                               os.path.join(root, "sim.log"))
        wait_for(lambda: self._ready(), 10, "smsgw-sim to print ready")

    def _ready(self):
        if not self.process.running():
            raise RuntimeError("smsgw-sim exited:\n" + tail(self.process.log_path))
        with open(self.process.log_path, encoding="utf-8", errors="replace") as f:
            return "ready" in f.read()

    def port_glob(self):
        return os.path.join(self.dir, "modem*")

    @staticmethod
    def mccmnc(i):
        return "26201" if i % 2 == 0 else "26202"

    @staticmethod
    def operator(i):
        return "Telekom" if i % 2 == 0 else "Vodafone"

    def ctl(self, command):
        result = subprocess.run([self.binary, "ctl", self.dir, json.dumps(command)],
                                capture_output=True, text=True, timeout=10)
        answer = json.loads(result.stdout) if result.stdout.strip() else {}
        if not answer.get("ok"):
            raise RuntimeError(f"smsgw-sim ctl {command}: {result.stdout}{result.stderr}")
        return answer

    def inject(self, modem, sender, text):
        return self.ctl({"cmd": "inject", "modem": modem, "from": sender, "text": text})

    def stop(self):
        return self.process.stop()


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is JSON-compatible here


class Gateway:
    """`smsgw serve` on a free port over the simulator, with tokens when given.

    tokens: the [http] tokens (admin); clients: [[client]] tables as dicts (name, token,
    scopes); extra: more TOML appended as is.
    """

    def __init__(self, root, sim, tokens=(), clients=(), extra=""):
        self.binary = binary("SMSGW_BINARY")
        self.root = root
        self.sim = sim
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = tokens[0] if tokens else None
        balance = ('{ ussd = "*100#", pattern = "([0-9]+[.,][0-9]+)", currency = "EUR", '
                   'interval = 0 }')
        lines = [
            "# Written by tests/browser/harness.py.",
            "[store]", 'path = "smsgw.db"',
            "[http]", f'listen = "127.0.0.1:{self.port}"',
            "tokens = [" + ", ".join(toml_string(t) for t in tokens) + "]",
            "[routing]", 'default_country_code = "49"',
            "[retry]", 'backoff_initial = "200ms"', 'backoff_max = "1s"', 'bench_cooldown = "2s"',
            "[modems]", 'rescan_interval = "200ms"',
            "[log]", 'level = "debug"',
            "[[modem]]", f"port = {toml_string(sim.port_glob())}", 'send_timeout = "5s"',
            "[[operator]]", 'name = "Telekom"', 'mccmnc = ["26201"]', 'prefixes = ["+49151"]',
            f"balance = {balance}",
            "[[operator]]", 'name = "Vodafone"', 'mccmnc = ["26202"]', 'prefixes = ["+49152"]',
            f"balance = {balance}",
        ]
        for client in clients:
            lines += ["[[client]]", f"name = {toml_string(client['name'])}",
                      f"token = {toml_string(client['token'])}",
                      "scopes = [" + ", ".join(toml_string(s) for s in client["scopes"]) + "]"]
        if extra:
            lines.append(extra)
        self.config_path = os.path.join(root, "smsgw.toml")
        with open(os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        self.starts = 0
        self.process = None
        self.start()

    def start(self):
        """Starts `smsgw serve` (again: same port, config and database) and waits until every
        modem is ready."""
        self.starts += 1
        log = os.path.join(self.root, "serve.log" if self.starts == 1 else f"serve-{self.starts}.log")
        self.process = Process([self.binary, "serve", "--config", self.config_path], log)
        try:
            wait_for(self._healthy, 15, "smsgw serve to answer /healthz")
            wait_for(self._modems_ready, 15, f"{self.sim.modems} modems to become ready")
        except Exception as e:
            raise RuntimeError(f"{e}\n--- {log} ---\n{tail(self.process.log_path)}"
                               f"\n--- sim.log ---\n{tail(self.sim.process.log_path, 10)}") from e

    def check_serves_dashboard(self):
        """Fails at once (instead of every test timing out) when GET / is not the page."""
        status, body = self.request("GET", "/", headers={"Accept": "text/html"})
        if status != 200 or "<html" not in str(body).lower():
            raise RuntimeError(f"GET {self.url}/ answered {status}, not the dashboard: {str(body)[:200]}")

    def _healthy(self):
        if not self.process.running():
            raise RuntimeError("smsgw serve exited:\n" + tail(self.process.log_path))
        return self.request("GET", "/healthz")[0] == 200

    def _modems_ready(self):
        status, modems = self.request("GET", "/api/v1/modems")
        return status == 200 and sum(m["state"] in ("ready", "sending") for m in modems) >= self.sim.modems

    def request(self, method, path, body=None, token=None, headers=None):
        """(status, parsed JSON or text)."""
        data = None
        all_headers = {"Accept": "application/json", **(headers or {})}
        use = token if token is not None else self.token
        if use:
            all_headers["Authorization"] = f"Bearer {use}"
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                status, raw, ctype = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        text = raw.decode("utf-8", errors="replace")
        return status, (json.loads(text) if "json" in ctype and text else text)

    def api(self, method, path, body=None, expect=200):
        status, answer = self.request(method, path, body)
        if status != expect:
            raise AssertionError(f"{method} {path}: {status} {answer}")
        return answer

    def log_tail(self, lines=40):
        return tail(self.process.log_path, lines)

    def stop(self):
        return self.process.stop() if self.process else None


class Browser:
    """Headless Chromium through chromedriver, with a fresh profile."""

    def __init__(self, root, name, width=1280, height=800, mobile=False):
        self.profile = tempfile.mkdtemp(prefix=f"chromium-{name}-", dir=root)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}", f"--window-size={width},{height}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(CHROMEDRIVER, log_output=os.path.join(root, f"chromedriver-{name}.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.console = []
        self.resize(width, height, mobile)

    def resize(self, width, height, mobile=False):
        """The viewport (not the window) of width x height CSS pixels."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def color_scheme(self, scheme):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def wait(self, condition, timeout=15, what="the page"):
        def safe(driver):
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(safe)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css, timeout=15):
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None),
                         timeout, f"{css} to be visible")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def collect_console(self):
        """Console entries since the last call (chromedriver hands each out once)."""
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return entries

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def page_errors(entries):
    """Console entries that are script errors or CSP violations (not failed requests,
    which the sign-in test causes on purpose)."""
    return [e for e in entries
            if e.get("level") == "SEVERE" and e.get("source") in ("javascript", "security")]


class Run:
    """A temp dir holding one test file's simulator, gateway and browsers."""

    def __init__(self, name):
        self.root = tempfile.mkdtemp(prefix=f"smsgw-browser-{name}-")
        self.sim = None
        self.gateway = None
        self.browsers = []

    @classmethod
    def start(cls, name, suite, modems, sim_defaults=None, browser="desktop", **gateway_args):
        """For setUpModule: a simulator with `modems` modems (`sim_defaults`), a gateway
        (`gateway_args` as Gateway takes them) that serves the dashboard, and a 1280x800
        browser, handed to the test class `suite` as gw, sim and b. When any of them fails
        to start, what did start is closed (files kept) and the error raised."""
        run = cls(name)
        try:
            run.sim = Simulator(run.root, modems, defaults=sim_defaults)
            run.gateway = Gateway(run.root, run.sim, **gateway_args)
            run.gateway.check_serves_dashboard()
            suite.gw = run.gateway
            suite.sim = run.sim
            suite.b = run.browser(browser, width=1280, height=800)
        except BaseException:
            run.close(failed=True)
            raise
        return run

    def browser(self, name, **kwargs):
        b = Browser(self.root, name, **kwargs)
        self.browsers.append(b)
        return b

    def finish(self, result):
        """For tearDownModule: closes everything; when a test failed, prints the tail of
        serve.log and keeps the files."""
        failed = result is not None and not result.wasSuccessful()
        if failed and self.gateway:
            print("--- serve.log (tail) ---\n" + self.gateway.log_tail(60))
        self.close(failed=failed)

    def close(self, failed=False):
        for b in self.browsers:
            try:
                b.quit()
            except Exception:  # noqa: BLE001 - best effort at the end
                pass
        if self.gateway:
            self.gateway.stop()
        if self.sim:
            self.sim.stop()
        if failed or os.environ.get("SMSGW_BROWSER_KEEP"):
            print(f"browser test files kept in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def screenshot_dir():
    path = os.environ.get("SMSGW_SCREENSHOTS")
    if path:
        os.makedirs(path, exist_ok=True)
    return path
