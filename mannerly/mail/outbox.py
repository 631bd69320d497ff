"""The outbox: every outgoing message is a row, built once and sent by the worker.

What we guarantee (and how tests/mail/test_outbox*.py show it):

* A reply is queued in the same transaction that records it (``do_reply``), so a crash can never
  keep a saved reply from being sent. Its Message-ID is fixed at that moment, its bytes at the
  first send attempt (automatic mail, which has no attachments to wait for, is built at once).
* Two workers never send the same row: rows are claimed with ``select_for_update(skip_locked)``
  and a lease, and every later state change is conditional on still holding the claim.
* The send is split around the end-of-data dot. Before the dot is sent the row is ``sending``;
  if the process dies there, RFC 5321 (4.1.1.4) makes the server discard the transaction, so
  the retry sends it exactly once. Right before the dot we commit ``uncertain``.
* A crash after the dot and before ``sent`` is committed (one SMTP round trip and one commit) is
  the window SMTP itself cannot close: the relay may have accepted the mail. The retry first
  looks for proof that it did: our own copy came back (a RawMail with that Message-ID, e.g. a
  Bcc to the desk or a polled Sent folder) or the mailbox's IMAP sent folder holds it. Found:
  marked sent, not resent. Not found or not checkable: sent again with the same Message-ID and
  bytes (mail clients that de-duplicate by Message-ID show it once), and a ``mail-resent``
  event on the ticket says so. So: exactly once, except in that window without a sent-folder
  check, where it is at least once.
* Temporary failures (4xx, connection errors) retry with exponential backoff; permanent ones
  (5xx) and running out of attempts mark the row ``failed`` with a ``mail-failed`` event.
* A worker claims up to ``BATCH`` rows and sends them over one SMTP connection; each row keeps
  its own commits around the end of data and its own outcome, so a refused message fails or
  waits alone while the rest of the batch goes out. Only the commit that starts a send
  (``sending``) may skip waiting for the disk: losing it leaves a row nothing was sent for.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import smtplib
import socket
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from mannerly import lookups
from mannerly.mail import mailboxes
from mannerly.mail.compose import Built, ComposeError, Thread, addressing, build, read_threads
from mannerly.mail.ingest import dead_local_workers, worker_name
from mannerly.mail.models import OutgoingMail, RawMail, ThreadLink
from mannerly.mail.parsed import Bounce
from mannerly.mail.threads import new_message_id
from mannerly.tickets.models import CustomerFlag, Message, Ticket, TicketEvent

logger = logging.getLogger("mannerly.mail")


# --- queueing --------------------------------------------------------------------------------


def queue_reply(message: Message) -> OutgoingMail:
    """Queue an agent's reply for sending (idempotent: the same message is queued once)."""
    return _queue(message, kind=OutgoingMail.Kind.REPLY, reason="")


def queue_automatic(message: Message, *, reason: str) -> OutgoingMail | None:
    """Queue automatic mail (acknowledgement, notification) unless it could start a mail loop
    or should not go out; then return None and record why on the ticket."""
    existing = OutgoingMail.objects.filter(message=message).first()
    if existing is not None:
        return existing
    [result] = queue_automatic_batch([message], reason=reason)
    if isinstance(result, OutgoingMail):
        return result
    TicketEvent.record(
        message.ticket, None, "automatic-mail-refused", result, message=message.pk, purpose=reason
    )
    return None


def queue_automatic_batch(messages: list[Message], *, reason: str) -> list[OutgoingMail | str]:
    """Queue a batch of new automatic messages, one per ticket, in a fixed number of queries.

    Each is built at once and gets its outbox row; one that must not go out gets the reason in
    its place, and when it was not saved yet it stays unsaved (the customer never sees mail that
    was not sent). The loop guard counts the batch's own rows as it goes."""
    threads = read_threads({m.ticket_id for m in messages})
    guard = LoopGuard([_recipient(m.ticket, threads[m.ticket_id]) for m in messages])
    results: list[OutgoingMail | _Unsendable | str] = []
    for message in messages:
        thread = threads[message.ticket_id]
        refusal = automatic_refusal(message.ticket, thread, guard)
        if refusal:
            results.append(refusal)
            continue
        results.append(_prepare_row(message, thread, reason))
        guard.add(_recipient(message.ticket, thread))
    _save_batch(messages, results, reason)
    return results  # type: ignore[return-value]  # _save_batch replaced every _Unsendable


