"""The browser tests' harness: the real ticketd binary on a free loopback
port with a temporary data dir, a small JSON client for setting up data, and
headless Chromium (Debian's chromium + chromium-driver, via Selenium)."""
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 10
ADMIN_TOKEN = "web-test-admin-token"
PASSWORD = "correct horse battery"


class Server:
    def __init__(self, binary):
        self.data_dir = tempfile.mkdtemp(prefix="ticketd-web-")
        self.proc = subprocess.Popen(
            [binary, "--data-dir", os.path.join(self.data_dir, "d"), "--listen", "127.0.0.1:0",
             "--admin-token", ADMIN_TOKEN, "--kafka", "off"],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.stderr = []
        found = threading.Event()
        self.base = None

        def read():
            for line in self.proc.stderr:
                self.stderr.append(line)
                m = re.search(r"listening on (http://[0-9.]+:\d+)", line)
                if m and not found.is_set():
                    self.base = m.group(1)
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30) or not self.base:
            raise RuntimeError("ticketd did not start: " + "".join(self.stderr))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class HttpAnswer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body) if self.body else None


def request(base, method, path, body=None, token=None, headers=None):
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return HttpAnswer(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return HttpAnswer(e.code, e.headers, e.read())


def api(base, method, path, body=None, token=None, expect=None):
    answer = request(base, method, path, body, token)
    if expect is not None and answer.status != expect:
        raise AssertionError(f"{method} {path}: {answer.status} {answer.body[:300]!r}")
    return answer.json()


class Tenant:
    """Acme (slug acme, prefix ACME) with a reporter, an agent, a manager, an admin."""

    def __init__(self, base):
        self.base = base
        t = api(base, "POST", "/api/v1/tenants", {"name": "Acme", "ticket_prefix": "ACME"}, ADMIN_TOKEN, 201)
        self.id, self.slug = t["id"], t["slug"]
        self.users = {}
        for key, name, role in [("reporter", "Rita Reporter", "reporter"), ("agent", "Alex Agent", "agent"),
                                ("manager", "Mona Manager", "manager"), ("admin", "Ada Admin", "admin"),
                                ("reporter2", "Remy Reporter", "reporter")]:
            u = api(base, "POST", f"/api/v1/tenants/{self.id}/users",
                    {"name": name, "email": f"{key}@acme.test", "role": role, "password": PASSWORD}, ADMIN_TOKEN, 201)
            self.users[key] = u

    def token(self, key):
        return self.users[key]["token"]

    def email(self, key):
        return f"{key}@acme.test"


def tiny_png(width=8, height=8):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x30\x60\xc0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def browser(width=1280, height=900, mobile=False):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--password-store=basic", f"--window-size={width},{height}"]:
        options.add_argument(arg)
    if mobile:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    return driver


def wait(driver, condition, message="", timeout=WAIT_S):
    # The pages redraw as data arrives: an element found a moment ago may be gone.
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda d: condition(d), message)


def xpath_literal(text):
    if "'" not in text:
        return f"'{text}'"
    return "concat('" + "', \"'\", '".join(text.split("'")) + "')"


def control(driver, name, timeout=WAIT_S):
    """The visible control whose accessible name is `name`: a <label>'s
    control, a button's text, or an aria-label. Checks the browser's own
    computed accessible name too."""
    lit = xpath_literal(name)

    def find(d):
        for label in d.find_elements(By.XPATH, f"//label[normalize-space()={lit}]"):
            target = label.get_attribute("for")
            if target:
                els = d.find_elements(By.ID, target)
                if els and els[0].is_displayed():
                    return els[0]
        for el in d.find_elements(By.XPATH, f"//button[normalize-space()={lit}] | //*[@aria-label={lit}]"):
            if el.is_displayed():
                return el
        return False

    # The accessible name is read inside the wait too: a redraw between
    # finding the element and reading its name makes it stale, and that is
    # retried rather than failing the test.
    def find_named(d):
        el = find(d)
        return el and (el, el.accessible_name.strip())

    el, accessible = wait(driver, find_named, f"no control named {name!r}", timeout)
    assert accessible == name, f"accessible name {accessible!r} != {name!r}"
    return el


def has_control(driver, name):
    lit = xpath_literal(name)
    labels = driver.find_elements(By.XPATH, f"//label[normalize-space()={lit}]")
    others = driver.find_elements(By.XPATH, f"//button[normalize-space()={lit}] | //*[@aria-label={lit}]")
    return any(e.is_displayed() for e in labels + others)


def open_page(driver, base, path):
    """Loads a page and waits until the app has rendered it."""
    driver.get(base + path)
    wait(driver, lambda d: d.execute_script("return document.body && document.body.dataset.ready") == path,
         f"page {path} did not render")


def sign_in(driver, base, tenant, key, landing):
    driver.get(base + "/login")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == "/login")
    org = control(driver, "Organization")
    org.clear()
    org.send_keys(tenant.slug)
    control(driver, "Email").send_keys(tenant.email(key))
    control(driver, "Password").send_keys(PASSWORD)
    control(driver, "Sign in").click()
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == landing, f"not on {landing} after sign-in")


def text_of(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def no_horizontal_scroll(driver):
    """Neither the page nor a table inside it scrolls sideways (tables become cards)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth"
        " && [...document.querySelectorAll('.table-wrap')].every((w) => w.scrollWidth <= w.clientWidth + 1)")


def page_status(driver):
    """The HTTP status of the page now shown (fetched again, same cookies)."""
    return driver.execute_script("return fetch(location.href, {credentials: 'same-origin'}).then(r => r.status)")
