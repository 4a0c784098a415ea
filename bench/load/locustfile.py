"""Locust scenarios of the load test; started by bench/load/run.py.

Case intake by API (JSON-RPC), e-mail (the mail gateway's message_process)
and portal form; the phone screen pop; the Premier journey (submit, three
approvals, place order); the aging report, a read-only route that Odoo serves
from the replica. Every acknowledged intake is written to the file named by
LOAD_ACKS so that run.py can check the database afterwards.

The API and e-mail clients retry as real ones do: after a timeout, a lost
connection or a server error they send the same request again, the API with
the same ``external_ref``, the mail server the same message (same Message-Id);
the server must not create a second case for either.
"""

import itertools
import json
import os
import random
import re
import threading
import time
import uuid

import gevent
from locust import FastHttpUser, between, constant_pacing, events, task

DB = os.environ["LOAD_DB"]
RUN = os.environ["LOAD_RUN"]
SETTINGS = json.loads(os.environ["LOAD_SETTINGS"])
ACKS = []
ACKS_LOCK = threading.Lock()
SEQUENCE = itertools.count(1)
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def marker(kind):
    return f"LOAD-{RUN}-{kind}-{next(SEQUENCE)}-{uuid.uuid4().hex[:6]}"


def acknowledge(kind, subject, record_id):
    with ACKS_LOCK:
        ACKS.append((kind, subject, record_id))


@events.test_start.add_listener
def schedule_warm_up_end(environment, **_kwargs):
    """Reset the statistics once the warm-up is over.

    Each new worker starts cold: it hashes the password of every user that
    logs in on it (PBKDF2) and fills its caches. The figures are those of
    the load that follows; what the warm-up saw is kept in warmup.json.
    """
    warm_up = float(SETTINGS.get("warm_up", 0))
    if not warm_up:
        return

    def end_warm_up():
        total = environment.stats.total
        summary = {
            "seconds": warm_up,
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p50": total.get_response_time_percentile(0.5),
            "p95": total.get_response_time_percentile(0.95),
        }
        path = os.path.join(os.path.dirname(os.environ["LOAD_ACKS"]), "warmup.json")
        with open(path, "w", encoding="utf-8") as out:
            json.dump(summary, out)
        environment.stats.reset_all()

    gevent.spawn_later(warm_up, end_warm_up)


@events.test_stop.add_listener
def write_acks(**_kwargs):
    with open(os.environ["LOAD_ACKS"], "w", encoding="utf-8") as out:
        for kind, subject, record_id in ACKS:
            out.write(f"{kind}\t{subject}\t{record_id}\n")


# Retries of a client after a timeout, a lost connection or a server error.
RETRIES = 5
RETRY_WAIT = 1.0


