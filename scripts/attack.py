"""Attack the running service from outside with sqlmap: the sign-in form, the request list filters and
the API list endpoint must show nothing injectable.

The app runs on a loopback port with its own SQLite database (or DATABASE_URL) and demo data. Each
sqlmap run is bounded: level 1, risk 1, boolean/error/union/stacked techniques (no time-based ones,
which only slow the run), a short timeout, and no retries. CSRF is off for this run so that sqlmap's
requests reach the code under attack; CSRF itself is tested in tests/integration/test_security.py.
"""

import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from approvals import seed  # noqa: E402
from config import TestingConfig  # noqa: E402
from extensions import db  # noqa: E402
from models import ApiToken, User  # noqa: E402

INJECTABLE = re.compile(r"(is vulnerable|appears to be .*injectable|identified the following injection point)", re.I)
NOTHING = "do not appear to be injectable"


def start_app(folder):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/attack.sqlite"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade()
        seed.reference_data()
        seed.demo()
        db.session.commit()
        lead = db.session.query(User).filter_by(email="lead@north-yorkshire.example").one()
        row, token = ApiToken.issue(lead, "attack")
        db.session.add(row)
        target = User(email="sign-in-target@north-yorkshire.example", name="Sign-in target", force=lead.force)
        target.set_password(secrets.token_urlsafe(16))
        target.set_roles(["force_lead"])
        db.session.add(target)
        db.session.commit()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}", token, app


def session_cookie(base):
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urllib.parse.urlencode({"email": "lead@north-yorkshire.example", "password": seed.DEMO_PASSWORD}).encode()
    opener.open(f"{base}/sign-in", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def signed_in(base, cookie, token):
    """Whether the lead's session and API token still open the list pages: a target that answers 302 or 401 to
    sqlmap is tested for nothing."""

    def status(path, header, value):
        request = urllib.request.Request(f"{base}{path}", headers={header: value})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            return opener.open(request).status
        except urllib.error.HTTPError as error:
            return error.code

    return (
        status("/requests", "Cookie", cookie) == 200
        and status("/api/v1/requests", "Authorization", f"Bearer {token}") == 200
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sqlmap(folder, name, url, *extra):
    command = [
        str(Path(sys.executable).parent / "sqlmap"),
        "-u",
        url,
        "--batch",
        "--level=1",
        "--risk=1",
        "--technique=BEUS",
        "--timeout=5",
        "--retries=0",
        "--flush-session",
        "--disable-coloring",
        f"--output-dir={folder}/sqlmap-{name}",
        *extra,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    found = INJECTABLE.search(output)
    print(f"{name}: {'INJECTABLE' if found else 'nothing injectable' if NOTHING in output else 'no verdict'}")
    if found or NOTHING not in output:
        print(output[-4000:])
    return not found and NOTHING in output


def main():
    # sqlmap's hundreds of failed sign-ins are the point of the exercise, not news.
    logging.getLogger("s26").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="s26-attack-") as folder:
        server, base, token, _ = start_app(folder)
        try:
            cookie = session_cookie(base)
            # The signed-in targets first, with the lead's session and token. The sign-in attack goes last and
            # against an account of its own: its hundreds of wrong passwords lock the account they name, and a
            # lock ends that account's sessions and stops its API tokens (the filters would then answer 302
            # and 401 and be tested for nothing).
            if not signed_in(base, cookie, token):
                print("sqlmap: the lead's session or token does not work before the attack")
                return 1
            results = [
                sqlmap(
                    folder,
                    "request-list",
                    f"{base}/requests?state=draft&page=1",
                    f"--cookie={cookie}",
                    "-p",
                    "state,page",
                ),
                sqlmap(
                    folder,
                    "api-list",
                    f"{base}/api/v1/requests?state=draft&force=north-yorkshire&page=1",
                    f"--headers=Authorization: Bearer {token}",
                    "-p",
                    "state,force,page",
                ),
            ]
            if not signed_in(base, cookie, token):
                print("sqlmap: the lead's session or token stopped working during the attack: its results mean nothing")
                return 1
            results += [
                sqlmap(
                    folder,
                    "sign-in",
                    f"{base}/sign-in",
                    "--data=email=sign-in-target%40north-yorkshire.example&password=x",
                    "-p",
                    "email,password",
                ),
            ]
        finally:
            server.shutdown()
    if not all(results):
        print("sqlmap: FAILED")
        return 1
    print("sqlmap: nothing injectable in sign-in, request list filters or the API list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
