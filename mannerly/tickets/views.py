"""The agent desk: inbox and ticket page."""

from django.shortcuts import render

from mannerly.tickets.decorators import staff_required
from mannerly.tickets.models import Ticket
from mannerly.tickets.queries import access_ticket, visible_messages, visible_tickets


@staff_required
def inbox(request):
    tickets = (
        visible_tickets(request.user)
        .filter(status__in=Ticket.ACTIVE_STATUSES)
        .select_related("customer", "assignee")
        .order_by("-updated_at")[:25]
    )
    return render(request, "tickets/inbox.html", {"tickets": tickets})


@staff_required
def ticket_page(request, ticket_id: int):
    ticket = access_ticket(request.user, ticket_id)
    conversation = visible_messages(request.user, ticket)
    return render(request, "tickets/ticket.html", {"ticket": ticket, "conversation": conversation})
