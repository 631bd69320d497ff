"""The automatic acknowledgement: within a minute of a new ticket, a short note in the customer's
language that thanks them, names the ticket and says when the full answer will come.

Once per ticket (``AutoAcknowledgement`` is one row per ticket, written in the same transaction
as the message), never to an automatic message, a flagged customer or an old imported one; the
outbox adds its own refusals (auto-reply and list senders, our own addresses, the loop guard).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from mannerly import lookups
from mannerly.sla.models import AcknowledgementTemplate, AutoAcknowledgement
from mannerly.sla.placeholders import ACKNOWLEDGEMENT_PLACEHOLDERS, fill
from mannerly.sla.wording import (
    DEFAULT_ACKNOWLEDGEMENTS,
    DEFAULT_TEAM_NAME,
    answer_by,
    language_of,
)
from mannerly.tickets.models import Message, Ticket, TicketEvent

# A ticket whose first message is older than this (an import of old mail, a worker that was
# down for long) gets no acknowledgement: promising an answer "by 14:00 today" would be wrong.
MAX_AGE = timedelta(hours=1)
REASON = "auto-acknowledgement"


def why_not(ticket: Ticket, first: Message | None, now: datetime) -> str:
    """Why this ticket must not be acknowledged, or "" when it may."""
    if ticket.first_responded_at is not None:
        return "already answered"
    if not ticket.is_active or ticket.merged_into_id:
        return "ticket is no longer open"
    if first is None or first.direction != Message.Direction.IN:
        return "not opened by a customer message"
    if first.kind != Message.Kind.MESSAGE:
        return f"first message is automatic ({first.kind})"
    # Reads the flags the scanner prefetched for its batch (a query of its own otherwise).
    flags = sorted(flag.kind for flag in ticket.customer.flags.all() if flag.active)
    if flags:
        return "customer is flagged: " + ", ".join(flags)
    if now - first.created_at > getattr(settings, "SLA_ACK_MAX_AGE", MAX_AGE):
        return "first message is too old"
    if not recipient(ticket, first):
        return "no address to write to"
    return ""


def recipient(ticket: Ticket, first: Message) -> str:
    return (first.from_email or ticket.customer.email).strip()


def template_text_for(team_id: int | None, language: str) -> str:
    """The team's text for the language, else the desk's, else the built-in one."""
    texts = lookups.remembered("sla.acknowledgement_texts", _edited_texts)
    if (team_id, language) in texts:
        return texts[team_id, language]
    return texts.get((None, language)) or DEFAULT_ACKNOWLEDGEMENTS[language]


def _edited_texts() -> dict[tuple[int | None, str], str]:
    """Every edited acknowledgement text by (team, language): a few rows, read once a batch."""
    rows = AcknowledgementTemplate.objects.values_list("team_id", "language", "body")
    return {(team_id, language): body for team_id, language, body in rows}


def template_text(ticket: Ticket, language: str) -> str:
    return template_text_for(ticket.team_id, language)


SAMPLE = {"customer_name": "Anna Smith", "ticket_id": 1234, "ticket_subject": "Charged twice"}


def preview_text(body: str, team, language: str) -> str:
    """The text as a customer would read it, with sample values (for the editor)."""
    now = timezone.now()
    values = {
        **SAMPLE,
        "answer_by": answer_by(now + timedelta(hours=2), now, "UTC", language),
        "team_name": team.name if team else DEFAULT_TEAM_NAME[language_of(language)],
    }
    return fill(body, values, ACKNOWLEDGEMENT_PLACEHOLDERS)


def acknowledgement_text(ticket: Ticket, now: datetime) -> str:
    language = language_of(ticket.language)
    values = {
        "customer_name": ticket.customer.name,
        "ticket_id": ticket.pk,
        "ticket_subject": ticket.subject,
        "answer_by": answer_by(ticket.first_response_due, now, ticket.customer.time_zone, language),
        "team_name": ticket.team.name if ticket.team_id else DEFAULT_TEAM_NAME[language],
    }
    return fill(template_text(ticket, language), values, ACKNOWLEDGEMENT_PLACEHOLDERS)


def reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def build_message(ticket: Ticket, first: Message, now: datetime) -> Message:
    """The outgoing acknowledgement (not saved yet), threaded under the customer's first
    message."""
    references = [*first.references, first.message_id] if first.message_id else first.references
    return Message(
        ticket=ticket,
        direction=Message.Direction.OUT,
        kind=Message.Kind.AUTO_REPLY,
        channel=ticket.channel,
        from_name=ticket.team.name if ticket.team_id else "",
        from_email=(ticket.team.email if ticket.team_id else "") or settings.DEFAULT_FROM_EMAIL,
        to=[recipient(ticket, first)],
        subject=reply_subject(first.subject or ticket.subject),
        body_text=acknowledgement_text(ticket, now),
        in_reply_to=first.message_id,
        references=references,
        created_at=now,
    )


NO_OUTBOX = "the mail outbox is not installed"


def send_automatic(messages: list[Message]) -> list[str]:
    """THE SEAM to the mail channel: hand new automatic messages (not saved yet) to the outbox.

    Returns, for each, "" when the outbox saved and queued it, else why it did not
    (``NO_OUTBOX`` on an installation without the mail channel's outbox). The outbox refuses
    automatic mail to auto-repliers, bounces, mailing lists, our own and machine addresses,
    flagged customers and past its loop guard, and leaves a refused message unsaved.
    """
    try:
        from mannerly.mail.outbox import queue_automatic_batch
    except ImportError:
        return [NO_OUTBOX] * len(messages)
    results = queue_automatic_batch(messages, reason=REASON)
    return [result if isinstance(result, str) else "" for result in results]


def _guard(ticket: Ticket) -> AutoAcknowledgement | None:
    """The ticket's once-per-ticket row, if written (the scanner selects it with the ticket)."""
    try:
        return ticket.acknowledgement
    except AutoAcknowledgement.DoesNotExist:
        return None


def first_messages(tickets: list[Ticket]) -> dict[int, Message]:
    """Each ticket's first message, in one query for the batch (bodies are not needed)."""
    first: dict[int, Message] = {}
    rows = Message.objects.filter(ticket_id__in=[t.pk for t in tickets]).defer("body_html")
    for message in rows.defer("body_text").order_by("created_at", "pk"):
        first.setdefault(message.ticket_id, message)
    return first


def do_acknowledge(ticket: Ticket, now: datetime) -> AutoAcknowledgement:
    """Acknowledge the ticket unless it was already (or must not be)."""
    return acknowledge_batch([ticket], now)[0]


def acknowledge_batch(tickets: list[Ticket], now: datetime) -> list[AutoAcknowledgement]:
    """Acknowledge each ticket unless it was already (or must not be), in a fixed number of
    queries for the batch.

    Runs in the scanner's transaction with the tickets locked, so the once-per-ticket guards,
    the messages and the outbox rows commit together. A message the outbox refuses is never
    saved (the customer never sees an acknowledgement in the portal that was not sent) and the
    guard keeps the reason; without an outbox at all the message is saved, ready for one.
    Each ticket remembers its guard, so asking again in the same batch reads nothing.
    """
    guards = {t.pk: _guard(t) for t in tickets}
    pending = [t for t in tickets if guards[t.pk] is None]
    first = first_messages(pending) if pending else {}
    reasons = {t.pk: why_not(t, first.get(t.pk), now) for t in pending}
    going = [t for t in pending if not reasons[t.pk]]
    messages = [build_message(t, first[t.pk], now) for t in going]
    refusals = send_automatic(messages) if messages else []
    if NO_OUTBOX in refusals:  # no outbox on this installation: the messages wait, unsent
        Message.objects.bulk_create(messages)
    new = [_guard_row(t, reasons[t.pk]) for t in pending if reasons[t.pk]]
    new += [_guard_row(t, r, m) for t, m, r in zip(going, messages, refusals, strict=True)]
    AutoAcknowledgement.objects.bulk_create(new)
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=row.ticket,
            kind="auto-acknowledged",
            data={
                "message": row.message_id,
                "answer_by": row.answer_by.isoformat() if row.answer_by else None,
            },
        )
        for row in new
        if row.state == AutoAcknowledgement.State.QUEUED
    )
    for row in new:
        guards[row.ticket_id] = row.ticket.acknowledgement = row
    return [guards[t.pk] for t in tickets]


def _guard_row(ticket: Ticket, reason: str, message: Message | None = None) -> AutoAcknowledgement:
    """The once-per-ticket row: skipped (``reason`` without a message), refused by the outbox
    (a reason with one) or queued."""
    State = AutoAcknowledgement.State
    if message is None:
        return AutoAcknowledgement(ticket=ticket, state=State.SKIPPED, reason=reason)
    answer = ticket.first_response_due
    if reason == NO_OUTBOX:
        return AutoAcknowledgement(
            ticket=ticket, message=message, state=State.REFUSED, reason=reason, answer_by=answer
        )
    if reason:
        return AutoAcknowledgement(
            ticket=ticket, state=State.REFUSED, reason=reason[:300], answer_by=answer
        )
    return AutoAcknowledgement(ticket=ticket, message=message, state=State.QUEUED, answer_by=answer)
