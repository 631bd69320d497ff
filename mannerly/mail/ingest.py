"""Step two: parse a stored raw message, thread it and record it on its ticket.

Every path (listener, IMAP, import) stores the bytes first (store.py), then comes here. Several
workers may process at once: rows are claimed with ``select_for_update(skip_locked=True)`` and a
lease; a row is processed in one transaction that also marks it done (a group of rows taken
together shares it, see intake.py), so a crash anywhere leaves it pending for the next
worker, and a message whose processing kills the process again and again is quarantined
after ``MAIL_PROCESS_ATTEMPTS`` tries. A message that fails is quarantined with a one-line
reason; the traceback goes to the log file.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone

from mannerly import lookups
from mannerly.mail import mailboxes
from mannerly.mail.models import Mailbox, OutgoingMail, Participant, RawMail, ThreadLink
from mannerly.mail.parse import parse
from mannerly.mail.parsed import Address, ParsedMail
from mannerly.mail.sources import Item
from mannerly.mail.store import Envelope, store_many
from mannerly.mail.threads import (
    KnownIds,
    ThreadMatch,
    by_marker,
    by_message_ids,
    by_subject_and_sender,
    by_subject_token,
    known_ids,
    looks_like_reply,
    thread_keys,
)
from mannerly.tickets import actions
from mannerly.tickets.models import (
    Attachment,
    Customer,
    CustomerEmail,
    Message,
    Organization,
    Ticket,
    store_blob,
)

logger = logging.getLogger("mannerly.mail")

FILE_SOURCE = "file:"
_EMBEDDED_IDS = re.compile(
    rb"^(?:message-id|in-reply-to|references)[ \t]*:[ \t]*((?:.*(?:\r?\n[ \t]+)?)*)",
    re.IGNORECASE | re.MULTILINE,
)
_MESSAGE_ID = re.compile(rb"<[^<>\s]+@[^<>\s]+>")


def _pid_namespace() -> str:
    """Containers may share a host name; their process id namespaces differ."""
    try:
        return os.readlink("/proc/self/ns/pid").partition("[")[2].rstrip("]")
    except OSError:
        return ""


def worker_name() -> str:
    """``host:pid-namespace:pid``: enough to tell whether a claiming process is still alive."""
    return f"{socket.gethostname()}:{_pid_namespace()}:{os.getpid()}"


@dataclass(frozen=True)
class Outcome:
    """What became of one raw message: the ``ingest --json`` line."""

    raw_id: int
    source: str
    message_id: str
    action: str
    ticket: int | None
    reason: str

    def to_json(self) -> dict:
        return {
            "source": display_source(self.source),
            "message_id": self.message_id,
            "action": self.action,
            "ticket": self.ticket,
            "reason": self.reason,
        }


def display_source(source: str) -> str:
    return source.removeprefix(FILE_SOURCE)


class Deferred(Exception):
    """An earlier message of the same thread is still being processed elsewhere: wait for it."""


class Quarantine(Exception):
    """This message cannot be taken as it is; the text is the one-line reason."""


# --- claiming ------------------------------------------------------------------------------


def _lease_end() -> datetime:
    return timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def dead_local_workers(claimed: Iterable[str]) -> list[str]:
    """Workers on this machine (same host name and process namespace) whose process is gone:
    their leases need not run out before others take their rows."""
    here = worker_name().rsplit(":", 1)[0]
    dead = []
    for name in set(claimed):
        where, _, pid = name.rpartition(":")
        if where != here or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(name)
        except PermissionError:
            continue  # alive, someone else's
    return dead


def claim_due(worker: str, limit: int = 50) -> list[int]:
    """Claim up to ``limit`` pending rows for this worker (oldest first); others skip them."""
    now = timezone.now()
    held = RawMail.objects.filter(status=RawMail.Status.PENDING, claimed_until__gte=now)
    holders = list(held.exclude(claimed_by="").values_list("claimed_by", "sender").distinct())
    dead = dead_local_workers(holder for holder, _sender in holders)
    # A sender's later messages are most likely replies in the thread another live worker
    # holds: they would only wait for it (Deferred), so they are left to that worker.
    elsewhere = {s for holder, s in holders if s and holder != worker and holder not in dead}
    with transaction.atomic():
        due = (
            RawMail.objects.select_for_update(skip_locked=True)
            .filter(status=RawMail.Status.PENDING, available_at__lte=now)
            .filter(
                Q(claimed_until__isnull=True)
                | Q(claimed_until__lt=now)
                | Q(claimed_by__in=[*dead, worker])
            )
            .exclude(sender__in=elsewhere)
            .order_by("id")
        )
        rows = list(due.values_list("id", "attempts")[:limit])
        poisoned = [pk for pk, attempts in rows if attempts >= settings.MAIL_PROCESS_ATTEMPTS]
        ids = [pk for pk, attempts in rows if attempts < settings.MAIL_PROCESS_ATTEMPTS]
        if poisoned:
            RawMail.objects.filter(id__in=poisoned).update(
                status=RawMail.Status.QUARANTINED,
                action=RawMail.Action.QUARANTINED,
                reason=f"processing stopped the process {settings.MAIL_PROCESS_ATTEMPTS} times",
                claimed_by="",
                claimed_until=None,
                processed_at=now,
            )
        if ids:
            RawMail.objects.filter(id__in=ids).update(
                claimed_by=worker, claimed_until=_lease_end(), attempts=F("attempts") + 1
            )
    return ids


# Messages processed per transaction: taken together (``intake``), they share the commit and
# the group's lookups. On SQLite one writer runs at a time, so nothing can deadlock. On
# PostgreSQL a group locks the tickets it reads ahead in one query, in id order, so two
# workers' groups cannot lock each other in a cycle; a group that still meets a conflict
# (deadlock, a customer created at the same moment elsewhere) is rolled back and taken one
# message per transaction. The raw bytes were committed before: a lost group is only
# processed again.
GROUP_SIZE = 400
# Rows a worker claims at a time. Each claim costs a few queries, so small claims cost the
# database more per message; a large claim leaves a second worker idle on a small backlog
# (PostgreSQL, 2,000 messages, two workers: 1.56x one worker with claims of 100, 0.95x with
# claims of 400; on 20,000, before the claim indexes, claims of 50 gave half the throughput
# of claims of 400).
CLAIM_SIZE = 100
GROUP_ATTEMPTS = 3  # a group meeting another worker's rows is taken together again this often
RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def _relax_durability() -> None:
    """Processing commits need not wait for the disk on PostgreSQL: the raw bytes were stored
    with a synchronous commit, and a processing commit lost in a server crash only leaves its
    row pending, to be processed again (idempotently). Nothing outside the database is lost."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def process_batch(
    ids: list[int], worker: str, context: Context, rows: dict[int, RawMail] | None = None
) -> list[Outcome]:
    """Process claimed rows; outcomes are returned once committed."""
    outcomes: list[Outcome] = []
    with lookups.batch():  # policies, calendars and our addresses: read once per batch
        for start in range(0, len(ids), GROUP_SIZE):
            group = ids[start : start + GROUP_SIZE]
            outcomes.extend(_process_group(group, worker, context, rows))
    return outcomes


