"""Mannerly's one settings file: everything a deployment changes is read from the environment.

The embedded default is a data folder (``MANNERLY_DATA``, default ``.mannerly/`` in the current
directory) holding SQLite in WAL mode, stored mail and attachments. ``DATABASE_URL`` switches to
PostgreSQL for scale-out.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default.resolve()


def data_secret_key(data_dir: Path) -> str:
    """A secret key kept in the data folder, so sessions survive restarts without configuration."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


POSTGRES_TIMEOUTS = {
    "connect_timeout": 10,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,  # milliseconds
}


def env_database(name: str, default_sqlite: Path) -> dict:
    """PostgreSQL (psycopg 3) from ``DATABASE_URL``, else embedded SQLite in WAL mode."""
    url = os.environ.get(name)
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        config.setdefault("TEST", {})
        # A server that vanishes without closing the connection (failover, network cut) must not
        # hang a worker forever: give up connecting after 10 s and notice a dead peer within
        # about a minute. Options in the URL win.
        for option, value in POSTGRES_TIMEOUTS.items():
            config.setdefault("OPTIONS", {}).setdefault(option, value)
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
            # with "database is locked" halfway through a transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
        "TEST": {"NAME": env_str("MANNERLY_TEST_SQLITE", "") or None},
    }


DATA_DIR = env_path("MANNERLY_DATA", Path.cwd() / ".mannerly")
MAIL_DIR = DATA_DIR / "mail"
ATTACHMENT_DIR = DATA_DIR / "attachments"
LOG_DIR = DATA_DIR / "logs"

SECRET_KEY = env_str("MANNERLY_SECRET_KEY") or data_secret_key(DATA_DIR)
DEBUG = env_bool("MANNERLY_DEBUG", False)
# Web workers load the etiquette engine in the background as they start (mannerly/wsgi.py).
WARM_UP_ENGINE = env_bool("MANNERLY_WARM_UP", True)
ALLOWED_HOSTS = env_list(
    "MANNERLY_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("MANNERLY_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env_str("MANNERLY_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and static files: the API docs page loads nothing from a CDN
    "mannerly.accounts",
    "mannerly.tickets",
    "mannerly.mail",
    "mannerly.sla",
    "mannerly.coaching",
    "mannerly.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mannerly.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mannerly.urls"
WSGI_APPLICATION = "mannerly.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", default_sqlite=DATA_DIR / "mannerly.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login attempts allowed per username and per client address in LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = env_int("MANNERLY_LOGIN_RATE_LIMIT", 10)
LOGIN_RATE_WINDOW = env_int("MANNERLY_LOGIN_RATE_WINDOW", 300)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("MANNERLY_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
# Static files are served from the package by whitenoise; collectstatic is optional.
STATIC_ROOT = env_str("MANNERLY_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the package: no collectstatic step before the demo starts.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "sla"],
    }
}

EMAIL_BACKEND = env_str("MANNERLY_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("MANNERLY_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("MANNERLY_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("MANNERLY_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("MANNERLY_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("MANNERLY_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("MANNERLY_SMTP_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("MANNERLY_FROM_EMAIL", "support@mannerly.localhost")
# Where the file backend (used by `mannerly demo`) keeps the mail it "sends".
EMAIL_FILE_PATH = env_str("MANNERLY_EMAIL_FILE_PATH", str(DATA_DIR / "sent-mail"))

# The mail channel (mannerly/mail): the SMTP/LMTP listener, limits, threading and the outbox.
MAIL_LISTEN_HOST = env_str("MANNERLY_MAIL_HOST", "127.0.0.1")
MAIL_LISTEN_PORT = env_int("MANNERLY_MAIL_PORT", 2525)
# Larger messages get 552 from the listener and are quarantined by import; never below 50 MiB.
MAIL_MAX_SIZE = max(env_int("MANNERLY_MAIL_MAX_SIZE", 64 * 1024 * 1024), 50 * 1024 * 1024)
# The ticket token in subjects, e.g. "[MNL-42]".
MAIL_TICKET_PREFIX = env_str("MANNERLY_MAIL_TICKET_PREFIX", "MNL")
# A reply matched by subject and sender alone joins a ticket active within this many days.
MAIL_SUBJECT_WINDOW_DAYS = env_int("MANNERLY_MAIL_SUBJECT_WINDOW_DAYS", 14)
# Loop guard: at most this many automatic messages to one address per window.
MAIL_LOOP_LIMIT = env_int("MANNERLY_MAIL_LOOP_LIMIT", 10)
MAIL_LOOP_WINDOW_HOURS = env_int("MANNERLY_MAIL_LOOP_WINDOW_HOURS", 3)
# Outbox retries: first retry after MAIL_SEND_BACKOFF seconds, doubling, MAIL_SEND_ATTEMPTS in all.
MAIL_SEND_ATTEMPTS = env_int("MANNERLY_MAIL_SEND_ATTEMPTS", 8)
MAIL_SEND_BACKOFF = env_int("MANNERLY_MAIL_SEND_BACKOFF", 60)
# How long a worker owns a claimed row (raw mail to process, mail to send) before others may
# take it over; a crashed worker's rows are picked up after this.
MAIL_LEASE_SECONDS = env_int("MANNERLY_MAIL_LEASE_SECONDS", 300)
# A raw message whose processing killed the process this many times is quarantined.
MAIL_PROCESS_ATTEMPTS = env_int("MANNERLY_MAIL_PROCESS_ATTEMPTS", 5)

# Work the `mannerly worker` loop runs on every tick: each entry is a function that claims due
# rows atomically, does the work and returns how many rows it handled.
DUE_WORK: list[str] = [
    "mannerly.mail.ingest.process_due_mail",
    "mannerly.sla.scanner.scan_due",
    "mannerly.mail.outbox.send_due_mail",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("MANNERLY_LOG_LEVEL", "WARNING")},
}
