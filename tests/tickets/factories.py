"""Helpers that make tickets for the desk tests, through the actions like the product does."""

from mannerly.tickets import actions
from mannerly.tickets.models import Ticket


def open_tickets(customer, count: int, *, team=None, subject="Question", body="Hello"):
    return [
        actions.do_open_ticket(customer, f"{subject} {i}", f"{body} {i}", team=team)
        for i in range(count)
    ]


def set_status(ticket, status):
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