def _process_group(
    group: list[int], worker: str, context: Context, rows: dict[int, RawMail] | None
) -> list[Outcome]:
    """One transaction for the group. A group of several is taken together (``intake``: a few
    queries for the whole group); if that fails in any way, it is rolled back and each message
    is taken in a transaction of its own, so that one message the database refuses holds back
    none of the others; that one is quarantined. A database error that undoes a message is
    retried (deadlocks); a database that is away (OperationalError, InterfaceError) leaves the
    rows pending for the next try."""
    if len(group) > 1:
        outcomes = _take_together(group, worker, context, rows)
        if outcomes is not None:
            return outcomes
        # The failed attempt changed the row objects: each message reads its row again.
        return [o for pk in group for o in _process_group([pk], worker, context, None)]
    for attempt in range(3):
        known = rows if attempt == 0 else None  # after a rollback, read the rows again
        try:
            with transaction.atomic():
                _relax_durability()
                seen = _owners_of([(known or {}).get(pk) for pk in group])
                done = [
                    process(pk, worker, context, row=(known or {}).get(pk), seen=seen)
                    for pk in group
                ]
            return [outcome for outcome in done if outcome is not None]
        except InterfaceError:
            raise
        except DatabaseError as exc:
            if isinstance(exc, OperationalError) and _retryable(exc) and attempt < 2:
                logger.info("retrying %s after %s", group, exc.__cause__)
                continue
            if isinstance(exc, OperationalError):
                raise
            logger.exception("raw mail %s could not be processed", group[0])
            first_line = (str(exc).splitlines() or [""])[0][:300]
            with transaction.atomic():
                outcome = _quarantine(group[0], worker, f"{type(exc).__name__}: {first_line}")
            return [outcome] if outcome is not None else []
    return []


