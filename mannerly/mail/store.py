"""Step one for every path (listener, IMAP, import): keep the raw bytes, committed, before
anything else is done with them.

The bytes go into the database row (``RawMail.data``), not a file: one commit makes a message
durable, there is no orphan-file window, and workers on other machines (PostgreSQL) can read
them. ``bench/mail_ingest.py`` measures the cost.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.header import decode_header, make_header
from email.utils import parseaddr

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mannerly.mail.models import RawMail
from mannerly.writes import StagedWrites

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n[ \t]+")


@dataclass(frozen=True)
class Envelope:
    """What the transport knows besides the bytes."""

    source: str = ""
    mail_from: str = ""
    rcpt_tos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Peek:
    message_id: str
    sender: str
    subject: str


def _header_block(raw: bytes) -> bytes:
    match = _HEADER_END.search(raw, 0, 256 * 1024)
    return raw[: match.start()] if match else raw[: 256 * 1024]


def peek(raw: bytes) -> Peek:
    """Message-ID, sender address and subject read from the header block without a full parse.

    Good enough to order work and to list quarantined mail; the parser's values replace them.
    """
    headers: dict[bytes, bytes] = {}
    for line in _FOLD.sub(b" ", _header_block(raw)).splitlines():
        name, sep, value = line.partition(b":")
        key = name.strip().lower()
        if sep and key in (b"message-id", b"from", b"subject") and key not in headers:
            headers[key] = value.strip()
    message_id = ""
    found = re.search(rb"<[^<>\s]+>", headers.get(b"message-id", b""))
    if found:
        message_id = found.group().decode("ascii", "replace")
    sender = parseaddr(headers.get(b"from", b"").decode("utf-8", "replace"))[1].lower()
    try:
        subject = str(make_header(decode_header(headers.get(b"subject", b"").decode("latin-1"))))
    except (LookupError, UnicodeError, ValueError):
        subject = headers.get(b"subject", b"").decode("utf-8", "replace")
    return Peek(message_id[:998], sender[:320], " ".join(subject.split())[:1000])


def raw_row(raw: bytes, envelope: Envelope, *, claimed_by: str = "") -> RawMail:
    """An unsaved row for these bytes; ``claimed_by`` reserves it for the storing process."""
    seen = peek(raw)
    now = timezone.now()
    return RawMail(
        data=raw,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        source=envelope.source[:1000],
        envelope_from=envelope.mail_from[:998],
        envelope_to=list(envelope.rcpt_tos),
        msgid=seen.message_id,
        sender=seen.sender,
        subject=seen.subject,
        received_at=now,
        available_at=now,
        claimed_by=claimed_by,
        attempts=1 if claimed_by else 0,
        claimed_until=now + timedelta(seconds=settings.MAIL_LEASE_SECONDS) if claimed_by else None,
    )


@contextmanager
def flushed_to_disk() -> Iterator[None]:
    """On SQLite, the commit made in this block waits for the disk (``synchronous=FULL``).

    The desk runs SQLite in WAL mode with ``synchronous=NORMAL``: a commit survives the process
    dying but not the machine losing power. That is enough for processing, where a lost commit
    only leaves a row pending; not for the raw bytes, whose commit is what the sender is told
    (SMTP 250). One flush per store (one per batch on import) keeps them, as PostgreSQL's
    default ``synchronous_commit`` does. Inside a caller's transaction its commit decides.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={before}")


def store_raw(raw: bytes, envelope: Envelope, *, claimed_by: str = "") -> RawMail:
    """Store one message and commit; when this returns, the message cannot be lost."""
    with flushed_to_disk(), transaction.atomic():
        row = raw_row(raw, envelope, claimed_by=claimed_by)
        row.save(force_insert=True)
    return row


def store_many(items: list[tuple[bytes, Envelope]], *, claimed_by: str = "") -> list[RawMail]:
    """Store a batch in one commit (import): all of them are durable when this returns."""
    rows = [raw_row(raw, envelope, claimed_by=claimed_by) for raw, envelope in items]
    with flushed_to_disk(), transaction.atomic():
        staged = StagedWrites()  # one INSERT statement; the ORM's bulk_create costs far more
        for row in rows:
            row.pk = staged.new_id(RawMail)
            staged.add(row)
        staged.flush()
    return rows
