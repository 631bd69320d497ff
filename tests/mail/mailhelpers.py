"""Helpers for the mail tests: messages as bytes, an outside SMTP server and a database that
child processes (the listener, workers) share with the test."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP

ROOT = Path(__file__).resolve().parents[2]


def eml(
    subject: str = "Charged twice",
    body: str = "Hello, I was charged twice. Can you refund the second charge?\n\nAnna",
    *,
    sender: str = "Anna Smith <anna@example.com>",
    to: str = "Support <support@mannerly.test>",
    message_id: str | None = "<m1@example.com>",
    in_reply_to: str = "",
    references: str = "",
    cc: str = "",
    reply_to: str = "",
    date: str = "",
    extra: str = "",
) -> bytes:
    """A small RFC 5322 message; only what a test cares about changes."""
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    headers.append(f"Date: {date or format_datetime(datetime.now(UTC))}")
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    if cc:
        headers.append(f"Cc: {cc}")
    if reply_to:
        headers.append(f"Reply-To: {reply_to}")
    if extra:
        headers.extend(extra.strip().splitlines())
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- an outside SMTP server that receives our outbox mail ------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    peer: object = None  # the client's end of the connection it came over


@dataclass
class SinkHandler:
    received: list[Received] = field(default_factory=list)
    # Replies to give instead of 250 at the end of DATA, one per message, then 250.
    data_replies: list[str] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> RCPT reply
    # Replies to give instead of 250 to MAIL FROM, one per transaction ("" accepts), then 250.
    mail_replies: list[str] = field(default_factory=list)
    on_data: object = None  # called with the Received before answering
    event: threading.Event = field(default_factory=threading.Event)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        reply = self.mail_replies.pop(0) if self.mail_replies else ""
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.pop(0)
        item = Received(
            envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, session.peer
        )
        self.received.append(item)
        if callable(self.on_data):
            self.on_data(item)
        self.event.set()
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a free loopback port, in a thread of its own."""

    def __init__(self, handler) -> None:
        self.handler = handler
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.port = 0

    def start(self) -> SmtpServer:
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self.loop)
        future.result(timeout=10)
        return self

    async def _start(self) -> None:
        self.server = await self.loop.create_server(
            lambda: SMTP(self.handler, decode_data=False, enable_SMTPUTF8=True),
            host="127.0.0.1",
            port=0,
        )
        self.port = self.server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def _stop():
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


# --- a database child processes share with the test -------------------------------------------


class ExternalDatabase:
    """A migrated database outside pytest-django's transaction, for the listener and workers
    run as child processes: SQLite in a file, or a PostgreSQL database of our own."""

    def __init__(self, env: dict[str, str], sqlite_path: Path | None, pg_url: str | None):
        self.env = env
        self.sqlite_path = sqlite_path
        self.pg_url = pg_url

    def query(self, sql: str) -> list[tuple]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.pg_url, autocommit=True) as db:
            return db.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as db:
                db.execute(sql)
            return
        import psycopg

        with psycopg.connect(self.pg_url, autocommit=True) as db:
            db.execute(sql)

    def mannerly(self, *args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mannerly", *args],
            env=self.env,
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
            **kwargs,
        )

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "mannerly", *args],
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )


def child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["MANNERLY_DATA"] = str(data_dir)
    env["MANNERLY_SECRET_KEY"] = "test-secret-key-for-child-processes"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.05):
    """Poll until ``predicate()`` is truthy (for child processes, which cannot signal us)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def listener_port(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """The port a ``mannerly mail listen --port 0`` child printed when it was ready."""
    line = process.stdout.readline().decode()
    if "listener" not in line:
        process.kill()
        raise AssertionError(f"listener did not start: {line!r} {process.stderr.read()!r}")
    return int(line.strip().rsplit(":", 1)[1])


def run_python(env: dict[str, str], code: str) -> str:
    """Run Django code in a child process against the external database; returns stdout."""
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "mannerly.settings"},
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


QUEUE_REPLIES = """
from mannerly.accounts.models import User
from mannerly.mail.ingest import ingest_items
from mannerly.mail.models import Mailbox
from mannerly.mail.sources import Item
from mannerly.tickets.actions import do_reply
from mannerly.tickets.models import Ticket
Mailbox.objects.get_or_create(address="support@mannerly.test", defaults={"display_name": "Acme"})
agent = User.objects.create_user("oleh", display_name="Oleh Kovalenko", role="agent")
items = [Item(str(i), RAW.replace(b"<m1@", b"<m%d@" % i)) for i in range(COUNT)]
for outcome in ingest_items(items):
    do_reply(Ticket.objects.get(pk=outcome.ticket), agent, "Hello, here is the answer.")
"""


def queue_replies(env: dict[str, str], count: int, raw: bytes) -> None:
    run_python(env, f"RAW = {raw!r}\nCOUNT = {count}\n" + QUEUE_REPLIES)


OPEN_TICKETS = """
from importlib import import_module
from django.apps import apps
from mannerly.mail.ingest import ingest_items
from mannerly.mail.models import Mailbox
from mannerly.mail.sources import Item
Mailbox.objects.get_or_create(address="support@mannerly.test", defaults={"display_name": "Acme"})
# Emptying the tables (PostgreSQL) cascades to the default service-level policy: restore it.
import_module("mannerly.sla.migrations.0002_default_policy").create_defaults(apps, None)
items = [
    Item(str(i), RAW.replace(b"<m1@", b"<m%d@" % i).replace(b"anna@", b"anna%d@" % i))
    for i in range(COUNT)
]
list(ingest_items(items))
"""


def open_tickets(env: dict[str, str], count: int, raw: bytes) -> None:
    """``count`` new tickets by mail, each from a customer of its own (no loop guard)."""
    run_python(env, f"RAW = {raw!r}\nCOUNT = {count}\n" + OPEN_TICKETS)