class LoopGuard:
    """Automatic mail sent to each address within the loop window: counted in one query for a
    batch, then kept up to date as the batch queues more."""

    def __init__(self, addresses: list[str]) -> None:
        since = timezone.now() - timedelta(hours=settings.MAIL_LOOP_WINDOW_HOURS)
        wanted = {a.lower() for a in addresses if a}
        rows = (
            OutgoingMail.objects.filter(
                kind=OutgoingMail.Kind.AUTOMATIC, to_address__in=wanted, created_at__gte=since
            )
            .values_list("to_address")
            .annotate(sent=Count("pk"))
        )
        self.counts = Counter(dict(rows)) if wanted else Counter()

    def count(self, address: str) -> int:
        return self.counts[address.lower()]

    def add(self, address: str) -> None:
        self.counts[address.lower()] += 1


def _recipient(ticket: Ticket, thread: Thread) -> str:
    last_in = thread.last_in()
    return (last_in.from_email if last_in else "") or ticket.customer.email


def automatic_refusal(ticket: Ticket, thread: Thread, guard: LoopGuard) -> str:
    """Why automatic mail must not go to this ticket's customer now; empty when it may."""
    last_in = thread.last_in()
    if last_in is not None:
        if last_in.kind == Message.Kind.AUTO_REPLY:
            return "the last incoming message is an automatic reply"
        if last_in.kind == Message.Kind.BOUNCE:
            return "the last incoming message is a bounce"
        raw = next((r for r in thread.received if r.message_id == last_in.pk), None)
        if raw is not None and raw.bounce:
            return "the last incoming message is a bounce"
        if raw is not None and raw.auto_reply:
            return "the last incoming message is an automatic reply"
        if raw is not None and raw.list_id:
            return f"the last incoming message came from a mailing list ({raw.list_id})"
        if last_in.from_email and mailboxes.is_own(last_in.from_email):
            return "the last incoming message came from one of our own addresses"
    recipient = _recipient(ticket, thread)
    if not recipient:
        return "the customer has no email address"
    if mailboxes.is_own(recipient):
        return f"{recipient} is one of our own addresses"
    if mailboxes.is_machine(recipient):
        return f"{recipient} is a machine address"
    flag = _active_flag(ticket)
    if flag is not None:
        return f"the customer is flagged: {flag.get_kind_display()}"
    recent = guard.count(recipient)
    if recent >= settings.MAIL_LOOP_LIMIT:
        return (
            f"loop guard: {recent} automatic messages to {recipient} in the last "
            f"{settings.MAIL_LOOP_WINDOW_HOURS} hours"
        )
    return ""


def _active_flag(ticket: Ticket) -> CustomerFlag | None:
    """The customer's oldest active flag (reads flags the scanner prefetched, if it did)."""
    flags = sorted(ticket.customer.flags.all(), key=lambda flag: flag.pk)
    return next((flag for flag in flags if flag.active), None)


def _queue(message: Message, *, kind: str, reason: str) -> OutgoingMail:
    """The message's outbox row: written now, or the one written before."""
    existing = OutgoingMail.objects.filter(message=message).first()
    if existing is not None:
        return existing
    return _write_row(message, kind=kind, reason=reason)


def _write_row(message: Message, *, kind: str, reason: str) -> OutgoingMail:
    """Write a reply's outbox row with its Message-ID fixed; the worker builds and sends it (at
    its first attempt: attachments may still be added in the replying transaction)."""
    try:
        who = addressing(message)
    except ComposeError as exc:
        return _unsendable(message, kind, reason, str(exc))
    msgid = who.new_message_id(message.ticket_id)
    outgoing = OutgoingMail.objects.create(
        message=message,
        ticket_id=message.ticket_id,
        mailbox=who.mailbox,
        kind=kind,
        reason=reason[:200],
        msgid=msgid,
        from_address=who.from_address,
        to_address=who.to[0][1].lower(),
        recipients=[],
        data=b"",
    )
    Message.objects.filter(pk=message.pk).update(message_id=msgid, from_email=who.from_address)
    message.message_id, message.from_email = msgid, who.from_address  # the caller's copy too
    ThreadLink.objects.create(key=msgid, message=message, own=True)
    return outgoing