def _take_together(
    group: list[int], worker: str, context: Context, rows: dict[int, RawMail] | None
) -> list[Outcome] | None:
    """The group in one transaction, decided together; None when that failed (rolled back).

    A conflict with another worker's rows (a customer or a message it committed at the same
    moment, a deadlock) is tried again, with those rows then committed and read; anything
    else is left to one message at a time, which tells which message it was.
    """
    from mannerly.mail import intake

    for attempt in range(GROUP_ATTEMPTS):
        try:
            with transaction.atomic():
                _relax_durability()
                return intake.take_group(group, worker, context, rows)
        except InterfaceError:
            raise  # the connection is gone: leave the rows pending, the worker backs off
        except Exception as exc:
            rows = None  # the attempt changed the row objects: read them again
            concurrent = isinstance(exc, IntegrityError) or (
                isinstance(exc, OperationalError) and _retryable(exc)
            )
            if concurrent and attempt < GROUP_ATTEMPTS - 1:
                logger.info("a group of %s met another worker's rows: again", len(group))
                continue
            logger.warning(
                "a group of %s failed together: one message at a time", len(group), exc_info=True
            )
    return None


def _owners_of(rows: list[RawMail | None]) -> KnownIds | None:
    """The tickets already holding these rows' Message-IDs, in one query for the batch (a
    re-delivered batch is then answered without parsing); None when the rows are not at hand."""
    if any(row is None for row in rows):
        return None
    return known_ids({row.msgid for row in rows if row.msgid})


def process_due_mail(limit: int = CLAIM_SIZE) -> int:
    """Worker entry (settings.DUE_WORK): process pending raw mail; returns how many were done."""
    worker = worker_name()
    ids = claim_due(worker, limit)
    process_batch(ids, worker, Context())
    return len(ids)


def process_pending(worker: str | None = None, *, batch: int = CLAIM_SIZE) -> list[Outcome]:
    """Process everything due now (``mail process``, ``mail reprocess``, IMAP polling, tests);
    returns the outcomes."""
    worker = worker or worker_name()
    outcomes: list[Outcome] = []
    context = Context()
    while True:
        ids = claim_due(worker, batch)
        if ids:
            outcomes.extend(process_batch(ids, worker, context))
            continue
        # Deferred rows (waiting for a parent another worker had) come back in a moment.
        soon = RawMail.objects.filter(
            status=RawMail.Status.PENDING,
            available_at__lte=timezone.now() + timedelta(seconds=2),
            claimed_by="",
        )
        if not soon.exists():
            return outcomes
        time.sleep(0.1)


# --- processing ----------------------------------------------------------------------------


class Context:
    """What stays the same across a batch: our own addresses and mailboxes."""

    def __init__(self) -> None:
        self.own = mailboxes.own_addresses()
        self.mailboxes = mailboxes.active_mailboxes()
        self.organizations = Organization.objects.exclude(domain="").exists()


class NotOurs(Exception):
    """Another worker took the row over (our lease ran out): drop our work."""


