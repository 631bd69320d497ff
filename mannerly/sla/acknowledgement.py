"""The automatic acknowledgement: within a minute of a new ticket, a short note in the customer's
language that thanks them, names the ticket and says when the full answer will come.

Once per ticket (``AutoAcknowledgement`` is one row per ticket, written in the same transaction
as the message), never to an automatic message, a flagged customer or an old imported one; the
outbox adds its own refusals (auto-reply and list senders, our own addresses, the loop guard).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
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


def first_message(ticket: Ticket) -> Message | None:
    return ticket.messages.order_by("created_at", "pk").first()


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
    """The outgoing acknowledgement, threaded under the customer's first message."""
    references = [*first.references, first.message_id] if first.message_id else first.references
    return Message.objects.create(
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


def send_automatic(message: Message) -> str:
    """THE SEAM to the mail channel: hand an automatic message to the outbox.

    Returns "" when the outbox queued it, else why it did not (``NO_OUTBOX`` on an installation
    without the mail channel's outbox). The outbox refuses automatic mail to auto-repliers,
    bounces, mailing lists, our own and machine addresses, flagged customers and past its loop
    guard, and records why on the ticket; that reason is returned here.
    """
    try:
        from mannerly.mail.outbox import queue_automatic
    except ImportError:
        return NO_OUTBOX
    if queue_automatic(message, reason=REASON) is not None:
        return ""
    refusals = TicketEvent.objects.filter(ticket_id=message.ticket_id, kind=REFUSED_EVENT)
    for event in refusals.order_by("-pk")[:5]:
        if event.data.get("message") == message.pk and event.reason:
            return event.reason
    return "refused by the outbox"


# The event the outbox records when it refuses automatic mail.
REFUSED_EVENT = "automatic-mail-refused"


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _guard(ticket: Ticket) -> AutoAcknowledgement | None:
    """The ticket's once-per-ticket row, if written (the scanner selects it with the ticket)."""
    try:
        return ticket.acknowledgement
    except AutoAcknowledgement.DoesNotExist:
        return None


def do_acknowledge(ticket: Ticket, now: datetime) -> AutoAcknowledgement:
    """Acknowledge the ticket unless it was already (or must not be).

    Runs in the scanner's transaction with the ticket locked, so the once-per-ticket guard, the
    message and the outbox row commit together. When the outbox refuses, the message is rolled
    back (the customer never sees an acknowledgement that was not sent in the portal) and the
    guard keeps the reason; without an outbox at all the message stays, ready for one.
    """
    existing = _guard(ticket)
    if existing is not None:
        return existing
    first = first_message(ticket)
    reason = why_not(ticket, first, now)
    if reason:
        return AutoAcknowledgement.objects.create(
            ticket=ticket, state=AutoAcknowledgement.State.SKIPPED, reason=reason
        )
    answer = ticket.first_response_due
    try:
        with transaction.atomic():
            message = build_message(ticket, first, now)
            refused = send_automatic(message)
            if refused and refused != NO_OUTBOX:
                raise _Refused(refused)
    except _Refused as refusal:
        return AutoAcknowledgement.objects.create(
            ticket=ticket,
            state=AutoAcknowledgement.State.REFUSED,
            reason=refusal.reason[:300],
            answer_by=answer,
        )
    if refused:  # no outbox on this installation: the message waits, unsent
        return AutoAcknowledgement.objects.create(
            ticket=ticket,
            message=message,
            state=AutoAcknowledgement.State.REFUSED,
            reason=refused,
            answer_by=answer,
        )
    TicketEvent.record(
        ticket,
        None,
        "auto-acknowledged",
        message=message.pk,
        answer_by=answer.isoformat() if answer else None,
    )
    return AutoAcknowledgement.objects.create(
        ticket=ticket, message=message, state=AutoAcknowledgement.State.QUEUED, answer_by=answer
    )
