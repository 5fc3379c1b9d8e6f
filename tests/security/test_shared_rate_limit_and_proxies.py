"""Several app processes behind a load balancer: one shared rate limit (Redis), the real client's address."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from app import create_app
from config import ProductionConfig, TestingConfig
from extensions import limiter

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def restore_the_limiter(app):
    """The limiter is one object shared by every app built in this process: give it back to the suite's app."""
    yield
    limiter.init_app(app)


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the real Redis, deleted afterwards. Under CI=true a missing
    Redis fails the run: the shared limiter is what production relies on, so it is never skipped."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"s26-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def _production_env(monkeypatch, **values):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.delenv("S26_SINGLE_PROCESS", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_production_refuses_a_per_process_rate_limit_store(monkeypatch):
    _production_env(monkeypatch)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(ProductionConfig)
    _production_env(monkeypatch, RATELIMIT_STORAGE_URI="memory://")
    with pytest.raises(RuntimeError, match="S26_SINGLE_PROCESS"):
        create_app(ProductionConfig)


def test_production_accepts_memory_only_when_it_is_declared_single_process(monkeypatch):
    _production_env(monkeypatch, S26_SINGLE_PROCESS="true")
    assert create_app(ProductionConfig).config["S26_HSTS"] is True


def test_production_starts_with_a_shared_store(monkeypatch):
    _production_env(monkeypatch, RATELIMIT_STORAGE_URI=REDIS_URL)
    app = create_app(ProductionConfig, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert app.config["RATELIMIT_STORAGE_OPTIONS"]["socket_timeout"] == 1  # a slow Redis must not hang sign-in


# One app process of several: signs in `attempts` times (an unknown email, so no account is touched)
# once the shared start time comes, and prints how many attempts got through and how many got 429.
ATTEMPTS = """
import json, sys, time
from app import create_app
from config import TestingConfig
url, redis_url, prefix, attempts, start_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url,
                 RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False,
                 S26_SIGN_IN_RATE_LIMIT="20 per minute")
client = app.test_client()
time.sleep(max(0, start_at - time.time()))
counts = {}
for _ in range(attempts):
    status = client.post("/sign-in", data={"email": "nobody@example.invalid", "password": "wrong-password"}).status_code
    counts[status] = counts.get(status, 0) + 1
print(json.dumps(counts))
"""


def test_two_app_processes_share_one_sign_in_limit_in_redis(database_url, redis_prefix):
    start_at = time.time() + 4  # both processes built and waiting, then racing
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ATTEMPTS, database_url, REDIS_URL, redis_prefix, "50", str(start_at)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ, S26_ENV="testing"),
        )
        for _ in range(2)
    ]
    counts = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        counts.append({int(status): n for status, n in json.loads(out.strip().splitlines()[-1]).items()})
    through = sum(c.get(200, 0) for c in counts)
    limited = sum(c.get(429, 0) for c in counts)
    assert (through, limited) == (20, 80), counts
    assert all(set(c) <= {200, 429} for c in counts)


def _proxied_app(database_url, hops):
    return create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        S26_SIGN_IN_RATE_LIMIT="3 per minute",
        S26_TRUSTED_PROXIES=hops,
    )


def _fail_sign_in(client, forwarded_for):
    return client.post(
        "/sign-in",
        data={"email": "nobody@example.invalid", "password": "wrong-password"},
        headers={"X-Forwarded-For": forwarded_for},
    ).status_code


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(database_url, people, caplog):
    app = _proxied_app(database_url, hops=1)
    balancer = {"REMOTE_ADDR": "10.0.0.5"}  # every request arrives from the load balancer
    mallory, alice = app.test_client(), app.test_client()
    mallory.environ_base.update(balancer)
    alice.environ_base.update(balancer)
    with caplog.at_level(logging.WARNING, logger="approvals.auth.routes"):
        assert [_fail_sign_in(mallory, "203.0.113.7") for _ in range(4)] == [200, 200, 200, 429]
    assert "ip=203.0.113.7" in caplog.text and "ip=10.0.0.5" not in caplog.text
    assert _fail_sign_in(alice, "198.51.100.23") == 200
    # Mallory cannot dodge the limit by forging an X-Forwarded-For entry: only the one the balancer added counts.
    assert _fail_sign_in(mallory, "192.0.2.99, 203.0.113.7") == 429


def test_with_no_trusted_proxy_a_forged_forwarded_for_changes_nothing(database_url, people):
    app = _proxied_app(database_url, hops=0)
    client = app.test_client()
    statuses = [_fail_sign_in(client, f"203.0.113.{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