def process(
    raw_id: int,
    worker: str,
    context: Context | None = None,
    *,
    row: RawMail | None = None,
    seen: KnownIds | None = None,
) -> Outcome | None:
    """Process one claimed row; None when it is no longer ours or had to wait (deferred).

    ``row`` (with its bytes) saves a query when the caller has just stored it; ``seen`` is what
    the thread index knew of the batch's Message-IDs when the batch began.
    """
    context = context or Context()
    try:
        if row is None:
            row = _claimed_row(raw_id, worker)
        if row is None:
            return None
        duplicate = _known_before_parsing(row, worker, seen)
        if duplicate is not None:
            return duplicate
        mail = _parse(bytes(row.data))
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return _process_claimed(row, mail, worker, context)
            except IntegrityError:
                # Another worker took the same Message-ID, or created the same customer, at
                # the same moment. Look again with its rows committed.
                duplicate = _duplicate_of_accepted(raw_id, worker, dedupe_key(mail, row))
                if duplicate is not None:
                    return duplicate
                row = _claimed_row(raw_id, worker)
                if row is None:
                    return None
        raise Quarantine("kept conflicting with concurrent writes")
    except NotOurs:
        return None
    except Deferred:
        RawMail.objects.filter(pk=raw_id, claimed_by=worker).update(
            claimed_by="",
            claimed_until=None,
            attempts=F("attempts") - 1,
            available_at=timezone.now() + timedelta(milliseconds=200),
        )
        return None
    except (OperationalError, InterfaceError):
        raise  # the database is away: leave the row pending, the worker backs off
    except Quarantine as verdict:
        return _quarantine(raw_id, worker, str(verdict))
    except Exception as exc:
        logger.exception("raw mail %s could not be processed", raw_id)
        first_line = (str(exc).splitlines() or [""])[0][:300]
        return _quarantine(raw_id, worker, f"{type(exc).__name__}: {first_line}".strip(": "))


def _known_before_parsing(
    row: RawMail, worker: str, seen: KnownIds | None = None
) -> Outcome | None:
    """A re-delivery whose Message-ID (read from the header block) is already on a ticket is
    a duplicate: no need to parse it. Anything less certain goes the full way (which looks
    again, so a Message-ID taken earlier in the same batch is still caught)."""
    if not row.msgid:
        return None
    known = seen if seen is not None else known_ids({row.msgid})
    if row.msgid not in known.owners:
        return None
    ticket_id, direction = known.owners[row.msgid]
    why = "our own outgoing message" if direction == Message.Direction.OUT else "already received"
    with transaction.atomic():
        return _done(row, worker, RawMail.Action.DUPLICATE, ticket_id, why)


def _claimed_row(raw_id: int, worker: str) -> RawMail | None:
    return RawMail.objects.filter(
        pk=raw_id, status=RawMail.Status.PENDING, claimed_by=worker
    ).first()


def _parse(raw: bytes) -> ParsedMail:
    try:
        return parse(raw)
    except Exception as exc:  # the parser promises never to raise; keep the promise for it
        logger.exception("the parser raised")
        raise Quarantine(f"the parser failed: {type(exc).__name__}") from exc


def _quarantine(raw_id: int, worker: str, reason: str) -> Outcome | None:
    row = RawMail.objects.defer("data").filter(pk=raw_id).first()
    if row is None:
        return None
    row.status = RawMail.Status.QUARANTINED
    row.action = RawMail.Action.QUARANTINED
    row.reason = reason[:500]
    row.ticket_id = row.message_id = None
    try:
        with transaction.atomic():
            _save_result(row, worker, accepted_key=None)
    except NotOurs:
        return None
    logger.warning("raw mail %s quarantined: %s", raw_id, reason)
    return _outcome(row)


def _duplicate_of_accepted(raw_id: int, worker: str, key: str) -> Outcome | None:
    ticket_id = RawMail.objects.filter(accepted_key=key).values_list("ticket_id", flat=True)
    if not ticket_id.exists():
        return None
    row = RawMail.objects.defer("data").filter(pk=raw_id).first()
    if row is None:
        return None
    try:
        with transaction.atomic():
            return _done(
                row, worker, RawMail.Action.DUPLICATE, ticket_id.first(), "already received"
            )
    except NotOurs:
        return None


RESULT_FIELDS = [
    "status",
    "action",
    "reason",
    "ticket_id",
    "message_id",
    "mailbox_id",
    "msgid",
    "sender",
    "subject",
    "auto_reply",
    "bounce",
    "list_id",
]


