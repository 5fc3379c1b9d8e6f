"""Settings, all from environment variables. No secret lives in the repository."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"

# Any SECRET_KEY in this set is a placeholder and must never reach production.
INSECURE_SECRET_KEYS = {"", "dev", "change-me", "development-only-not-secret"}

# Limits of the data itself, shared by the forms, the API, its OpenAPI description and the database columns
# they fit in. Fixed, not from the environment: the published API contract and the columns are sized by them.
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
# An FOI request's text, its questions and a PCC decision record's parts (issue 25).
FOI_TEXT_MAX = 20_000
# An email address: the longest a mail server accepts (RFC 5321: 256 octets of path, less its angle brackets).
EMAIL_MAX = 254
MAX_PEOPLE = 1000
MAX_MONEY_PENCE = 100_000_000 * 100  # £100 million
# Cost lines and funding sources a request may have, on the web and the API alike.
MAX_MONEY_LINES = 100
# Conditions a positive decision may attach (one per line), and the length of each.
MAX_CONDITIONS = 20
CONDITION_MAX = 500
# JSON bodies nested deeper than this are refused before they are read field by field.
MAX_JSON_DEPTH = 20
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 200
# Duration bands, in days from start to end date inclusive: under 2 weeks below the first edge, 2 to 12 weeks
# up to and including the second, over 12 weeks above it.
DURATION_BAND_EDGES_DAYS = (14, 84)


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    return int(os.environ.get(name, default))


def sqlite_url(path):
    return f"sqlite:///{path}"


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "default"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", sqlite_url(INSTANCE_DIR / "s26.sqlite"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    SERVICE_NAME = "Section 26 approvals"
    # Used to build absolute links in emails, which are sent outside any web request.
    S26_BASE_URL = os.environ.get("S26_BASE_URL", "http://127.0.0.1:5000")
    # Working days a gate has to decide, urgent and normal.
    S26_URGENT_GATE_DAYS = _int("S26_URGENT_GATE_DAYS", 2)
    S26_NORMAL_GATE_DAYS = _int("S26_NORMAL_GATE_DAYS", 10)
    # Separation of duties: may one person decide at two consecutive gates of a request?
    S26_ALLOW_SAME_DECIDER = _bool("S26_ALLOW_SAME_DECIDER", False)
    # Issue 17: a full cost above this refers the request to ministers (default £250,000).
    S26_MINISTERIAL_COST_THRESHOLD_PENCE = _int("S26_MINISTERIAL_COST_THRESHOLD_PENCE", 25_000_000)
    # Issue 17: the daily reminder escalates a gate this many working days past its due date (once per visit).
    S26_ESCALATE_AFTER_DAYS = _int("S26_ESCALATE_AFTER_DAYS", 5)
    # Issue 23 section 2: full-cost cases above this (default £4,000), and sensitive cases, are reserved to the
    # policing body itself: a delegation does not reach them.
    S26_RESERVED_COST_PENCE = _int("S26_RESERVED_COST_PENCE", 400_000)
    S26_OUTBOX_MAX_ATTEMPTS = _int("S26_OUTBOX_MAX_ATTEMPTS", 6)
    S26_OUTBOX_LEASE_SECONDS = _int("S26_OUTBOX_LEASE_SECONDS", 120)
    # The first retry's delay after an SMTP failure; each later one doubles (at most an hour).
    S26_OUTBOX_RETRY_SECONDS = _int("S26_OUTBOX_RETRY_SECONDS", 30)
    S26_SMTP_TIMEOUT_SECONDS = _int("S26_SMTP_TIMEOUT_SECONDS", 10)
    S26_REQUIRE_2FA = _bool("S26_REQUIRE_2FA", True)
    # The largest document a case file accepts (issue 16), and the largest body the service reads: that plus
    # 1 MB for the rest of a multipart form. Larger bodies are refused with 413 on their declared length,
    # before they are read.
    S26_MAX_DOCUMENT_MB = _int("S26_MAX_DOCUMENT_MB", 20)
    S26_MAX_DOCUMENT_BYTES = S26_MAX_DOCUMENT_MB * 1024 * 1024
    MAX_CONTENT_LENGTH = S26_MAX_DOCUMENT_BYTES + 1024 * 1024

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int("MAIL_PORT", 8025)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "s26-approvals@example.gov.uk")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    S26_IDLE_TIMEOUT_MINUTES = _int("S26_IDLE_TIMEOUT_MINUTES", 30)
    S26_ABSOLUTE_TIMEOUT_HOURS = _int("S26_ABSOLUTE_TIMEOUT_HOURS", 12)
    # The cookie lives no longer than the session it names (Flask's default is 31 days).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=S26_ABSOLUTE_TIMEOUT_HOURS)
    S26_HSTS = True

    # The limiter's counters. memory:// is per process: two gunicorn workers double every limit and two
    # servers split it, so production needs a shared store (redis://...) unless S26_SINGLE_PROCESS=true.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Keeps this service's counters apart from anything else sharing the Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "s26")
    # If the shared store is unreachable, count in this process's memory rather than answer 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    S26_SINGLE_PROCESS = _bool("S26_SINGLE_PROCESS", False)
    # How many proxies (load balancers) in front of the app append to X-Forwarded-For and may be
    # believed about the client's address and scheme. 0: the socket's peer is the client.
    S26_TRUSTED_PROXIES = _int("S26_TRUSTED_PROXIES", 0)
    S26_SIGN_IN_RATE_LIMIT = os.environ.get("S26_SIGN_IN_RATE_LIMIT", "20 per minute")
    # Rows per page of the request list, of the API's list and of the short lists (questions for a lead to answer,
    # a person's account events); and of the "latest" lists (what you decided, the outbox, the requests waiting for
    # the submitter).
    S26_PAGE_SIZE = _int("S26_PAGE_SIZE", 50)
    S26_API_PAGE_SIZE = _int("S26_API_PAGE_SIZE", 50)
    S26_RECENT_LIMIT = _int("S26_RECENT_LIMIT", 200)
    # OSJA reviews (issue 24): work longer than S26_OSJA_REVIEW_AFTER_MONTHS is reviewed every
    # S26_OSJA_REVIEW_MONTHS from its start; the PCC office records whether it should continue.
    S26_OSJA_REVIEW_MONTHS = _int("S26_OSJA_REVIEW_MONTHS", 12)
    S26_OSJA_REVIEW_AFTER_MONTHS = _int("S26_OSJA_REVIEW_AFTER_MONTHS", 3)

    @classmethod
    def validate(cls):
        """Refuse settings that are unsafe for this environment."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    S26_HSTS = False
    S26_REQUIRE_2FA = _bool("S26_REQUIRE_2FA", False)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    S26_HSTS = False
    S26_REQUIRE_2FA = False
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False  # tests/integration/test_csrf.py turns it back on and proves it holds
    MAIL_PORT = 0  # tests that send mail point this at their own aiosmtpd server
    S26_BASE_URL = "http://localhost"


class ProductionConfig(Config):
    ENV_NAME = "production"

    @classmethod
    def validate(cls):
        key = os.environ.get("SECRET_KEY", "")
        if key in INSECURE_SECRET_KEYS or len(key) < 32:
            raise RuntimeError(
                "Set SECRET_KEY to a random value of at least 32 characters before running in production."
            )
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("Set DATABASE_URL (PostgreSQL) before running in production.")
        storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://").strip()
        if storage.startswith("memory://") and not _bool("S26_SINGLE_PROCESS", False):
            raise RuntimeError(
                "Set RATELIMIT_STORAGE_URI to a store every app process shares (e.g. redis://host:6379/0): "
                "with memory:// each process keeps its own count, so several workers or servers multiply the "
                "sign-in limit. Set S26_SINGLE_PROCESS=true only if exactly one app process serves."
            )


CONFIGS = {
    "default": DevelopmentConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The config class named by S26_ENV (development unless told otherwise)."""
    name = os.environ.get("S26_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"S26_ENV must be one of {', '.join(sorted(CONFIGS))}, not {name!r}")
    return CONFIGS[name]
