"""``mannerly mail poll``: fetch new mail from the mailboxes' IMAP folders.

Progress is a checkpoint per folder (UIDVALIDITY and the last UID stored), written in the same
transaction as the raw messages it covers: after a crash or restart the next poll starts exactly
after the last stored message, neither skipping nor repeating one. A new UIDVALIDITY means the
server renumbered the folder: everything is fetched again and the copies already received are
recognised as duplicates by their Message-ID.
"""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass

from django.db import close_old_connections, transaction
from django.utils import timezone
from imapclient import IMAPClient

from mannerly.mail.models import ImapCheckpoint, Mailbox
from mannerly.mail.store import Envelope, raw_row

logger = logging.getLogger("mannerly.mail")

FETCH_BATCH = 50


@dataclass
class PollResult:
    mailbox: str
    stored: int = 0
    error: str = ""


def _ssl_context(mailbox: Mailbox) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not mailbox.imap_verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(mailbox: Mailbox, *, timeout: float = 30.0) -> IMAPClient:
    """A logged-in client; STARTTLS is required (never silently skipped) when configured."""
    security = mailbox.imap_security
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port_or_default,
        ssl=security == Mailbox.Security.TLS,
        ssl_context=_ssl_context(mailbox) if security == Mailbox.Security.TLS else None,
        timeout=timeout,
    )
    try:
        if security == Mailbox.Security.STARTTLS:
            client.starttls(_ssl_context(mailbox))
        client.login(mailbox.imap_username, mailbox.imap_password)
    except Exception:
        _logout(client)
        raise
    return client


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:
        logger.debug("IMAP logout failed", exc_info=True)


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Store every message above the checkpoint; returns how many were stored."""
    result = PollResult(mailbox.address)
    client = connect(mailbox)
    try:
        folder = mailbox.imap_folder or "INBOX"
        status = client.select_folder(folder, readonly=True)
        uidvalidity = int(status[b"UIDVALIDITY"])
        checkpoint = _checkpoint(mailbox, folder, uidvalidity)
        uids = sorted(u for u in client.search(["UID", f"{checkpoint.last_uid + 1}:*"]))
        uids = [u for u in uids if u > checkpoint.last_uid]  # "n:*" includes the last one
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            fetched = client.fetch(batch, ["BODY.PEEK[]"])
            result.stored += _store_batch(mailbox, folder, uidvalidity, batch, fetched)
    finally:
        _logout(client)
    return result


def _checkpoint(mailbox: Mailbox, folder: str, uidvalidity: int) -> ImapCheckpoint:
    checkpoint, _created = ImapCheckpoint.objects.get_or_create(
        mailbox=mailbox, folder=folder, defaults={"uidvalidity": uidvalidity, "last_uid": 0}
    )
    if checkpoint.uidvalidity != uidvalidity:
        logger.warning(
            "%s/%s: UIDVALIDITY changed (%s → %s); fetching the folder again",
            mailbox.address,
            folder,
            checkpoint.uidvalidity,
            uidvalidity,
        )
        checkpoint.uidvalidity = uidvalidity
        checkpoint.last_uid = 0
        checkpoint.save(update_fields=["uidvalidity", "last_uid"])
    return checkpoint


def _store_batch(
    mailbox: Mailbox, folder: str, uidvalidity: int, uids: list[int], fetched: dict
) -> int:
    """Store the messages and move the checkpoint past them in one transaction."""
    rows = []
    for uid in uids:
        data = fetched.get(uid, {}).get(b"BODY[]")
        if data is None:
            continue  # expunged between SEARCH and FETCH
        source = f"imap:{mailbox.address}/{folder}/{uidvalidity}/{uid}"
        rows.append(raw_row(bytes(data), Envelope(source=source, rcpt_tos=(mailbox.address,))))
    with transaction.atomic():
        checkpoint = ImapCheckpoint.objects.select_for_update().get(mailbox=mailbox, folder=folder)
        if checkpoint.uidvalidity != uidvalidity or checkpoint.last_uid >= uids[-1]:
            return 0  # another poller got here first
        for row in rows:
            row.save(force_insert=True)
        checkpoint.last_uid = uids[-1]
        checkpoint.updated_at = timezone.now()
        checkpoint.save(update_fields=["last_uid", "updated_at"])
    return len(rows)


def folder_has_message(mailbox: Mailbox, folder: str, msgid: str) -> bool:
    """Whether the folder holds a message with this Message-ID (the sent-copy check)."""
    client = connect(mailbox)
    try:
        client.select_folder(folder, readonly=True)
        return bool(client.search(["HEADER", "Message-ID", msgid]))
    finally:
        _logout(client)


def poll_all(only: str | None = None) -> list[PollResult]:
    boxes = Mailbox.objects.filter(active=True).exclude(imap_host="")
    if only:
        boxes = boxes.filter(address=only.strip().lower())
    results = []
    for mailbox in boxes:
        try:
            results.append(poll_mailbox(mailbox))
        except Exception as exc:
            logger.exception("polling %s failed", mailbox.address)
            results.append(PollResult(mailbox.address, error=f"{type(exc).__name__}: {exc}"))
    return results


def poll_loop(*, only: str | None = None, loop: bool = False, interval: float = 60.0) -> int:
    """Poll once (or forever), processing what was stored; prints one line per mailbox."""
    from mannerly.mail.ingest import process_pending

    while True:
        close_old_connections()
        results = poll_all(only)
        if not results:
            print("No mailbox has IMAP configured (see: mannerly mail mailbox add --help).")
        for result in results:
            state = f"error: {result.error}" if result.error else f"{result.stored} new"
            print(f"{result.mailbox}: {state}", flush=True)
        process_pending()
        if not loop:
            return 1 if any(r.error for r in results) else 0
        time.sleep(interval)
