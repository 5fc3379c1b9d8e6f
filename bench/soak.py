"""Scale-out soak (issue 19): several app servers on one PostgreSQL and Redis, under load and faults.

    python bench/soak.py --seconds 40                                        # make test: short, no PostgreSQL restart
    python bench/soak.py --seconds 150 --restart-postgres --report bench/SOAK.md   # make soak: every fault

What runs, all on loopback: two gunicorn servers (two sync workers each) on two ports, in production
settings with the rate limiter in Redis; two `flask outbox send --loop` workers; a database of the soak's
own on the PostgreSQL at PG_URL (created, then dropped); a real aiosmtpd server that counts what arrives
by Message-ID. A load generator (threads in this process) runs for a fixed time and stops by itself:
force leads creating and submitting requests through the JSON API, two deciders per gate (one on each
server) deciding the same requests at the same time, inbox pages and FOI reads.

Faults, during the load: one gunicorn worker killed with SIGKILL while decisions are in flight; the SMTP
server stopped and started again; an outbox worker killed with SIGKILL while it holds claimed messages;
with --restart-postgres, PostgreSQL restarted while requests flow (this interrupts everything else using
that server, so `make test` never does it).

Then the checks, printed as figures: no 5xx response (a 503 while PostgreSQL is restarting is the clean
failure it should be, and is counted apart); each request decided at most once per gate; no half state
(every request's state is its last audit event's, every decision has its audit event); every audit chain
verifies against its request's head; every queued email delivered exactly once, counted at the SMTP
server against the outbox; the p95 of each page under load. Exit status 1 if any check fails.
"""

import argparse
import asyncio
import collections
import html
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from approvals.seed import DEMO_LETTER_PDF, demo_assessment  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = secrets.token_urlsafe(18)
GATES = ("awaiting_chief_officer", "awaiting_pcc", "awaiting_home_secretary", "awaiting_ipab")
DECIDING_EVENTS = ("recommend", "approve", "consent", "align", "decline", "return_for_information")


def log(message):
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def conninfo(url):
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", url)


# --- the SMTP server ---------------------------------------------------------------------------------


class CountingSmtp:
    """aiosmtpd handler: counts each Message-ID that arrives. The delay stands for a relay's round trip;
    it also keeps a sender holding its claimed batch long enough to be killed holding it."""

    def __init__(self, delay):
        self.delay, self.lock, self.ids = delay, threading.Lock(), collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)  # stopped here: nothing counted and the client sees a failure
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.ids[str(message["Message-ID"])] += 1
        return "250 OK"


class SmtpServer:
    def __init__(self, delay):
        self.handler, self.port, self.controller = CountingSmtp(delay), free_port(), None

    def start(self):
        for _ in range(50):
            try:
                self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
                self.controller.start()
                return
            except (OSError, RuntimeError):
                time.sleep(0.2)  # the port is still being released
        raise RuntimeError("SMTP server did not start")

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- processes ------------------------------------------------------------------------------------------


