#!/usr/bin/env python3
"""Take screenshots of pages of a running Odoo, logged in as given users.

    python3 tools/screenshots.py --url http://localhost:8069 --db crm_demo \\
        admin:admin:/odoo/action-crm_haier_css.action_css_case:css_cases.png \\
        contoso.requester:contoso.requester:/my/premier:b2b_catalogue.png@390

Each shot is LOGIN:PASSWORD:PATH:FILE[@WIDTH]; FILE goes to --out
(docs/screenshots by default), WIDTH is the window width in pixels (1280
by default; 390 is a phone). Headless Chromium is driven through its
DevTools protocol with websocket-client (in requirements.txt), so nothing
else is needed. Used to refresh the README's pictures from the demo data.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
# The page is ready: a portal page has loaded, the web client shows a view.
READY = (
    "document.readyState === 'complete' && "
    "(!document.querySelector('.o_web_client') || "
    "!!document.querySelector('.o_action_manager .o_view_controller, "
    ".o_action_manager .o_action'))"
)


def login(url, db, user, password):
    """Return the session id of ``user`` after a JSON-RPC authentication."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "params": {"db": db, "login": user, "password": password},
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request) as response:
        body = json.load(response)
    if "error" in body:
        raise SystemExit(f"{user}: {body['error']['data']['message']}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


class Browser:
    """One headless Chromium, one tab, driven over the DevTools protocol."""

    def __init__(self, port=9333):
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        if not binary:
            raise SystemExit("Chromium not found (apt-get install chromium).")
        self.profile = tempfile.mkdtemp(prefix="shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    tabs = [t for t in json.load(r) if t["type"] == "page"]
                if tabs:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"])
        self.ids = iter(range(1, 10**6))
        self.call("Page.enable")
        self.call("Network.enable")

    def call(self, method, **params):
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                return message.get("result", {})

    def shot(self, url, session, target, width, settle=3.0):
        host = urllib.parse.urlparse(url).hostname
        self.call("Network.clearBrowserCookies")
        self.call(
            "Network.setCookie",
            name="session_id",
            value=session,
            domain=host,
            path="/",
        )
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900 if width > 600 else 844,
            deviceScaleFactor=1,
            mobile=width <= 600,
        )
        self.call("Page.navigate", url=url)
        self.wait_for(READY, timeout=60)
        time.sleep(settle)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))

    def wait_for(self, expression, timeout):
        """Wait until ``expression`` is true in the page (or ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.call("Runtime.evaluate", expression=expression)
            if result.get("result", {}).get("value"):
                return True
            time.sleep(0.5)
        return False

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="crm_demo")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--settle", type=float, default=1.5)
    parser.add_argument("shots", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    sessions = {}
    try:
        for spec in args.shots:
            spec, _, width = spec.partition("@")
            user, password, path, filename = spec.split(":", 3)
            if user not in sessions:
                sessions[user] = login(args.url, args.db, user, password)
            browser.shot(
                args.url + path,
                sessions[user],
                out / filename,
                int(width or 1280),
                args.settle,
            )
            print(out / filename)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
