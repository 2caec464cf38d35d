"""Tirek's one settings module, driven by environment variables.

Every setting an operator may change is read here from the environment; see
``docs/configuration.md``. Defaults are safe for production: ``DEBUG`` is off unless asked for,
and the server refuses to start without a real secret key when ``DEBUG`` is off.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tirek.config import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_ed25519_key,
    env_fernet_keys,
    env_fraction_pair,
    env_int,
    env_list,
    env_log_level,
    env_match_weights,
    env_origins,
    env_rate,
    env_redis_url,
    env_str,
    env_time_zone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent


DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("TIREK_DEMO", False)
TESTING = "pytest" in sys.modules or env_bool("TIREK_TESTING", False)

DATA_DIR = Path(env_str("TIREK_DATA_DIR", str(Path.cwd() / "var")))

INSECURE_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105


def _legacy_key(purpose: str) -> str:
    """The key ``core.crypto`` derives from ``INSECURE_KEY`` under DEBUG: what an earlier demo
    database (made with DEBUG on) was encrypted and indexed with."""
    digest = hashlib.sha256(f"tirek:{purpose}:{INSECURE_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def demo_secrets(data_dir: Path) -> dict[str, str]:
    """Keys for the demo served with DEBUG off (``make run``): made once and kept in
    ``TIREK_DATA_DIR/demo-secrets.json``, readable by its owner only, so that trying Tirek needs
    no key typed by hand. Only in demo mode; a deployment sets its own (docs/configuration.md)."""
    path = data_dir / "demo-secrets.json"
    if path.exists():
        return {str(k): str(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    new_encryption_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TIREK_ENCRYPTION_KEYS": new_encryption_key,
        "TIREK_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    }
    if (data_dir / "tirek.sqlite3").exists():
        # A demo database from before (DEBUG on) stays readable: its key decrypts, and its blind
        # indexes keep matching; new values are encrypted with the new key.
        legacy = _legacy_key("encryption")
        values["TIREK_ENCRYPTION_KEYS"] = f"{new_encryption_key},{legacy}"
        values["TIREK_BLIND_INDEX_KEY"] = _legacy_key("blind-index")
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(values, file)
    return values


# The demo (``make run``: TIREK_DEMO=1, DEBUG off) is served like the product, with its own keys.
DEMO_SECRETS = demo_secrets(DATA_DIR) if DEMO_MODE and not (DEBUG or TESTING) else {}
for _name, _value in DEMO_SECRETS.items():
    os.environ.setdefault(_name, _value)

SECRET_KEY = env_str("SECRET_KEY", INSECURE_KEY if (DEBUG or TESTING) else "")
if not SECRET_KEY or (SECRET_KEY == INSECURE_KEY and not (DEBUG or TESTING)):
    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set to a long random value when DEBUG is off."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if (DEBUG or DEMO_MODE) else ""
)
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "tirek.core",
    "tirek.core.tasks",
    "tirek.accounts",
    "tirek.directory",
    "tirek.cases",
    "tirek.matching",
    "tirek.protection",
    "tirek.referrals",
    "tirek.casework",
    "tirek.mechanisms",
    "tirek.retention",
    "tirek.oversight",
    "tirek.screening",
    "tirek.statistics",
    "tirek.reports",
    "tirek.exchange",
    "tirek.web",
]

MIDDLEWARE = [
    "tirek.core.health.HealthCheckMiddleware",  # first: probes skip host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tirek.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tirek.accounts.middleware.ActorMiddleware",
    "tirek.accounts.mfa.middleware.MfaRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "tirek.web.errors.MethodNotAllowedPageMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env_bool("USE_X_FORWARDED_FOR", False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Multi-factor authentication (django-otp, see docs/security.md): required for everyone whose role
# reads case data and for administrators. Off by default only under tests; tests turn it on.
TIREK_MFA_REQUIRED = env_bool("TIREK_MFA_REQUIRED", not TESTING)
# Re-enter password and code before sensitive actions when the last check is older than this.
TIREK_REAUTH_REQUIRED = env_bool("TIREK_REAUTH_REQUIRED", not TESTING)
TIREK_REAUTH_SECONDS = env_int("TIREK_REAUTH_SECONDS", 5 * 60, minimum=1)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tirek")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (django-csp): no inline scripts, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "tirek.urls"
WSGI_APPLICATION = "tirek.wsgi.application"
ASGI_APPLICATION = "tirek.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tirek.web.context_processors.tirek",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'tirek.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if TESTING else 60),
            conn_health_checks=True,
        )
    }
except ValueError:
    raise ConfigurationError(
        "DATABASE_URL is not valid: use sqlite:///path or postgres://user:password@host:5432/name "
        "(see docs/configuration.md)."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a write waits for another one to finish before giving up ("database is locked").
        "timeout": env_int("DATABASE_SQLITE_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Connections persist as with PostgreSQL (DATABASE_CONN_MAX_AGE): opening one and running
    # the PRAGMAs on every request was a third of the case page's server time with 10 users
    # (docs/deployment.md). Connections are per thread; WAL lets them read while one writes.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "ru", ["kk", "ru", "en"])
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates day first (12.04.1998) and a 24-hour clock in every language, as Kazakhstan writes them.
FORMAT_MODULE_PATH = ["tirek.core.formats"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions: expire after inactivity (renewed on every request), HTTP-only, same-site; secure
# cookies unless DEBUG.
# Expires after 30 idle minutes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 30, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not (DEBUG or TESTING):
    # The demo is served over plain HTTP on this machine or the local network: no HTTPS
    # redirect, no HSTS, cookies over HTTP (each can still be set).
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEMO_MODE)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEMO_MODE)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEMO_MODE)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEMO_MODE else 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("USE_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tirek@localhost")
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

# Personal data never goes to logs: only level, logger and message, and our code never puts
# personal data into messages.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ["plain", "json"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "tirek.core.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "tirek.core.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_log_level("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50
# The case list counts its cases up to this many; beyond, it says "more than" (web and API).
TIREK_CASE_LIST_COUNT_LIMIT = env_int("TIREK_CASE_LIST_COUNT_LIMIT", 10_000, minimum=1)

# Request bodies: larger ones are refused with 413 before anything reads them (core/middleware.py).
# Uploads (multipart forms) may be larger; Django's own form-field limit matches the body limit.
TIREK_MAX_BODY_BYTES = env_int("TIREK_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
TIREK_MAX_UPLOAD_BYTES = env_int("TIREK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = TIREK_MAX_BODY_BYTES

# API rate limits (django-ninja throttling, tirek/core/throttling.py): "<count>/<s|min|hour|day>".
# Requests without valid credentials are counted per client address, the others per user. Tests
# raise both so that the suite is never throttled; the throttling test lowers them.
TIREK_API_RATE_ANON = env_rate("TIREK_API_RATE_ANON", "100000/min" if TESTING else "30/min")
TIREK_API_RATE_USER = env_rate("TIREK_API_RATE_USER", "100000/min" if TESTING else "600/min")
NINJA_NUM_PROXIES = 1 if env_bool("USE_X_FORWARDED_FOR", False) else 0

# The cache holds the API rate counters: per process by default; several server processes need a
# shared one (REDIS_URL, e.g. redis://127.0.0.1:6379/0; needs the `redis` package).
REDIS_URL = env_redis_url("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background tasks (tirek/core/tasks, docs/architecture.md): Django's task framework (django-tasks
# backport) with the queue in the database, so no extra server is needed. `tirek worker` runs
# them; with SQLite the web process runs a worker thread itself unless told otherwise.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
TIREK_TASKS_EMBEDDED_WORKER = env_bool(
    "TIREK_TASKS_EMBEDDED_WORKER",
    DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not TESTING,
)
TIREK_TASK_HEARTBEAT_SECONDS = env_int("TIREK_TASK_HEARTBEAT_SECONDS", 10, minimum=1)
TIREK_TASK_WORKER_TIMEOUT_SECONDS = env_int("TIREK_TASK_WORKER_TIMEOUT_SECONDS", 60, minimum=2)
TIREK_TASK_RESULT_DAYS = env_int("TIREK_TASK_RESULT_DAYS", 30, minimum=1)

# Anchored checkpoints of the audit chains (docs/security.md): the Ed25519 signing key (url-safe
# base64, `tirek audit keygen`), the public key a second system verifies with (derived from the
# signing key when unset), the append-only file checkpoints go to, and how often the scheduler
# anchors (minutes; 0: only when `tirek audit anchor` is run).
TIREK_AUDIT_ANCHOR_KEY = env_ed25519_key("TIREK_AUDIT_ANCHOR_KEY")
TIREK_AUDIT_ANCHOR_PUBLIC_KEY = env_ed25519_key("TIREK_AUDIT_ANCHOR_PUBLIC_KEY")
TIREK_AUDIT_ANCHOR_FILE = env_str("TIREK_AUDIT_ANCHOR_FILE")
# PostgreSQL: the URL the web server, worker and scheduler connect with (a role that owns
# nothing); `tirek audit grants --apply`, run as the owner after `migrate`, creates that role
# and gives it its privileges (docs/deployment.md).
TIREK_RUNTIME_DATABASE_URL = env_str("TIREK_RUNTIME_DATABASE_URL")
TIREK_AUDIT_ANCHOR_MINUTES = env_int("TIREK_AUDIT_ANCHOR_MINUTES", 60, maximum=7 * 24 * 60)

# Phone numbers typed without a country code belong to this country (ISO 3166 alpha-2); all are
# stored as E.164 (core/phones.py).
TIREK_PHONE_REGION = env_str("TIREK_PHONE_REGION", "KZ")

# Retention: a closed case is anonymised this many days after its closing date (5 years).
TIREK_RETENTION_DAYS = env_int("TIREK_RETENTION_DAYS", 1826, minimum=1)

# Statistics: a released cell counts at least this many people (k-anonymity; CTDC uses 11), and
# released counts are rounded to a multiple of this base (docs/statistics.md).
TIREK_STATISTICS_K = env_int("TIREK_STATISTICS_K", 11, minimum=2)
TIREK_STATISTICS_ROUNDING = env_int("TIREK_STATISTICS_ROUNDING", 5, minimum=1, maximum=100)
# ... and carry a stable noise of at most this many people, chosen by the cell key (0: none).
TIREK_STATISTICS_NOISE = env_int("TIREK_STATISTICS_NOISE", 2, minimum=0, maximum=10)
# Differentially private releases (coordinators): the ε all of them may spend in a calendar year,
# and the ε a release proposes (docs/statistics.md).
TIREK_DP_BUDGET = env_int("TIREK_DP_BUDGET", 10, minimum=1, maximum=100)
TIREK_DP_EPSILON = 1.0
# The de-identified CTDC export: the sensitive attributes of every combination of
# quasi-identifiers take at least this many distinct values (l-diversity; 1: not applied).
TIREK_CTDC_L = env_int("TIREK_CTDC_L", 2, minimum=1, maximum=10)
# Official reports: a finished report's file is kept this many hours, then deleted.
TIREK_REPORT_KEEP_HOURS = env_int("TIREK_REPORT_KEEP_HOURS", 72, minimum=1, maximum=24 * 90)

# Break-glass: how long an emergency access to a case outside one's circle lasts.
TIREK_BREAK_GLASS_HOURS = env_int("TIREK_BREAK_GLASS_HOURS", 4, minimum=1)

# Matching: the coordinators' review lists the pairs of person records whose match probability
# lies in this band ("low,high": from low inclusive, below high), see docs/matching.md.
TIREK_MATCH_REVIEW_BAND = env_fraction_pair("TIREK_MATCH_REVIEW_BAND", "0.2,0.9")
# Matching: a weights file learnt from this deployment's labelled records (`tirek match train`)
# for the intake search, the review and `tirek match`; empty: the weights shipped with Tirek.
TIREK_MATCH_WEIGHTS = env_match_weights("TIREK_MATCH_WEIGHTS")

# Encryption at rest (see docs/security.md): Fernet keys, newest first; HMAC key for blind indexes.
TIREK_ENCRYPTION_KEYS = env_fernet_keys("TIREK_ENCRYPTION_KEYS")
TIREK_BLIND_INDEX_KEY = env_str("TIREK_BLIND_INDEX_KEY")
if not (DEBUG or TESTING) and not (TIREK_ENCRYPTION_KEYS and TIREK_BLIND_INDEX_KEY):
    raise ImproperlyConfigured(
        "TIREK_ENCRYPTION_KEYS and TIREK_BLIND_INDEX_KEY must be set when DEBUG is off "
        "(see docs/configuration.md)."
    )