class Processes:
    """Every process the soak starts, each in its own session so it can be ended with its children."""

    def __init__(self, folder):
        self.folder, self.started = folder, []

    def start(self, name, command, env):
        out = open(self.folder / f"{name}.log", "wb")
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_name = name
        self.started.append(process)
        return process

    def stop(self, process, sig=signal.SIGTERM, wait=10):
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)

    def tail(self, process, lines=30):
        text = (self.folder / f"{process.log_name}.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- HTTP -----------------------------------------------------------------------------------------------


def multipart(fields):
    """(body, content type) of a multipart/form-data upload; a field's value is text or (filename, bytes, type)."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content, content_type = value
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}'
            )
            parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode() + content + b"\r\n")
        else:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Client:
    """One simulated person on one server: keeps its connection and (for the web) its cookies."""

    def __init__(self, soak, port, token=None):
        self.soak, self.port, self.token, self.cookies, self.connection = soak, port, token, {}, None

    def request(self, method, path, key, body=None, form=None, files=None):
        headers = {"Accept": "application/json" if self.token else "text/html"}
        payload = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body), "application/json"
        if files is not None:
            payload, headers["Content-Type"] = multipart(files)
        if form is not None:
            payload = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, payload, headers)
            response = self.connection.getresponse()
            data = response.read()
            status = response.status
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
        except (OSError, http.client.HTTPException) as error:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            status, data = f"connection error ({type(error).__name__})", b""
        elapsed = time.perf_counter() - started
        self.soak.record(key, self.port, status, elapsed)
        return status, data

    def json(self, method, path, key, body=None):
        status, data = self.request(method, path, key, body=body)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None

    def sign_in(self, email):
        status, page = self.request("GET", "/sign-in", "GET /sign-in")
        match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        if status != 200 or not match:
            raise RuntimeError(f"no sign-in form from port {self.port}: {status}")
        token = html.unescape(match.group(1).decode())
        status, _ = self.request(
            "POST", "/sign-in", "POST /sign-in", form={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {email} on port {self.port} answered {status}")


# --- the soak -------------------------------------------------------------------------------------------


class Soak:
    def __init__(self, args):
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="s26-soak-"))
        self.processes = Processes(self.folder)
        self.records, self.records_lock = [], threading.Lock()
        self.in_flight = collections.Counter()
        self.stop_load = threading.Event()
        self.faults, self.t0 = [], None
        self.failures = []
        self.figures = {}
        self.database = f"s26_soak_{secrets.token_hex(6)}"
        self.base_url = os.environ.get("PG_URL", DEFAULT_PG)
        self.url = self.base_url.rsplit("/", 1)[0] + f"/{self.database}"
        self.limiter_prefix = f"s26-soak-{secrets.token_hex(4)}"
        self.smtp = SmtpServer(delay=args.smtp_delay)
        self.servers, self.workers = [], []

    # .. bookkeeping

    def now(self):
        return time.monotonic() - self.t0

    def record(self, key, port, status, elapsed):
        with self.records_lock:
            self.records.append((key, port, status, elapsed, self.now()))

    def fault(self, name, start, end, **detail):
        self.faults.append({"name": name, "start": start, "end": end, **detail})
        log(f"fault {name}: {detail}")

    def check(self, name, ok, figure):
        self.figures[name] = figure
        if not ok:
            self.failures.append(f"{name}: {figure}")

    # .. set-up

    def create_database(self):
        try:
            with psycopg.connect(conninfo(self.base_url), autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{self.database}"')
        except psycopg.OperationalError as error:
            raise SystemExit(f"PostgreSQL is not reachable at {self.base_url}: {error}") from error
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise SystemExit(f"Redis is not reachable at {REDIS_URL}: {error}") from error

    def drop_database(self):
        for _ in range(30):
            try:
                with psycopg.connect(conninfo(self.base_url), autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                return
            except psycopg.OperationalError:
                time.sleep(1)  # PostgreSQL may still be coming back from the restart fault

    def populate(self):
        """Schema by the real migrations, reference data, the people and their API tokens."""
        from flask_migrate import upgrade
        from werkzeug.security import generate_password_hash

        from app import create_app
        from approvals import seed
        from config import TestingConfig
        from extensions import db
        from models import ApiToken, Force, User

        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=self.url)
        people = {}
        with app.app_context():
            upgrade()
            seed.reference_data()
            force = db.session.query(Force).filter_by(slug="north-yorkshire").one()
            password_hash = generate_password_hash(PASSWORD)
            roles = {
                "lead": ("force_lead", force),
                "chief": ("chief_officer", force),
                "pcc": ("pcc_office", force),
                "ho": ("home_office", None),
                "ipab": ("ipab", None),
                "foi": ("foi_officer", None),
            }
            for name, (role, user_force) in roles.items():
                for n in (1, 2):
                    user = User(email=f"{name}{n}@soak.example", name=f"{name} {n}", force=user_force)
                    user.password_hash = password_hash
                    user.set_roles([role])
                    db.session.add(user)
                    db.session.flush()
                    row, token = ApiToken.issue(user, "soak")
                    db.session.add(row)
                    people[f"{name}{n}"] = (user.email, token)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        return people

    def environment(self):
        return dict(
            os.environ,
            S26_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(48),
            DATABASE_URL=self.url,
            RATELIMIT_STORAGE_URI=REDIS_URL,
            RATELIMIT_KEY_PREFIX=self.limiter_prefix,
            SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback
            S26_REQUIRE_2FA="false",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(self.smtp.port),
            S26_BASE_URL="http://127.0.0.1",
            S26_OUTBOX_LEASE_SECONDS=str(self.args.lease),
            S26_OUTBOX_RETRY_SECONDS="2",
            S26_SMTP_TIMEOUT_SECONDS="5",
            PYTHONUNBUFFERED="1",
        )

    def start_services(self, env):
        for name in ("a", "b"):
            port = free_port()
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                "app:app",
            ]
            server = self.processes.start(f"server-{name}", command, env)
            server.port, server.name = port, name
            self.servers.append(server)
        for n in (1, 2):
            command = [sys.executable, "-m", "flask", "--app", "app", "outbox", "send", "--loop", "--interval", "1"]
            self.workers.append(self.processes.start(f"outbox-{n}", command, env))
        deadline = time.monotonic() + 60
        for server in self.servers:
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
                    connection.request("GET", "/health")
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server {server.name} did not start:\n{self.processes.tail(server)}")
                time.sleep(0.3)

    # .. the load

    def lead(self, n, email_token):
        _email, token = email_token
        client = Client(self, self.servers[n % 2].port, token)
        start = (date.today() + timedelta(days=60)).isoformat()
        end = (date.today() + timedelta(days=80)).isoformat()
        i = 0
        while not self.stop_load.is_set():
            i += 1
            body = {
                "title": f"Soak {n}-{i}: public order advice",
                "requesting_body": "Royal Cayman Islands Police Service",
                "requesting_body_kind": "foreign_policing_agency",
                "destination": "KY",
                "purpose": "public_order",
                "purpose_details": "Public order planning advice for a regional summit",
                "sponsor": "fcdo",
                "start_date": start,
                "end_date": end,
                "officers": 3,
                "staff": 1,
                "personnel_roles": "1 inspector, 2 sergeants, 1 planner",
                "coordinating_unit": "International Policing Unit",
                "mission_reference": "Op Harbour",
                "uk_investigation": False,
                "sensitive": False,
                "urgent": False,
                "retrospective": False,
                "cost_lines": [{"category": "salaries", "amount_pence": 2_000_000, "description": "Four people"}],
                "funding": [{"source": "fcdo", "amount_pence": 2_000_000, "committed": True}],
                "human_rights": {"risks": [], "residual": "low"},
            }
            status, created = client.json("POST", "/api/v1/requests", "POST /api/v1/requests (create)", body)
            if status == 201:
                # A request is submitted with the requesting body's invitation letter on its case file.
                letter = {
                    "kind": "invitation_letter",
                    "description": "Invitation from the host police service",
                    "file": ("invitation.pdf", DEMO_LETTER_PDF, "application/pdf"),
                }
                path = f"/api/v1/requests/{created['id']}"
                client.request(
                    "POST", f"{path}/documents", "POST /api/v1/requests/:id/documents (upload)", files=letter
                )
                # ... and its OSJA assessment complete (issue 24): a new version of the one the request's body started.
                assessment = {**demo_assessment(), "risks": [], "residual": "low", "mitigations": "Embassy monitors"}
                client.json("PUT", f"{path}/osja", "PUT /api/v1/requests/:id/osja", {**assessment, "version": 1})
                client.json("POST", f"{path}/submit", "POST /api/v1/requests/:id/submit")
            self.stop_load.wait(self.args.lead_interval)

    def decider(self, gate, email_token, port):
        _email, token = email_token
        client = Client(self, port, token)
        while not self.stop_load.is_set():
            status, listing = client.json(
                "GET", f"/api/v1/requests?state={gate}", "GET /api/v1/requests?state= (decider's list)"
            )
            items = listing.get("items", []) if status == 200 and isinstance(listing, dict) else []
            if not items:
                self.stop_load.wait(0.3)
                continue
            target = items[-1]["id"]  # the longest-waiting: both deciders of the gate go for the same one
            outcome = "decline" if random.random() < self.args.decline_share else "positive"
            body = {"outcome": outcome, "human_rights": {"risks": [], "residual": "low"}, "ethics_confirmed": True}
            if outcome == "decline":
                body["reasons"] = "Not in the public interest at this time"
            with self.records_lock:
                self.in_flight[port] += 1
            try:
                client.json("POST", f"/api/v1/requests/{target}/decisions", "POST /api/v1/requests/:id/decisions", body)
            finally:
                with self.records_lock:
                    self.in_flight[port] -= 1
            self.stop_load.wait(0.05)

    def inbox_reader(self, email, port):
        client = Client(self, port)
        client.sign_in(email)
        while not self.stop_load.is_set():
            client.request("GET", "/", "GET / (inbox page)")
            self.stop_load.wait(0.4)

    def foi_reader(self, email_token):
        email, token = email_token
        web = Client(self, self.servers[0].port)
        web.sign_in(email)
        api = Client(self, self.servers[1].port, token)
        today = date.today()
        year_ago = today - timedelta(days=365)
        parts = [("date_from", year_ago), ("date_to", today)]
        query = "&".join(f"{name}={getattr(d, unit)}" for name, d in parts for unit in ("day", "month", "year"))
        while not self.stop_load.is_set():
            web.request("GET", f"/reports/foi?{query}&force=", "GET /reports/foi (FOI page)")
            api.json(
                "GET", f"/api/v1/reports/foi?from={year_ago}&to={today}", "GET /api/v1/reports/foi (FOI statistics)"
            )
            self.stop_load.wait(0.6)

    # .. the faults

    def kill_gunicorn_worker(self):
        server = self.servers[0]
        deadline = time.monotonic() + 5
        while self.in_flight[server.port] == 0 and time.monotonic() < deadline:
            time.sleep(0.005)  # strike while a decision is on its way through this server
        in_flight = self.in_flight[server.port]
        workers = children(server.pid)
        victim = workers[0]
        at = self.now()
        os.kill(victim, signal.SIGKILL)
        respawned = None
        for _ in range(100):
            time.sleep(0.1)
            now_workers = children(server.pid)
            if len(now_workers) == 2 and victim not in now_workers:
                respawned = round(self.now() - at, 1)
                break
        self.fault(
            "gunicorn worker SIGKILL",
            at,
            at + 2,
            server=server.name,
            pid=victim,
            decisions_in_flight_on_server=in_flight,
            replaced_after_s=respawned,
        )
        if respawned is None:
            self.failures.append("gunicorn did not replace the killed worker")

    def smtp_outage(self, seconds=5):
        at = self.now()
        self.smtp.stop()
        time.sleep(seconds)
        self.smtp.start()
        self.fault("SMTP server stopped and started", at, self.now(), down_s=seconds)

    def kill_outbox_worker(self):
        victim = self.workers[0]
        deadline = time.monotonic() + 20
        held = []
        with psycopg.connect(conninfo(self.url), autocommit=True) as conn:
            while time.monotonic() < deadline:
                rows = conn.execute(
                    "SELECT id, status FROM outbox WHERE status IN ('claimed', 'sending') AND claimed_by LIKE %s",
                    (f"%:{victim.pid}:%",),
                ).fetchall()
                if len(rows) >= 2:
                    at = self.now()
                    os.killpg(victim.pid, signal.SIGKILL)
                    victim.wait(5)
                    held = conn.execute(
                        "SELECT id, status FROM outbox WHERE status IN ('claimed', 'sending') AND claimed_by LIKE %s",
                        (f"%:{victim.pid}:%",),
                    ).fetchall()
                    break
                time.sleep(0.01)
        if not held:
            self.failures.append("the outbox worker was never seen holding claimed messages, so was not killed")
            self.fault("outbox worker SIGKILL", self.now(), self.now(), held=0)
            return
        self.killed_outbox_held = {row[0]: row[1] for row in held}
        # As a process supervisor would: a new worker takes the dead one's place (the held claims still
        # wait for their lease to run out, whoever picks them up).
        command = [sys.executable, "-m", "flask", "--app", "app", "outbox", "send", "--loop", "--interval", "1"]
        self.workers[0] = self.processes.start("outbox-1-restarted", command, self.env)
        self.fault(
            "outbox worker SIGKILL holding claims",
            at,
            at,
            pid=victim.pid,
            claimed=sum(1 for _id, s in held if s == "claimed"),
            sending=sum(1 for _id, s in held if s == "sending"),
        )

    def restart_postgres(self):
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
        if os.geteuid() != 0:
            command.insert(0, "sudo")
        at = self.now()
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        end = self.now()
        self.fault("PostgreSQL restarted", at, end, took_s=round(end - at, 1), exit=result.returncode)
        if result.returncode != 0:
            self.failures.append(f"PostgreSQL restart failed: {result.stderr.strip()[:300]}")

    # .. running it

    def run_load(self, people):
        threads = [threading.Thread(target=self.lead, args=(n, people[f"lead{n + 1}"])) for n in range(2)]
        short = {"awaiting_chief_officer": "chief", "awaiting_pcc": "pcc"}
        short.update({"awaiting_home_secretary": "ho", "awaiting_ipab": "ipab"})
        for gate in GATES:
            for n, server in ((1, self.servers[0]), (2, self.servers[1])):
                person = people[f"{short[gate]}{n}"]
                threads.append(threading.Thread(target=self.decider, args=(gate, person, server.port)))
        threads.append(threading.Thread(target=self.inbox_reader, args=(people["chief1"][0], self.servers[0].port)))
        threads.append(threading.Thread(target=self.inbox_reader, args=(people["ho1"][0], self.servers[1].port)))
        threads.append(threading.Thread(target=self.foi_reader, args=(people["foi1"],)))
        for thread in threads:
            thread.daemon = True
            thread.start()

        plan = [
            (0.25, self.kill_gunicorn_worker),
            (0.40, self.smtp_outage),
            (0.55, self.kill_outbox_worker),
        ]
        if self.args.restart_postgres:
            plan.append((0.70, self.restart_postgres))
        for share, action in plan:
            delay = share * self.args.seconds - self.now()
            if delay > 0:
                time.sleep(delay)
            action()
        remaining = self.args.seconds - self.now()
        if remaining > 0:
            time.sleep(remaining)
        self.stop_load.set()
        for thread in threads:
            thread.join(60)
        self.load_seconds = self.now()
        log(f"load stopped after {self.load_seconds:.0f} s; {len(self.records)} responses")

    def drain_outbox(self):
        deadline = time.monotonic() + self.args.drain
        left = None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(conninfo(self.url), autocommit=True, connect_timeout=5) as conn:
                    left = conn.execute(
                        "SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed', 'sending')"
                    ).fetchone()[0]
            except psycopg.OperationalError:
                left = None
            if left == 0:
                return 0
            time.sleep(1)
        return left

    # .. the checks

    def check_responses(self):
        restart = [f for f in self.faults if f["name"] == "PostgreSQL restarted"]
        kills = [f for f in self.faults if f["name"] == "gunicorn worker SIGKILL"]

        def within(faults, t, before=0.5, after=5.0):
            return any(f["start"] - before <= t <= f["end"] + after for f in faults)

        statuses = collections.Counter(str(r[2]) for r in self.records)
        five = [r for r in self.records if isinstance(r[2], int) and r[2] >= 500]
        clean_503 = [r for r in five if r[2] == 503 and within(restart, r[4])]
        bad_5xx = [r for r in five if r not in clean_503]
        errors = [r for r in self.records if not isinstance(r[2], int)]
        # A connection cut by the SIGKILLed worker, or refused while PostgreSQL restarts, is a clean error.
        expected_errors = [r for r in errors if within(kills, r[4], after=1.0) or within(restart, r[4])]
        self.figures["responses"] = dict(sorted(statuses.items()))
        self.check("5xx responses", not bad_5xx, len(bad_5xx))
        if bad_5xx:
            self.figures["5xx detail"] = [(r[0], r[2], round(r[4], 1)) for r in bad_5xx[:10]]
        self.figures["503 during the PostgreSQL restart (clean, Retry-After)"] = len(clean_503)
        self.check(
            "connection errors outside a fault",
            len(errors) == len(expected_errors),
            len(errors) - len(expected_errors),
        )
        self.figures["connection errors inside a fault"] = len(expected_errors)
        if restart:
            after = [r for r in self.records if r[4] > restart[-1]["end"] + 5 and r[2] in (200, 201)]
            self.check("successful responses after PostgreSQL came back", len(after) > 0, len(after))
        decisions = collections.Counter(
            str(r[2]) for r in self.records if r[0] == "POST /api/v1/requests/:id/decisions"
        )
        self.figures["decision attempts by status (201 won; the rest lost a race or met a fault)"] = dict(
            sorted(decisions.items())
        )

    def check_database(self):
        from app import create_app
        from approvals import audit
        from config import TestingConfig
        from extensions import db

        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=self.url)
        with app.app_context():
            q = lambda sql: db.session.execute(db.text(sql)).all()  # noqa: E731
            requests = q("SELECT count(*) FROM assistance_request")[0][0]
            states = dict(q("SELECT state, count(*) FROM assistance_request GROUP BY state"))
            decisions = q("SELECT count(*) FROM gate_decision")[0][0]
            twice = q(
                "SELECT request_id, gate, count(*) FROM gate_decision WHERE NOT superseded "
                "GROUP BY request_id, gate HAVING count(*) > 1"
            )
            self.figures["requests created"] = requests
            self.figures["requests by state"] = dict(sorted(states.items()))
            self.figures["gate decisions recorded"] = decisions
            self.check("requests decided more than once at a gate", not twice, len(twice))
            half = q(
                "SELECT r.id FROM assistance_request r JOIN audit_event e ON e.request_id = r.id "
                "AND e.seq = r.audit_seq WHERE e.to_state IS DISTINCT FROM r.state"
            )
            self.check("requests whose state is not their last audit event's", not half, len(half))
            events = ", ".join(f"'{e}'" for e in DECIDING_EVENTS)
            unmatched = q(
                "SELECT d.request_id FROM (SELECT request_id, count(*) n FROM gate_decision GROUP BY request_id) d "
                "LEFT JOIN (SELECT request_id, count(*) n FROM audit_event "
                f"WHERE event IN ({events}) GROUP BY request_id) e ON e.request_id = d.request_id "
                "WHERE e.n IS DISTINCT FROM d.n"
            )
            self.check("decisions without their audit event (or the reverse)", not unmatched, len(unmatched))
            checked, broken = audit.verify()
            self.check(
                "audit chains verified against their heads",
                broken is None,
                f"{checked} events, all chains intact" if broken is None else broken.describe(checked),
            )
            outbox = q("SELECT id, status, last_error, attempts FROM outbox")
            db.session.remove()
            db.engine.dispose()
        return outbox

    def check_email(self, outbox, left):
        arrived = self.smtp.handler.ids
        ids = {row[0]: f"<s26-outbox-{row[0]}@example.gov.uk>" for row in outbox}
        by_status = collections.Counter(row[1] for row in outbox)
        sent = [row for row in outbox if row[1] == "sent"]
        once = sum(1 for row in sent if arrived.get(ids[row[0]]) == 1)
        never = [row[0] for row in sent if arrived.get(ids[row[0]], 0) == 0]
        # SMTP cannot be exactly-once across a server that drops the connection after accepting the message:
        # the sender sees an error and tries again, and the message arrives twice with the same Message-ID
        # (so a receiver can tell it is one message). Such resends follow a failed attempt; a duplicate of a
        # message sent at its first attempt would be a real double delivery.
        repeated = [row for row in outbox if arrived.get(ids[row[0]], 0) > 1]
        resent = [row[0] for row in repeated if row[3] > 1]
        dupes = [row[0] for row in repeated if row[3] <= 1]
        self.figures["resent after an SMTP error mid-conversation (same Message-ID)"] = len(resent)
        in_flight = [row for row in outbox if row[1] == "failed" and "stopped while delivering" in (row[2] or "")]
        other_failed = [row for row in outbox if row[1] == "failed" and row not in in_flight]
        strangers = set(arrived) - set(ids.values())
        self.figures["emails queued"] = len(outbox)
        self.figures["emails by outbox status"] = dict(sorted(by_status.items()))
        self.check(
            "emails delivered exactly once (sent in the outbox, one arrival at the SMTP server)",
            once + len(resent) == len(sent) and not never and not dupes,
            f"{once} of {len(sent)} sent; {len(never)} never arrived; {len(dupes)} arrived more than once at their"
            f" first attempt; {len(resent)} resent after an SMTP error",
        )
        self.check("emails left undelivered after the drain", not left, left)
        self.check("emails failed for other reasons", not other_failed, len(other_failed))
        self.check("arrivals the outbox does not know", not strangers, len(strangers))
        arrived_in_flight = sum(1 for row in in_flight if arrived.get(ids[row[0]], 0) == 1)
        self.figures["in flight when their sender was killed (held for an admin, at most once)"] = (
            f"{len(in_flight)}, of which {arrived_in_flight} had reached the SMTP server"
        )
        held = getattr(self, "killed_outbox_held", {})
        if held:
            claimed = [i for i, s in held.items() if s == "claimed"]
            delivered = sum(1 for i in claimed if arrived.get(ids.get(i), 0) == 1)
            self.check(
                "claimed by the killed worker, then delivered once by the other after the lease",
                delivered == len(claimed),
                f"{delivered} of {len(claimed)}",
            )

    def page_times(self):
        by_key = collections.defaultdict(list)
        for key, _port, status, elapsed, _t in self.records:
            if isinstance(status, int):
                by_key[key].append(elapsed * 1000)
        rows = []
        for key, times in sorted(by_key.items()):
            times.sort()
            rows.append((key, len(times), percentile(times, 0.5), percentile(times, 0.95), times[-1]))
        self.figures["pages"] = rows

    # .. report

    def report(self):
        lines = []
        for name, value in self.figures.items():
            if name == "pages":
                continue
            lines.append(f"  {name}: {value}")
        print("\nFigures")
        print("\n".join(lines))
        print("\nPage times under load (ms)")
        print(f"  {'page':<58} {'n':>6} {'p50':>7} {'p95':>7} {'max':>7}")
        for key, n, p50, p95, top in self.figures["pages"]:
            print(f"  {key:<58} {n:>6} {p50:>7.0f} {p95:>7.0f} {top:>7.0f}")
        print("\nFaults")
        for f in self.faults:
            detail = {k: v for k, v in f.items() if k not in ("name", "start", "end")}
            print(f"  t={f['start']:6.1f} s  {f['name']}  {detail}")
        print("\nResult: " + ("PASS" if not self.failures else "FAIL\n  " + "\n  ".join(self.failures)))

    def write_markdown(self, path):
        load = os.getloadavg()
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        out = [
            "# Scale-out soak (issue 19)",
            "",
            f"Written by `make soak` ({' '.join(sys.argv[1:])}) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: "
            f"{os.cpu_count()} cores shared with other work (load average at the end {load[0]:.1f}), "
            f"Python {platform.python_version()}, commit {commit or 'unknown'}.",
            "",
            "Two gunicorn servers (two sync workers each) on two loopback ports in production settings, the rate limiter "
            "in Redis, two `flask outbox send --loop` workers, one PostgreSQL database of the soak's own, a real aiosmtpd "
            f"server ({self.args.smtp_delay * 1000:.0f} ms per message). For {self.args.seconds} s: two force leads "
            "create and submit requests through the API; two deciders per gate, one on each server, decide the same "
            "longest-waiting request at the same time; inbox pages and FOI statistics are read. Then the outbox is "
            "drained and everything is checked.",
            "",
            f"**Result: {'PASS' if not self.failures else 'FAIL'}**"
            + ("" if not self.failures else "\n\n" + "\n".join(f"- {f}" for f in self.failures)),
            "",
            "## Checks and figures",
            "",
            "| | |",
            "|---|---|",
        ]
        for name, value in self.figures.items():
            if name != "pages":
                out.append(f"| {name} | {value} |")
        out += ["", "## Faults injected", "", "| at (s) | fault | detail |", "|---|---|---|"]
        for f in self.faults:
            detail = ", ".join(f"{k} {v}" for k, v in f.items() if k not in ("name", "start", "end"))
            out.append(f"| {f['start']:.1f} | {f['name']} | {detail} |")
        out += [
            "",
            "## Page times under load",
            "",
            "All responses, faults included (ms).",
            "",
            "| page | n | p50 | p95 | max |",
            "|---|---:|---:|---:|---:|",
        ]
        for key, n, p50, p95, top in self.figures["pages"]:
            out.append(f"| {key} | {n} | {p50:.0f} | {p95:.0f} | {top:.0f} |")
        Path(path).write_text("\n".join(out) + "\n")
        log(f"wrote {path}")

    def clean_redis(self):
        try:
            client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
            for key in client.scan_iter(match=f"*{self.limiter_prefix}*"):
                client.delete(key)
        except redis.RedisError:
            pass

    def run(self):
        started = time.monotonic()
        self.create_database()
        try:
            people = self.populate()
            self.smtp.start()
            self.t0 = time.monotonic()
            self.env = self.environment()
            self.start_services(self.env)
            log(
                f"servers on ports {[s.port for s in self.servers]}, SMTP on {self.smtp.port}, database {self.database}"
            )
            self.t0 = time.monotonic()
            self.run_load(people)
            left = self.drain_outbox()
            for process in self.workers + self.servers:
                self.processes.stop(process)
            self.check_responses()
            outbox = self.check_database()
            self.check_email(outbox, left)
            self.page_times()
            self.figures["load seconds"] = round(self.load_seconds)
            self.figures["whole soak seconds"] = round(time.monotonic() - started)
            self.report()
            if self.args.report:
                self.write_markdown(self.args.report)
        finally:
            self.processes.stop_all()
            self.smtp.stop()
            self.drop_database()
            self.clean_redis()
            if self.failures:
                for process in self.processes.started:
                    log(f"last lines of {process.log_name}:\n{self.processes.tail(process, 15)}")
                # Again, last: a CI log shows only its tail, and the processes' lines above would hide why.
                print("\nResult: FAIL\n  " + "\n  ".join(self.failures), flush=True)
        return 0 if not self.failures else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=40, help="how long the load runs")
    parser.add_argument("--restart-postgres", action="store_true", help="also restart PostgreSQL mid-run")
    parser.add_argument("--report", help="write the figures as Markdown here (bench/SOAK.md)")
    parser.add_argument("--lead-interval", type=float, default=0.8, help="seconds between a lead's requests")
    parser.add_argument("--decline-share", type=float, default=0.08, help="share of decisions that decline")
    parser.add_argument("--smtp-delay", type=float, default=0.01, help="seconds the SMTP server takes per message")
    parser.add_argument("--lease", type=int, default=8, help="outbox claim lease in seconds")
    parser.add_argument("--drain", type=int, default=60, help="seconds to wait for the outbox to empty")
    args = parser.parse_args()
    sys.exit(Soak(args).run())


if __name__ == "__main__":
    main()