def _save_result(row: RawMail, worker: str, *, accepted_key: str | None) -> None:
    """One conditional UPDATE: only while the row is still ours and pending.

    Setting ``accepted_key`` here (unique) is what makes a concurrent second delivery of the
    same message fail and roll back instead of creating a second ticket. Hand-written SQL:
    it runs for every message and the ORM's version costs more than the rest of the write.
    """
    now = timezone.now()
    values = [getattr(row, field) for field in RESULT_FIELDS]
    assignments = ", ".join(f"{field} = %s" for field in RESULT_FIELDS)
    sql = (
        f"UPDATE {RawMail._meta.db_table} SET {assignments}, accepted_key = %s, "
        "claimed_by = '', claimed_until = NULL, processed_at = %s "
        "WHERE id = %s AND claimed_by = %s AND status = %s"
    )
    params = [*values, accepted_key, now, row.pk, worker, RawMail.Status.PENDING]
    field = RawMail._meta.get_field("processed_at")
    params[-4] = field.get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.rowcount
    if changed != 1:
        raise NotOurs
    row.accepted_key, row.claimed_by, row.claimed_until, row.processed_at = (
        accepted_key,
        "",
        None,
        now,
    )


def _outcome(row: RawMail) -> Outcome:
    return Outcome(row.pk, row.source, row.msgid, row.action, row.ticket_id, row.reason)


def dedupe_key(mail: ParsedMail, row: RawMail) -> str:
    """Same Message-ID, or the same bytes when there is none, is the same message."""
    return mail.message_id.strip()[:998] if mail.message_id.strip() else f"sha256:{row.sha256}"


def _process_claimed(
    row: RawMail, mail: ParsedMail, worker: str, context: Context
) -> Outcome | None:
    _remember_parse(row, mail, context)
    key = dedupe_key(mail, row)
    known = known_ids(thread_keys(mail.in_reply_to, mail.references, mail.message_id))
    if mail.message_id in known.owners:
        ticket_id, direction = known.owners[mail.message_id]
        why = "our own outgoing message" if direction == Message.Direction.OUT else ""
        return _done(row, worker, RawMail.Action.DUPLICATE, ticket_id, why or "already received")
    if key.startswith("sha256:") and RawMail.objects.filter(accepted_key=key).exists():
        raise IntegrityError("same bytes already taken")  # answered as a duplicate
    take = Taking(row, mail, worker, key, context, known)
    if row.size > settings.MAIL_MAX_SIZE:
        raise Quarantine(f"too large: {row.size} bytes (limit {settings.MAIL_MAX_SIZE})")
    if mail.bounce is not None:
        return _take_bounce(take)
    sender = mail.from_.email if mail.from_ else row.sender
    if not sender or "@" not in sender:
        raise Quarantine("no sender address (From)")
    if mailboxes.is_own(sender, context.own):
        return _take_automatic(take, None, "from our own address")
    customer = _find_customer(sender)
    match = _find_thread(take, sender, customer)
    if mail.auto_reply:
        return _take_automatic(take, match, "automatic reply", customer)
    if match is None:
        customer = customer or _create_customer(mail.from_ or Address("", sender), context)
        return _create(take, customer)
    if customer is None:
        customer = _create_customer(mail.from_ or Address("", sender), context)
    return _append(take, customer, match)


@dataclass
class Taking:
    """One message being taken onto a ticket, and what the steps share."""

    row: RawMail
    mail: ParsedMail
    worker: str
    key: str
    context: Context
    known: KnownIds

    def done(self, action: str, ticket_id: int | None, reason: str, message=None) -> Outcome:
        return _done(self.row, self.worker, action, ticket_id, reason, message, self.key)


def _remember_parse(row: RawMail, mail: ParsedMail, context: Context) -> None:
    row.msgid = (mail.message_id or row.msgid)[:998]
    if mail.from_:
        row.sender = mail.from_.email[:320]
    row.subject = mail.subject[:1000]
    row.auto_reply = bool(mail.auto_reply)
    row.bounce = mail.bounce is not None
    row.list_id = (mail.list_id or "")[:500]
    row.mailbox = mailboxes.mailbox_for(
        [*row.envelope_to, *(a.email for a in mail.to), *(a.email for a in mail.cc)],
        context.mailboxes,
    )