class RpcMixin:
    """JSON-RPC calls as one user: execute_kw with login and password, or
    call_kw in a web session."""

    login = password = None
    uid = None
    session_expired = False
    # What the caller may retry: the failure of the last call was transient.
    transient = False

    # Calls through a web session (``/web/dataset/call_kw``) instead of
    # ``execute_kw``, which checks the password (PBKDF2) on every call.
    session = False

    def rpc(self, service, method, args, name):
        return self.post_json(
            "/jsonrpc", {"service": service, "method": method, "args": args}, name
        )

    def post_json(self, url, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params}
        self.transient = self.session_expired = False
        with self.client.post(
            url, json=payload, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                # 0: connection lost or timed out; 5xx: the server failed.
                self.transient = response.status_code in (0, 502, 503, 504, 500)
                response.failure(f"HTTP {response.status_code}")
                return None
            body = response.json()
            if "error" in body:
                data = body["error"].get("data") or {}
                message = data.get("message", "error")
                self.session_expired = "SessionExpired" in data.get("name", "")
                # The database went away, or a concurrent delivery of the
                # same e-mail won: sending again is the remedy.
                self.transient = (
                    any(
                        word in message
                        for word in ("connection", "terminating", "already created")
                    )
                    or data.get("name", "").startswith("psycopg2.")
                    or self.session_expired
                )
                response.failure(message[:200])
                return None
            return body.get("result")

    def execute(self, model, method, args, name, kwargs=None):
        if self.session:
            result = self.post_json(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
                name,
            )
            if self.session_expired:
                self.web_login()
            return result
        if self.uid is None:
            uid = self.rpc("common", "login", [DB, self.login, self.password], "login")
            if not uid:
                return None
            self.uid = uid
        return self.rpc(
            "object",
            "execute_kw",
            [DB, self.uid, self.password, model, method, args, kwargs or {}],
            name,
        )

    def execute_retrying(self, model, method, args, name):
        """``execute``, sent again while the failure is transient.

        Returns (result, whether it was sent more than once)."""
        for attempt in range(RETRIES + 1):
            result = self.execute(model, method, args, name)
            if result is not None or not self.transient:
                return result, attempt > 0
            time.sleep(RETRY_WAIT * (attempt + 1))
        return None, True

    def web_login(self):
        with self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": DB, "login": self.login, "password": self.password},
            },
            name="web login",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "error" in response.json():
                response.failure(f"HTTP {response.status_code}")


class ApiIntake(RpcMixin, FastHttpUser):
    """A telephony or distributor system creating cases through the API.

    With ``external_ref`` (the idempotent intake), it retries with the same
    reference until it gets the case's id; without, it cannot retry safely.
    """

    weight = SETTINGS["api_users"]
    wait_time = constant_pacing(1)
    # A client that gives up after 10 s and retries, as integrations do.
    network_timeout = 10.0
    connection_timeout = 10.0

    session = True

    def on_start(self):
        self.login, self.password = SETTINGS["agent"]
        self.partners = SETTINGS["partner_ids"]
        self.web_login()

    @task
    def create_case(self):
        subject = marker("api")
        vals = {
            "partner_id": random.choice(self.partners),
            "channel": "api",
            "case_type": "repair",
            "subject": subject,
            "description": "<p>Load test</p>",
        }
        if SETTINGS.get("external_ref"):
            vals["external_ref"] = subject
            case_id, _retried = self.execute_retrying(
                "css.case", "create", [vals], "intake: API"
            )
        else:
            case_id = self.execute("css.case", "create", [vals], "intake: API")
        if case_id:
            acknowledge("api", subject, case_id)


class MailIntake(RpcMixin, FastHttpUser):
    """The mail gateway delivering customer e-mails to the service alias.

    A mail server delivers again what was not acknowledged: the same message,
    which the gateway must not turn into a second case.
    """

    weight = SETTINGS["mail_users"]
    wait_time = constant_pacing(1)

    session = True

    def on_start(self):
        self.login, self.password = SETTINGS["admin"]
        self.web_login()

    @task
    def deliver(self):
        subject = marker("mail")
        message = (
            f"Message-Id: <{subject}@load.example.com>\r\n"
            f"From: Load Customer <load.customer@example.com>\r\n"
            f"To: service@example.com\r\n"
            f"Subject: {subject}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "The washing machine does not drain.\r\n"
        )
        case_id, retried = self.execute_retrying(
            "mail.thread", "message_process", ["css.case", message], "intake: e-mail"
        )
        # False after a retry: an earlier delivery did create the case (the
        # gateway skipped this one as a duplicate Message-Id).
        if case_id or (case_id is False and retried):
            acknowledge("mail", subject, case_id or 0)


