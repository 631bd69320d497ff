"""Read helpers and ``access_*`` permission getters: views and the API get tickets only here."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from mannerly.accounts.models import User
from mannerly.tickets.models import Customer, Message, Ticket

# Larger ids cannot exist in a 64-bit key; asking the database for one is an overflow error.
MAX_ID = 2**63 - 1


def _pk(value: int | str) -> int:
    """A primary key from a URL or a request, or Http404 when it cannot name a row."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """Every ticket this user may open: customers their own, agents all but other teams' private ones."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.role == User.Role.CUSTOMER:
        return tickets.filter(customer__user=user)
    if user.is_supervisor:
        return tickets
    # A subquery, not a join through team members: a join repeats each ticket once per member.
    own_teams = user.teams.values("pk")
    return tickets.filter(Q(team__isnull=True) | Q(team__scoped=False) | Q(team__in=own_teams))


def access_ticket(user: User, ticket_id: int | str, *, for_update: bool = False) -> Ticket:
    """The ticket if this user may see it, else Http404 (never reveal that it exists)."""
    pk = _pk(ticket_id)
    tickets = visible_tickets(user).select_related("customer", "assignee", "team")
    if for_update:
        tickets = tickets.select_for_update(of=("self",))
    ticket = tickets.filter(pk=pk).first()
    if ticket is None:
        raise Http404
    return ticket


def visible_messages(user: User, ticket: Ticket) -> QuerySet[Message]:
    """The conversation as this user may read it: customers never see internal notes."""
    messages = ticket.messages.select_related("author", "customer").prefetch_related("attachments")
    if user.role == User.Role.CUSTOMER:
        messages = messages.exclude(direction=Message.Direction.INTERNAL)
    return messages


def visible_customers(user: User) -> QuerySet[Customer]:
    """Staff see the customer directory; a customer sees only their own record."""
    customers = Customer.objects.all()
    if not user.is_authenticated or not user.is_active:
        return customers.none()
    if user.role == User.Role.CUSTOMER:
        return customers.filter(user=user)
    return customers


def access_customer(user: User, customer_id: int | str) -> Customer:
    pk = _pk(customer_id)
    customer = visible_customers(user).filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


def customer_for_user(user: User) -> Customer:
    """The customer record behind a portal login."""
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        raise Http404
    return customer