def _done(
    row: RawMail,
    worker: str,
    action: str,
    ticket_id: int | None,
    reason: str,
    message: Message | None = None,
    accepted_key: str | None = None,
) -> Outcome:
    row.status = RawMail.Status.DONE
    row.action = action
    row.ticket_id = ticket_id
    row.message_id = message.pk if message is not None else None
    row.reason = reason[:500]
    _save_result(row, worker, accepted_key=accepted_key)
    return _outcome(row)


# --- customers and threads -------------------------------------------------------------------


def _find_customer(address: str) -> Customer | None:
    """The customer with this address (hand-written SQL: this runs for every message)."""
    emails, customers = CustomerEmail._meta.db_table, Customer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.name, c.language FROM {emails} e "
            f"JOIN {customers} c ON c.id = e.customer_id WHERE e.email = %s",
            [address.lower()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    customer = Customer(pk=row[0], name=row[1], language=row[2])
    customer._state.adding = False
    return customer


def _create_customer(sender: Address, context: Context) -> Customer:
    address = sender.email.lower()
    name = sender.name.strip() or address.partition("@")[0]
    domain = address.rpartition("@")[2]
    organization = None
    if context.organizations and domain:
        organization = Organization.objects.filter(domain=domain).first()
    customer = Customer.objects.create(name=name[:200], organization=organization)
    CustomerEmail.objects.create(customer=customer, email=address, is_primary=True)
    return customer


def _find_thread(take: Taking, sender: str, customer: Customer | None) -> ThreadMatch | None:
    mail = take.mail
    strong = by_message_ids(
        mail.in_reply_to, mail.references, mail.message_id, take.known
    ) or by_marker([mail.in_reply_to, *mail.references])
    if strong is not None:
        return strong
    # Before weaker evidence: if the parent (or an earlier message from this sender) is still
    # queued at another worker, wait for it rather than guess by subject.
    _wait_for_earlier(take.row, mail)
    return by_subject_token(mail.subject, sender) or by_subject_and_sender(
        mail.subject, customer, _when(take.row, mail)
    )


def _wait_for_earlier(row: RawMail, mail: ParsedMail) -> None:
    """With several workers, a reply must not open a ticket while its parent is still queued."""
    earlier = RawMail.objects.filter(status=RawMail.Status.PENDING, id__lt=row.pk)
    parents = [m for m in [mail.in_reply_to, *mail.references] if m]
    if parents and earlier.filter(msgid__in=parents).exists():
        raise Deferred
    if looks_like_reply(mail.subject) and row.sender and earlier.filter(sender=row.sender).exists():
        raise Deferred


def _when(row: RawMail, mail: ParsedMail) -> datetime:
    """When the customer wrote: the Date header for imported archives, else when we got it."""
    if not row.source.startswith(FILE_SOURCE) or mail.date is None:
        return row.received_at
    date = mail.date if mail.date.tzinfo else mail.date.replace(tzinfo=UTC)
    return min(date, row.received_at)


def _message_fields(row: RawMail, mail: ParsedMail) -> dict:
    sender = mail.from_ or Address("", row.sender)
    return {
        "message_id": mail.message_id[:998],
        "in_reply_to": mail.in_reply_to[:998],
        "references": mail.references,
        "from_name": sender.name[:300],
        "from_email": sender.email[:320],
        "to": [a.to_json() for a in mail.to],
        "cc": [a.to_json() for a in mail.cc],
        "subject": mail.subject[:1000],
        "body_html": mail.html or "",
    }


def _create(take: Taking, customer: Customer) -> Outcome:
    row, mail = take.row, take.mail
    fields = _message_fields(row, mail)
    fields.pop("subject")  # the ticket's first message carries the ticket's subject
    ticket = actions.do_open_ticket(
        customer,
        mail.subject[:500],
        mail.text,
        channel=Ticket.Channel.EMAIL,
        team=row.mailbox.team if row.mailbox else None,
        created_at=_when(row, mail),
        **fields,
    )
    message = Message(pk=_first_message_id(ticket), ticket=ticket)
    _record(message, ticket, take, participants=True)
    return take.done(RawMail.Action.CREATED, ticket.pk, "new thread", message)


def _first_message_id(ticket: Ticket) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(id) FROM {Message._meta.db_table} WHERE ticket_id = %s", [ticket.pk]
        )
        return cursor.fetchone()[0]