class PortalIntake(FastHttpUser):
    """A customer filing a request on the portal form."""

    weight = SETTINGS["portal_users"]
    wait_time = constant_pacing(1)

    def on_start(self):
        self.login, self.password = SETTINGS["portal"]
        RpcMixin.web_login(self)

    @task
    def file_request(self):
        page = self.client.get("/my/service/new", name="portal: form")
        if "/web/login" in (page.url or ""):
            # The login timed out under load: log in again, as a browser would.
            RpcMixin.web_login(self)
            return
        token = CSRF.search(page.text or "")
        if not token:
            return
        subject = marker("portal")
        with self.client.post(
            "/my/service/new",
            data={
                "csrf_token": token.group(1),
                "case_type": "repair",
                "subject": subject,
                "description": "Load test",
            },
            allow_redirects=False,
            name="intake: portal",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            found = re.search(r"/my/service/(\d+)", location)
            if response.status_code != 303 or not found:
                response.failure(f"HTTP {response.status_code} to {location[:60]}")
                return
            acknowledge("portal", subject, int(found.group(1)))


class ScreenPop(RpcMixin, FastHttpUser):
    """An agent's browser opened by the telephony system on incoming calls."""

    weight = SETTINGS["screen_pop_users"]
    wait_time = constant_pacing(1)

    def on_start(self):
        self.login, self.password = SETTINGS["agent"]
        self.web_login()
        self.numbers = SETTINGS["phones"]

    @task
    def incoming_call(self):
        with self.client.get(
            "/css/call",
            params={"phone": random.choice(self.numbers)},
            allow_redirects=False,
            name="screen pop",
            catch_response=True,
        ) as response:
            if response.status_code not in (302, 303):
                response.failure(f"HTTP {response.status_code}")
            elif "/web/login" in response.headers.get("Location", ""):
                response.failure("not logged in")
                self.web_login()


# Seconds a person takes before each Premier action (reading the quote,
# clicking): the buyer, three approvers and a purchaser are people, not a
# script firing the next call as soon as the previous one returns.
THINK = tuple(SETTINGS.get("premier_think", (2.0, 5.0)))


class PremierBuyer(RpcMixin, FastHttpUser):
    """A corporate requester whose quote goes up its chain and is ordered.

    One action per task, each after its think time: submit, the three
    approvals, the order.
    """

    weight = SETTINGS["premier_users"]
    wait_time = between(*THINK)
    buyers = itertools.cycle(SETTINGS["premier"]["buyers"])
    steps = (
        ("requester", "action_b2b_submit", "premier: submit"),
        ("lead", "action_b2b_approve", "premier: approve"),
        ("head", "action_b2b_approve", "premier: approve"),
        ("cfo", "action_b2b_approve", "premier: approve"),
        ("purchaser", "action_b2b_place_order", "premier: place order"),
    )

    def on_start(self):
        buyer = next(self.buyers)
        self.quotes = list(buyer["quotes"])
        self.quote, self.todo = None, []
        self.users = {
            key: RpcMixin() for key in ("requester", "lead", "head", "cfo", "purchaser")
        }
        self.users["requester"].login = buyer["login"]
        for key, user in self.users.items():
            if key != "requester":
                user.login = SETTINGS["premier"][key]
            user.password = SETTINGS["premier"]["password"]
            user.client = self.client

    @task
    def act(self):
        if not self.todo:
            if not self.quotes:
                return
            self.quote, self.todo = self.quotes.pop(), list(self.steps)
        key, method, name = self.todo.pop(0)
        if self.users[key].execute("sale.order", method, [[self.quote]], name) is None:
            # Refused or failed: this quote's journey ends here.
            self.todo = []


class AgingReport(FastHttpUser):
    """A credit controller downloading the aging: a read-only route, which
    Odoo serves from the replica when it runs with --db_replica_host."""

    weight = SETTINGS.get("report_users", 0)
    wait_time = constant_pacing(5)

    def on_start(self):
        self.login, self.password = SETTINGS["admin"]
        RpcMixin.web_login(self)

    @task
    def download(self):
        with self.client.get(
            "/aging/report/xlsx", name="aging report", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                response.failure(f"HTTP {response.status_code}")
