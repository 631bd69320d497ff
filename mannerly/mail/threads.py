"""Which ticket an incoming message belongs to, and the evidence that says so.

The order of evidence (shared/spec/mail.md): In-Reply-To, then References, then our ticket token
(a signed marker in the Message-IDs we generate, or "[MNL-42]" in the subject), then subject and
the same sender within a recent window. A different sender is never joined by subject alone.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q

from mannerly.mail.models import Participant, ThreadLink
from mannerly.tickets.models import Customer, CustomerEmail, Message, Ticket

# Reply and forward prefixes as mail clients write them, in the languages we see: "Re:", "RE :",
# "AW:", "Antw:", "SV:", "Ynt:", "Odp:", "答复:", "回复:", "Відп:", "Отв:", "Fwd:", "WG:", "TR:"...
_PREFIX = (
    r"(?:re|aw|sv|vs|antw|antwort|odp|ynt|r|rif|res|ref|fw|fwd|wg|tr|enc|rv|"
    r"答复|回复|回覆|转发|轉寄|відп|відповідь|отв|ответ|пересл)"
)
REPLY_PREFIX = re.compile(rf"^\s*{_PREFIX}\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*", re.IGNORECASE)
# What auto-responders put in front of the subject they answer.
AUTO_PREFIX = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?reply|autoreply|out of (?:the )?office|"
    r"abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|"
    r"自动回复|自動回覆|автоответ|автовідповідь|автоматический ответ)\s*[:：]\s*",
    re.IGNORECASE,
)
# The most recently active tickets of the sender whose subject a reply is compared with.
SUBJECT_CANDIDATES = 50
_MARKER_ID = re.compile(r"<mnly\.(\d+)\.([0-9a-f]{10})\.[A-Za-z0-9_-]+@[^>]+>")


def token_pattern() -> re.Pattern[str]:
    prefix = re.escape(settings.MAIL_TICKET_PREFIX)
    return re.compile(rf"\[\s*{prefix}\s*[-#]\s*(\d+)\s*\]", re.IGNORECASE)


def ticket_token(ticket_id: int) -> str:
    """The subject token we put on replies, e.g. ``[MNL-42]``."""
    return f"[{settings.MAIL_TICKET_PREFIX}-{ticket_id}]"


def _signature(ticket_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"mnly-ticket:{ticket_id}".encode(), hashlib.sha256).hexdigest()[:10]


def new_message_id(ticket_id: int, domain: str) -> str:
    """A Message-ID that names its ticket, signed so that nobody can forge one for a ticket."""
    return f"<mnly.{ticket_id}.{_signature(ticket_id)}.{secrets.token_urlsafe(12)}@{domain}>"


def marker_ticket(message_id: str) -> int | None:
    """The ticket named by one of our own signed Message-IDs, else None."""
    found = _MARKER_ID.search(message_id or "")
    if not found:
        return None
    ticket_id = int(found.group(1))
    return ticket_id if hmac.compare_digest(found.group(2), _signature(ticket_id)) else None


def strip_prefixes(subject: str) -> tuple[str, bool]:
    """The subject without reply/forward/auto-reply prefixes, and whether it had any."""
    text, had = subject, False
    while True:
        stripped = REPLY_PREFIX.sub("", text, count=1)
        stripped = AUTO_PREFIX.sub("", stripped, count=1)
        if stripped == text:
            return text, had
        text, had = stripped, True


def normalized_subject(subject: str) -> str:
    text = token_pattern().sub(" ", subject or "")
    text, _had = strip_prefixes(text)
    return " ".join(text.split()).casefold()


def looks_like_reply(subject: str) -> bool:
    return strip_prefixes(subject or "")[1]


@dataclass(frozen=True)
class ThreadMatch:
    ticket: Ticket
    reason: str  # in-reply-to | references | ticket-token | subject+sender


def _live(ticket: Ticket | None) -> Ticket | None:
    """Follow merges to the ticket that lives on."""
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    return ticket


def _ticket(ticket_id: int | None) -> Ticket | None:
    if ticket_id is None:
        return None
    return _live(Ticket.objects.select_related("customer").filter(pk=ticket_id).first())


@dataclass(frozen=True)
class KnownIds:
    """What the thread index knows about some Message-IDs (one query)."""

    owners: dict[str, tuple[int, str]]  # Message-ID -> (ticket, direction) of its message
    mentions: dict[str, int]  # Message-ID -> ticket of a message that referred to it


def known_ids(keys: set[str]) -> KnownIds:
    """One indexed read on every message (hand-written SQL: the ORM costs ~20x here)."""
    owners: dict[str, tuple[int, str]] = {}
    mentions: dict[str, int] = {}
    if not keys:
        return KnownIds(owners, mentions)
    links, messages = ThreadLink._meta.db_table, Message._meta.db_table
    placeholders = ", ".join(["%s"] * len(keys))
    sql = (
        f"SELECT l.key, l.own, m.ticket_id, m.direction FROM {links} l "
        f"JOIN {messages} m ON m.id = l.message_id WHERE l.key IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(keys))
        for key, own, ticket, direction in cursor.fetchall():
            if own:
                owners[key] = (ticket, direction)
            else:
                mentions[key] = ticket
    return KnownIds(owners, mentions)


def thread_keys(in_reply_to: str, references: list[str], own_id: str) -> set[str]:
    return {key for key in [in_reply_to, *references, own_id] if key}


# From a ticket id and the evidence to the match on the ticket that lives on (after merges).
Resolver = Callable[[int | None, str], "ThreadMatch | None"]


def by_message_ids(
    in_reply_to: str,
    references: list[str],
    own_id: str,
    known: KnownIds | None = None,
    resolve: Resolver | None = None,
) -> ThreadMatch | None:
    """In-Reply-To, then References (latest first), then replies to this message seen earlier.

    ``resolve``: how to follow a ticket id (default: read the database); mail intake passes the
    tickets it read for its whole group.
    """
    match = resolve or _match
    chain = [("in-reply-to", in_reply_to)] + [("references", r) for r in reversed(references)]
    chain = [(reason, key) for reason, key in chain if key]
    if known is None:
        known = known_ids(thread_keys(in_reply_to, references, own_id))
    for reason, key in chain:
        if key in known.owners:
            return match(known.owners[key][0], reason)
    for reason, key in chain:
        if key in known.mentions:  # a sibling reply named the same parent
            return match(known.mentions[key], reason)
    if own_id and own_id in known.mentions:  # a reply to this message arrived before it did
        return match(known.mentions[own_id], "references")
    return None


def _match(ticket_id: int | None, reason: str) -> ThreadMatch | None:
    """The match on the ticket that lives on (after merges), loaded as little as needed: the
    actions lock and re-read it anyway."""
    seen: set[int] = set()
    found = None
    with connection.cursor() as cursor:
        while ticket_id is not None and ticket_id not in seen:
            seen.add(ticket_id)
            cursor.execute(
                f"SELECT id, merged_into_id FROM {Ticket._meta.db_table} WHERE id = %s",
                [ticket_id],
            )
            row = cursor.fetchone()
            if row is None:
                break
            found, ticket_id = row[0], row[1]
    return ThreadMatch(Ticket(pk=found), reason) if found is not None else None


def by_marker(message_ids: list[str], resolve: Resolver | None = None) -> ThreadMatch | None:
    for message_id in message_ids:
        ticket_id = marker_ticket(message_id)
        if ticket_id is not None:
            match = (resolve or _match)(ticket_id, "ticket-token")
            if match:
                return match
    return None


def is_participant(ticket: Ticket, address: str) -> bool:
    address = address.lower()
    if CustomerEmail.objects.filter(customer_id=ticket.customer_id, email=address).exists():
        return True
    return Participant.objects.filter(ticket=ticket, email=address, active=True).exists()


def by_subject_token(subject: str, sender: str) -> ThreadMatch | None:
    """``[MNL-42]`` in the subject joins ticket 42 only for someone already on its thread.

    The number alone is guessable; without this check anyone could join a thread and receive
    every later reply to it.
    """
    found = token_pattern().search(subject or "")
    if not found:
        return None
    ticket = _ticket(int(found.group(1)))
    if ticket is None or not is_participant(ticket, sender):
        return None
    return ThreadMatch(ticket, "ticket-token")


def subject_window_start(when: datetime) -> datetime:
    """How far back a reply by subject may look for its ticket."""
    return when - timedelta(days=settings.MAIL_SUBJECT_WINDOW_DAYS)


def by_subject_and_sender(
    subject: str, customer: Customer | None, when: datetime
) -> ThreadMatch | None:
    """A reply ("Re: …") from the same customer to a ticket active within the window."""
    wanted = subject_to_match(subject, customer)
    if wanted is None:
        return None
    since = subject_window_start(when)
    recent = (
        Ticket.objects.filter(customer=customer, merged_into__isnull=True)
        .filter(Q(last_customer_message_at__gte=since) | Q(last_agent_reply_at__gte=since))
        .order_by("-last_customer_message_at", "-pk")
        .only("id", "subject", "customer_id", "status")
    )
    return first_with_subject(recent, wanted)


def subject_to_match(subject: str, customer: Customer | None) -> str | None:
    """The normalised subject a reply by subject looks for; None when it may not look: a
    known customer's "Re: …" with something left after the prefixes."""
    if customer is None or customer.pk is None or not looks_like_reply(subject):
        return None
    return normalized_subject(subject) or None


def first_with_subject(recent: Sequence[Ticket], wanted: str) -> ThreadMatch | None:
    """The first of the latest tickets (newest first: a list, or a query that the slice
    limits in SQL) whose subject is the one wanted."""
    for ticket in recent[:SUBJECT_CANDIDATES]:
        if normalized_subject(ticket.subject) == wanted:
            return ThreadMatch(ticket, "subject+sender")
    return None
