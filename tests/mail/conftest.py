"""Mail test fixtures: a mailbox, an outside SMTP server and a database for child processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection
from mailhelpers import ROOT, ExternalDatabase, SinkHandler, SmtpServer, child_env

from mannerly.mail.models import Mailbox


@pytest.fixture
def mailbox(team):
    return Mailbox.objects.create(
        address="support@mannerly.test", display_name="Acme Support", team=team
    )


@pytest.fixture
def smtp_sink(settings):
    """The outside world's mail server; settings point our outbox at it."""
    handler = SinkHandler()
    server = SmtpServer(handler).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    server.stop()


@pytest.fixture(scope="session")
def _external_template(tmp_path_factory):
    """Migrate once per session; each test then gets a copy (SQLite) or emptied tables (PG)."""
    base = tmp_path_factory.mktemp("external")
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        name = f"test_{connection.settings_dict['NAME'].removeprefix('test_')}_ext"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        pg_url = url.rsplit("/", 1)[0] + "/" + name
        env = child_env(base, pg_url)
    else:
        pg_url = None
        env = child_env(base, None)
    done = subprocess.run(
        [sys.executable, "-m", "mannerly", "migrate"], env=env, capture_output=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr.decode()
    yield base, pg_url
    if pg_url:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')


MAIL_TABLES = [
    "mail_rawmail",
    "mail_threadlink",
    "mail_participant",
    "mail_outgoingmail",
    "mail_imapcheckpoint",
    "mail_mailbox",
    "tickets_attachment",
    "tickets_ticketevent",
    "tickets_message",
    "tickets_ticket",
    "tickets_customeremail",
    "tickets_customer",
    "tickets_organization",
    "accounts_user",
]


@pytest.fixture
def external_db(_external_template, tmp_path) -> ExternalDatabase:
    base, pg_url = _external_template
    data = tmp_path / "child-data"
    data.mkdir()
    if pg_url is None:
        shutil.copy(base / "mannerly.sqlite3", data / "mannerly.sqlite3")
        return ExternalDatabase(child_env(data, None), data / "mannerly.sqlite3", None)
    external = ExternalDatabase(child_env(data, pg_url), None, pg_url)
    external.execute("TRUNCATE " + ", ".join(MAIL_TABLES) + " RESTART IDENTITY CASCADE")
    return external
