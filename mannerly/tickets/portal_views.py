"""The customer portal: a customer's own tickets, never anyone else's, never internal notes.

Nothing agent-only reaches these templates: no assignee details, tags, deadlines or handovers.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mannerly.tickets import actions
from mannerly.tickets.decorators import customer_required
from mannerly.tickets.forms import NewRequestForm, PortalReplyForm, read_uploads
from mannerly.tickets.models import Ticket
from mannerly.tickets.queries import (
    access_ticket,
    customer_for_user,
    visible_messages,
    visible_tickets,
)

PER_PAGE = 25
CLOSED = (Ticket.Status.CLOSED,)


@customer_required
@require_safe
def ticket_list(request: HttpRequest) -> HttpResponse:
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    start = (page - 1) * PER_PAGE
    rows = list(
        visible_tickets(request.user)
        .filter(merged_into__isnull=True)
        .only("pk", "subject", "status", "created_at", "updated_at")
        .order_by("-updated_at", "-pk")[start : start + PER_PAGE + 1]
    )
    context = {"tickets": rows[:PER_PAGE], "page": page, "has_next": len(rows) > PER_PAGE}
    return render(request, "portal/tickets.html", context)


@customer_required
def new_request(request: HttpRequest) -> HttpResponse:
    customer = customer_for_user(request.user)
    form = NewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ticket = actions.do_open_ticket(
            customer,
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
            channel=Ticket.Channel.PORTAL,
            author=request.user,
            attachments=read_uploads(form.cleaned_data["attachments"]),
        )
        messages.success(request, _("Thank you. We have your request and will answer soon."))
        return redirect("portal:ticket", ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/new.html", {"form": form}, status=status)


def _render_ticket(request, ticket, form, status=200) -> HttpResponse:
    context = {
        "ticket": ticket,
        "conversation": visible_messages(request.user, ticket),
        "form": form,
        "can_reply": ticket.status not in CLOSED,
    }
    return render(request, "portal/ticket.html", context, status=status)


@customer_required
@require_safe
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    return _render_ticket(request, ticket, PortalReplyForm())


@customer_required
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = PortalReplyForm(request.POST, request.FILES)
    if ticket.status in CLOSED:
        form.add_error(None, _("This request is closed. Please open a new one."))
    elif form.is_valid():
        actions.do_customer_message(
            ticket,
            customer_for_user(request.user),
            form.cleaned_data["body"],
            channel=Ticket.Channel.PORTAL,
            author=request.user,
            attachments=read_uploads(form.cleaned_data["attachments"]),
        )
        messages.success(request, _("Your reply was sent."))
        response = redirect("portal:ticket", ticket.pk)
        response.status_code = 303
        return response
    return _render_ticket(request, ticket, form, status=422)