def _append(take: Taking, customer: Customer, match: ThreadMatch) -> Outcome:
    message = actions.do_customer_message(
        match.ticket,
        customer,
        take.mail.text,
        channel=Ticket.Channel.EMAIL,
        created_at=_when(take.row, take.mail),
        **_message_fields(take.row, take.mail),
    )
    _record(message, match.ticket, take, participants=True)
    return take.done(RawMail.Action.APPENDED, match.ticket.pk, match.reason, message)


def _take_automatic(
    take: Taking, match: ThreadMatch | None, why: str, customer: Customer | None = None
) -> Outcome:
    """Auto-replies (and mail from our own addresses) join their ticket as such, never reopen
    it and never open one: without a ticket they are kept aside."""
    row, mail = take.row, take.mail
    if match is None:
        sender = mail.from_.email if mail.from_ else row.sender
        match = by_message_ids(mail.in_reply_to, mail.references, "", take.known) or by_marker(
            [mail.in_reply_to, *mail.references]
        )
        if match is None and customer is None:
            customer = _find_customer(sender)
        if match is None and customer is not None:
            match = by_subject_and_sender(mail.subject, customer, _when(row, mail))
    if match is None:
        _wait_for_earlier(row, mail)  # its thread may still be queued at another worker
        return take.done(RawMail.Action.AUTO_REPLY, None, f"{why}; no ticket, kept aside")
    message = actions.do_customer_message(
        match.ticket,
        customer,
        mail.text,
        channel=Ticket.Channel.EMAIL,
        kind=Message.Kind.AUTO_REPLY,
        created_at=_when(row, mail),
        **_message_fields(row, mail),
    )
    _record(message, match.ticket, take, participants=False)
    return take.done(RawMail.Action.AUTO_REPLY, match.ticket.pk, why, message)


def _take_bounce(take: Taking) -> Outcome:
    """A delivery failure joins the ticket of the mail that bounced and marks that mail."""
    row, mail = take.row, take.mail
    ids = [m.decode("ascii", "replace") for m in _embedded_ids(bytes(row.data))]
    ids = [i for i in ids if i != mail.message_id]
    bounced = OutgoingMail.objects.filter(msgid__in=ids).first() if ids else None
    match = (
        ThreadMatch(bounced.ticket, "references")
        if bounced
        else by_message_ids(mail.in_reply_to, [*mail.references, *ids], "") or by_marker(ids)
    )
    bounce = mail.bounce
    why = "bounce"
    if bounce is not None:
        why = f"bounce {bounce.status} {bounce.recipient}".strip()
    if match is None:
        return take.done(RawMail.Action.BOUNCE, None, f"{why}; no ticket, kept aside")
    message = actions.do_customer_message(
        match.ticket,
        None,
        mail.text,
        channel=Ticket.Channel.EMAIL,
        kind=Message.Kind.BOUNCE,
        created_at=_when(row, mail),
        **_message_fields(row, mail),
    )
    _record(message, match.ticket, take, participants=False)
    if bounced is not None:
        from mannerly.mail.outbox import record_bounce

        record_bounce(bounced, bounce)
    return take.done(RawMail.Action.BOUNCE, match.ticket.pk, why, message)


def _embedded_ids(raw: bytes) -> list[bytes]:
    """Message-IDs named anywhere in the bytes' header lines, e.g. the original in a DSN."""
    found: list[bytes] = []
    for value in _EMBEDDED_IDS.findall(raw):
        found.extend(_MESSAGE_ID.findall(value))
    return list(dict.fromkeys(found))