def _prepare_row(message: Message, thread: Thread, reason: str) -> OutgoingMail | _Unsendable:
    """Automatic mail's outbox row (not saved yet), built once with the addressing decided now;
    the worker only sends the stored bytes. Fills in the message's Message-ID and headers."""
    try:
        who = addressing(message, automatic=True, thread=thread)
    except ComposeError as exc:
        return _Unsendable(str(exc))
    msgid = who.new_message_id(message.ticket_id)
    built = None
    try:
        built = build(message, msgid, automatic=True, who=who)
    except (ComposeError, OSError):
        logger.warning("building %s failed; the worker will try again", msgid, exc_info=True)
    message.message_id, message.from_email = msgid, who.from_address
    for name, value in (_built_message_fields(built) if built else {}).items():
        setattr(message, name, value)
    return OutgoingMail(
        message=message,
        ticket_id=message.ticket_id,
        mailbox=who.mailbox,
        kind=OutgoingMail.Kind.AUTOMATIC,
        reason=reason[:200],
        msgid=msgid,
        from_address=built.from_address if built else who.from_address,
        to_address=who.to[0][1].lower(),
        recipients=built.recipients if built else [],
        data=built.data if built else b"",
    )


@dataclass
class _Unsendable:
    """Automatic mail that cannot even be addressed: kept as a failed row, like a reply."""

    why: str


_MESSAGE_FIELDS = ["message_id", "from_email", "in_reply_to", "references", "to", "cc", "subject"]


def _save_batch(messages: list[Message], results: list, reason: str) -> None:
    """Save what the batch decided: the messages that go out (new ones in one INSERT), their
    outbox rows and thread links; a message that cannot be addressed becomes a failed row."""
    going = [m for m, r in zip(messages, results, strict=True) if not isinstance(r, str)]
    earlier = [m for m in going if m.pk is not None]
    Message.objects.bulk_create([m for m in going if m.pk is None])
    if earlier:
        Message.objects.bulk_update(earlier, _MESSAGE_FIELDS)
    for n, (message, result) in enumerate(zip(messages, results, strict=True)):
        if isinstance(result, _Unsendable):
            results[n] = _unsendable(message, OutgoingMail.Kind.AUTOMATIC, reason, result.why)
        elif isinstance(result, OutgoingMail):
            result.message = message  # again: the message has its primary key now
    rows = [r for r in results if isinstance(r, OutgoingMail) and r.pk is None]
    OutgoingMail.objects.bulk_create(rows)
    ThreadLink.objects.bulk_create(
        ThreadLink(key=row.msgid, message=row.message, own=True) for row in rows
    )


def _built_message_fields(built: Built) -> dict:
    """What the built mail says about the message, for its row (shown on the ticket)."""
    return {
        "in_reply_to": built.in_reply_to,
        "references": built.references,
        "to": [{"name": n, "email": e} for n, e in built.to],
        "cc": [{"name": n, "email": e} for n, e in built.cc],
        "subject": built.subject[:1000],
    }


def _build(row: OutgoingMail) -> None:
    """Fix the bytes at the first attempt and store them; later attempts send the same."""
    message = Message.objects.select_related("ticket", "author").get(pk=row.message_id)
    built = build(message, row.msgid, automatic=row.kind == OutgoingMail.Kind.AUTOMATIC)
    row.data = built.data
    row.recipients = built.recipients
    row.from_address = built.from_address
    row.save(update_fields=["data", "recipients", "from_address"])
    Message.objects.filter(pk=message.pk).update(**_built_message_fields(built))


