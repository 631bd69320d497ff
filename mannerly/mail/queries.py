"""Read helpers for the mail channel: what is quarantined, how outgoing mail fared."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mannerly.accounts.models import User
from mannerly.mail.models import OutgoingMail, RawMail
from mannerly.tickets.models import Message, Ticket


def may_manage_mail(user: User) -> bool:
    """Supervisors and admins look after the mail channel; agents and customers do not."""
    return bool(user.is_authenticated and user.is_active and user.is_supervisor)


def access_mail_admin(user: User) -> None:
    """Raise Http404 (never a hint that the page exists) unless the user may manage mail."""
    if not may_manage_mail(user):
        raise Http404


def quarantined_mail() -> QuerySet[RawMail]:
    return (
        RawMail.objects.filter(status=RawMail.Status.QUARANTINED)
        .defer("data")
        .order_by("-received_at", "-pk")
    )


def set_aside_mail() -> QuerySet[RawMail]:
    """Auto-replies and bounces that matched no ticket: kept, never answered."""
    return (
        RawMail.objects.filter(status=RawMail.Status.DONE, ticket__isnull=True)
        .filter(action__in=[RawMail.Action.AUTO_REPLY, RawMail.Action.BOUNCE])
        .defer("data")
        .order_by("-received_at", "-pk")
    )


def delivery_status(message: Message) -> OutgoingMail | None:
    """How sending this reply went (status, attempts, last error), or None if it is not mail."""
    return OutgoingMail.objects.filter(message=message).first()


def delivery_statuses(ticket: Ticket) -> dict[int, OutgoingMail]:
    """Message pk → its outgoing mail, for every sent or failed reply on the ticket (1 query)."""
    rows = OutgoingMail.objects.filter(ticket=ticket).defer("data")
    return {row.message_id: row for row in rows}


def failed_deliveries(ticket: Ticket) -> QuerySet[OutgoingMail]:
    return OutgoingMail.objects.filter(
        ticket=ticket, status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.BOUNCED]
    ).defer("data")