def _record(message: Message | None, ticket: Ticket, take: Taking, *, participants: bool) -> None:
    """The message's thread links, attachments and (for real messages) the thread's people."""
    if message is None:
        return
    mail = take.mail
    links = [(mail.message_id[:998], message.pk, True)]
    links += [
        (key[:998], message.pk, False)
        for key in dict.fromkeys([mail.in_reply_to, *mail.references])
        if key and key != mail.message_id
    ]
    _insert(ThreadLink, ["key", "message_id", "own"], [link for link in links if link[0]])
    if mail.attachments:
        Attachment.objects.bulk_create(
            Attachment(
                message=message,
                filename=(att.filename or "attachment")[:500],
                content_type=(att.content_type or "application/octet-stream")[:200],
                size=len(att.data),
                sha256=store_blob(att.data),
                inline=att.inline,
                content_id=(att.content_id or "")[:500],
            )
            for att in mail.attachments
        )
    if participants:
        _remember_participants(ticket, mail, take.row.mailbox, take.context)


def _remember_participants(
    ticket: Ticket, mail: ParsedMail, mailbox: Mailbox | None, context: Context
) -> None:
    """Everyone on the thread, so replies go to all: the sender's reply address, and the To and
    Cc people when the mail was addressed to us (then we know which address is ours)."""
    people: list[Address] = list(mail.reply_to[:1] or ([mail.from_] if mail.from_ else []))
    recipients = [*mail.to, *mail.cc]
    added_at = Participant._meta.get_field("added_at").get_db_prep_value(timezone.now(), connection)
    if mailbox is not None or any(mailboxes.is_own(a.email, context.own) for a in recipients):
        people += recipients
    rows = {}
    for person in people:
        email = person.email.lower()
        if not email or "@" not in email or email in rows:
            continue
        if mailboxes.is_own(email, context.own) or mailboxes.is_machine(email):
            continue
        rows[email] = (ticket.pk, email[:320], person.name[:300], True, added_at)
    columns = ["ticket_id", "email", "name", "active", "added_at"]
    _insert(Participant, columns, list(rows.values()), on_conflict_do_nothing=True)


INSERT_ROWS = 500  # rows per INSERT: well under both databases' limit on parameters


def _insert(
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple],
    *,
    on_conflict_do_nothing: bool = False,
) -> None:
    """One multi-row INSERT (hand-written SQL: it runs for every message, and the ORM's
    ``bulk_create`` costs more than the write itself). Both databases speak this dialect."""
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_ROWS):  # a mail may name thousands of ids
            chunk = rows[start : start + INSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                f"VALUES {', '.join([one] * len(chunk))}"
                + (" ON CONFLICT DO NOTHING" if on_conflict_do_nothing else ""),
                [value for row in chunk for value in row],
            )


# --- import ----------------------------------------------------------------------------------


def ingest_items(items: Iterable[Item], *, batch: int = 400) -> Iterator[Outcome]:
    """Store each batch of imported messages (one commit), then process them in order.

    The same two steps as the listener and IMAP; yields an ``Outcome`` per message.
    """
    worker = worker_name()
    context = Context()
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            yield from _ingest_chunk(chunk, worker, context)
            chunk = []
    if chunk:
        yield from _ingest_chunk(chunk, worker, context)


def _ingest_chunk(chunk: list[Item], worker: str, context: Context) -> Iterator[Outcome]:
    envelopes = [(item.data, Envelope(source=FILE_SOURCE + item.source)) for item in chunk]
    rows = {row.pk: row for row in store_many(envelopes, claimed_by=worker)}
    outcomes = {o.raw_id: o for o in process_batch(list(rows), worker, context, rows)}
    for pk, row in rows.items():
        if pk not in outcomes:  # taken over by another worker: report what the row says now
            row.refresh_from_db(fields=["status", "action", "reason", "ticket", "msgid"])
            outcomes[pk] = _outcome(row)
        yield outcomes[pk]


def reprocess(ids: list[int] | None = None) -> list[Outcome]:
    """Put quarantined messages (all, or these) back in the queue and process what is due."""
    quarantined = RawMail.objects.filter(status=RawMail.Status.QUARANTINED)
    if ids:
        quarantined = quarantined.filter(pk__in=ids)
    quarantined.update(
        status=RawMail.Status.PENDING,
        action="",
        reason="",
        attempts=0,
        claimed_by="",
        claimed_until=None,
        available_at=timezone.now(),
    )
    return process_pending()