def _unsendable(message: Message, kind: str, reason: str, why: str) -> OutgoingMail:
    """A reply that cannot even be built is kept as a failed row, visible on the ticket."""
    outgoing = OutgoingMail.objects.create(
        message=message,
        ticket=message.ticket,
        kind=kind,
        reason=reason[:200],
        msgid=new_message_id(message.ticket_id, "invalid"),
        from_address="",
        recipients=[],
        data=b"",
        status=OutgoingMail.Status.FAILED,
        last_error=why,
    )
    TicketEvent.record(message.ticket, None, "mail-failed", why, message=message.pk)
    return outgoing


# --- sending ---------------------------------------------------------------------------------


class TemporaryFailure(Exception):
    """Try again later (4xx, connection trouble)."""


class PermanentFailure(Exception):
    """The server refused for good (5xx)."""


# Rows one worker claims at a time; they all go out over one SMTP connection.
BATCH = 100
# Rows a worker may hold: what is waiting or on its way (indexed, unlike the lease columns).
UNSENT = [OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING, OutgoingMail.Status.UNCERTAIN]


def claim_outgoing(worker: str, limit: int = BATCH) -> list[int]:
    now = timezone.now()
    held = OutgoingMail.objects.filter(status__in=UNSENT, claimed_until__gte=now).exclude(
        claimed_by=""
    )
    dead = dead_local_workers(held.values_list("claimed_by", flat=True).distinct())
    lapsed = Q(claimed_until__lt=now) | Q(claimed_by__in=dead)
    stale = Q(status__in=[OutgoingMail.Status.SENDING, OutgoingMail.Status.UNCERTAIN]) & lapsed
    due = Q(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | lapsed
    )
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(due | stale)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            OutgoingMail.objects.filter(id__in=ids).update(
                claimed_by=worker,
                claimed_until=now + timedelta(seconds=settings.MAIL_LEASE_SECONDS),
            )
    return ids


def send_due_mail(limit: int = BATCH) -> int:
    """Worker entry (settings.DUE_WORK): send what is due; returns how many rows were handled.

    The whole batch goes over one SMTP connection (reopened only after the relay dropped it);
    each row still has its own claim, its own commits around the end of data and its own
    outcome, so one refused message fails or waits alone."""
    worker = worker_name()
    ids = claim_outgoing(worker, limit)
    if not ids:
        return 0
    # The batch's rows in one read; a row is still sent only while the claim is ours (every
    # change below is conditional on it), and a row that needs more than sending is read again.
    rows = _mine_all(ids, worker).select_related("mailbox").in_bulk()
    with lookups.batch(), Transport() as transport:
        for pk in ids:
            try:
                send_one(pk, worker, transport, rows.get(pk))
            except Exception:
                logger.exception("sending outgoing mail %s failed unexpectedly", pk)
                _retry_later(pk, worker, "internal error; see the mail log")
    return len(ids)


def _mine(pk: int, worker: str):
    return OutgoingMail.objects.filter(pk=pk, claimed_by=worker)


def _mine_all(ids: list[int], worker: str):
    return OutgoingMail.objects.filter(pk__in=ids, claimed_by=worker)


def send_one(pk: int, worker: str, transport: Transport, row: OutgoingMail | None = None) -> None:
    """Send one claimed row; ``row`` is its copy read with the batch, if it was."""
    if row is None or row.status == OutgoingMail.Status.UNCERTAIN or not row.data:
        row = _mine(pk, worker).select_related("mailbox").first()
    if row is None or row.status in (OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED):
        return
    if row.status == OutgoingMail.Status.UNCERTAIN:
        if already_accepted(row):
            _mark_sent(row, worker, {}, note="found accepted after an interrupted send")
            return
        TicketEvent.record(
            row.ticket,
            None,
            "mail-resent",
            "an earlier send was interrupted after the end of data; sending again with the "
            "same Message-ID",
            message=row.message_id,
        )
    if not row.data:
        try:
            _build(row)
        except (ComposeError, OSError) as exc:
            _fail(row, worker, f"cannot build the mail: {exc}")
            return
    attempts = row.attempts + 1
    # Each row renews the lease as it starts, so a long batch never outlives its claim.
    lease = timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS)
    with transaction.atomic():
        _commit_without_waiting()
        started = _mine(pk, worker).update(
            status=OutgoingMail.Status.SENDING, attempts=attempts, claimed_until=lease
        )
    if not started:
        return
    row.attempts = attempts
    try:
        refused = transport.send(row, before_final_dot=lambda: _mark_uncertain(pk, worker))
    except TemporaryFailure as exc:
        _retry_later(pk, worker, str(exc))
        return
    except PermanentFailure as exc:
        _fail(row, worker, str(exc))
        return
    failpoint("after-accepted")
    _mark_sent(row, worker, refused)


