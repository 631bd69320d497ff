"""The customer portal: a customer's own tickets, never anyone else's, never internal notes."""

from django.shortcuts import render

from mannerly.tickets.decorators import customer_required
from mannerly.tickets.queries import access_ticket, visible_messages, visible_tickets


@customer_required
def ticket_list(request):
    tickets = visible_tickets(request.user).order_by("-updated_at")
    return render(request, "portal/tickets.html", {"tickets": tickets})


@customer_required
def ticket_page(request, ticket_id: int):
    ticket = access_ticket(request.user, ticket_id)
    conversation = visible_messages(request.user, ticket)
    return render(request, "portal/ticket.html", {"ticket": ticket, "conversation": conversation})