def _commit_without_waiting() -> None:
    """Let this transaction's commit return before its WAL is flushed (PostgreSQL).

    Only for the start of a send: before the end of data nothing can be delivered, so losing
    that commit to a database crash only leaves the row queued under a claim that lapses, and it
    is sent then. The commit right before the end of data waits for the flush as usual, and
    the log is written in order, so that flush carries this commit too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mark_uncertain(pk: int, worker: str) -> None:
    _mine(pk, worker).update(status=OutgoingMail.Status.UNCERTAIN)


def _mark_sent(row: OutgoingMail, worker: str, refused: dict, note: str = "") -> None:
    sent = _mine(row.pk, worker)
    fields = {
        "status": OutgoingMail.Status.SENT,
        "sent_at": timezone.now(),
        "refused": refused,
        "last_error": note,
        "claimed_by": "",
        "claimed_until": None,
    }
    if not refused:  # one statement: it commits on its own
        sent.update(**fields)
        return
    with transaction.atomic():
        changed = sent.update(**fields)
        if changed:
            TicketEvent.record(
                row.ticket,
                None,
                "mail-refused-recipients",
                "; ".join(f"{r}: {why}" for r, why in refused.items()),
                message=row.message_id,
            )


def _retry_later(pk: int, worker: str, error: str) -> None:
    row = _mine(pk, worker).first()
    if row is None:
        return
    if row.attempts >= settings.MAIL_SEND_ATTEMPTS:
        _fail(row, worker, f"gave up after {row.attempts} attempts: {error}")
        return
    delay = settings.MAIL_SEND_BACKOFF * 2 ** max(0, row.attempts - 1)
    _mine(pk, worker).update(
        status=OutgoingMail.Status.QUEUED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_error=error[:2000],
        claimed_by="",
        claimed_until=None,
    )


def _fail(row: OutgoingMail, worker: str, error: str) -> None:
    with transaction.atomic():
        changed = _mine(row.pk, worker).update(
            status=OutgoingMail.Status.FAILED,
            last_error=error[:2000],
            claimed_by="",
            claimed_until=None,
        )
        if changed:
            TicketEvent.record(row.ticket, None, "mail-failed", error, message=row.message_id)


def settle_demo_history() -> int:
    """Demo data replies through the real actions; those replies are history, not mail."""
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error="demo history"
    )


def record_bounce(outgoing: OutgoingMail, bounce: Bounce | None) -> None:
    """A delivery status notification came back for this mail: show it on the ticket."""
    why = f"{bounce.status} {bounce.recipient}: {bounce.reason}" if bounce else "bounced"
    OutgoingMail.objects.filter(pk=outgoing.pk).update(
        status=OutgoingMail.Status.BOUNCED, last_error=why[:2000]
    )
    TicketEvent.record(outgoing.ticket, None, "mail-bounced", why, message=outgoing.message_id)


def already_accepted(row: OutgoingMail) -> bool:
    """Proof that the relay took this mail before we could record it (see the module text)."""
    if RawMail.objects.filter(msgid=row.msgid).exists():
        return True
    mailbox = row.mailbox
    if mailbox is None or not mailbox.imap_sent_folder or not mailbox.imap_host:
        return False
    from mannerly.mail.imap import folder_has_message

    try:
        return folder_has_message(mailbox, mailbox.imap_sent_folder, row.msgid)
    except Exception:
        logger.exception("could not search %s for %s", mailbox.imap_sent_folder, row.msgid)
        return False


def failpoint(name: str) -> None:
    """Crash here when told to (MANNERLY_FAILPOINT=name): how tests reach the crash windows."""
    if os.environ.get("MANNERLY_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- SMTP ------------------------------------------------------------------------------------

_BARE_EOL = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class Transport:
    """One connection to the relay configured in settings (Django's SMTP backend opens it),
    kept open for every message of a batch.

    A refusal (4xx/5xx) ends only that message's transaction, so the connection stays. A relay
    that closes a connection we had already used (idle timeout, a per-connection message limit,
    ``421``) is reconnected once for the message in hand, as long as its end of data was not
    sent yet: until then the relay has nothing to deliver, so this cannot send twice.
    """

    def __init__(self) -> None:
        self.backend = get_connection()
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.backend.close()
        except Exception:
            logger.warning("closing the SMTP connection failed", exc_info=True)

    def _connection(self) -> smtplib.SMTP | None:
        if self.smtp is None and hasattr(self.backend, "connection"):
            try:
                self.backend.open()
            except (OSError, smtplib.SMTPException) as exc:
                raise TemporaryFailure(f"cannot connect to the mail relay: {exc}") from exc
            self.smtp = self.backend.connection
            _send_at_once(self.smtp)
        return self.smtp

    def send(self, row: OutgoingMail, *, before_final_dot) -> dict:
        """Send ``row``'s bytes; returns refused recipients. Calls ``before_final_dot`` right
        before the end of data, the point after which the relay may have accepted it."""
        data = bytes(row.data)
        reused = self.smtp is not None
        dot_sent = False

        def at_final_dot() -> None:
            nonlocal dot_sent
            dot_sent = True
            before_final_dot()

        try:
            return self._send(row, data, at_final_dot)
        except TemporaryFailure as exc:
            if not reused or dot_sent or not _connection_lost(exc.__cause__):
                raise
            logger.info("the relay closed the connection; reconnecting for %s", row.msgid)
            return self._send(row, data, at_final_dot)

    def _send(self, row: OutgoingMail, data: bytes, before_final_dot) -> dict:
        try:
            smtp = self._connection()
            if smtp is None:  # a non-SMTP backend (console, locmem): no crash window to narrow
                before_final_dot()
                self.backend.send_messages([_Prebuilt(row, data)])
                return {}
            return _smtp_send(smtp, row, data, before_final_dot)
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # the relay is closing this connection
                self._drop()
            text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(text) from exc
            raise PermanentFailure(text) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            text = "; ".join(f"{r}: {c} {_text(m)}" for r, (c, m) in exc.recipients.items())
            if all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(text) from exc
            raise PermanentFailure(f"every recipient was refused: {text}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    def _drop(self) -> None:
        try:
            self.backend.close()
        except Exception:
            logger.debug("ignoring an error while dropping the connection", exc_info=True)
        self.smtp = None


def _send_at_once(smtp: smtplib.SMTP) -> None:
    """Turn off Nagle's algorithm on the relay connection. The end-of-data dot is a small write
    that follows the body (with a commit in between); held back until the body is acknowledged,
    it waits out the relay's delayed ACK (40 ms on Linux) for every message."""
    sock = getattr(smtp, "sock", None)
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _connection_lost(error: BaseException | None) -> bool:
    """The relay went away (rather than refusing this message)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421
    return isinstance(error, smtplib.SMTPServerDisconnected | OSError)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _smtp_send(smtp: smtplib.SMTP, row: OutgoingMail, data: bytes, before_final_dot) -> dict:
    smtp.ehlo_or_helo_if_needed()
    options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
    code, reply = smtp.mail(row.from_address, options)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, row.from_address)
    refused = {}
    for recipient in row.recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(row.recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("DATA")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    body = _LEADING_DOT.sub(b"..", _BARE_EOL.sub(b"\r\n", data))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    failpoint("before-final-dot")
    before_final_dot()
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return {r: f"{c} {_text(m)}" for r, (c, m) in refused.items()}


class _Prebuilt(DjangoEmailMessage):
    """Hands our fixed bytes to a non-SMTP Django backend (console, file, locmem)."""

    def __init__(self, row: OutgoingMail, data: bytes) -> None:
        super().__init__(from_email=row.from_address, to=list(row.recipients))
        self._data = data

    def message(self):  # type: ignore[override]
        from email import message_from_bytes
        from email import policy as policies

        return message_from_bytes(self._data, policy=policies.SMTP)
