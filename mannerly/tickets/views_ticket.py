"""The agent's ticket page and the forms on it: reply, note, assign, status, properties, merge,
split. Every form posts to its own URL, works without JavaScript and redirects back on success;
on a refused action the page is shown again with the error next to the form (status 422)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mannerly.coaching.gate import check_reply
from mannerly.coaching.page import coaching_signature, ticket_coaching
from mannerly.tickets import actions
from mannerly.tickets.actions import ActionError
from mannerly.tickets.conversation import conversation_entries
from mannerly.tickets.decorators import staff_required
from mannerly.tickets.forms import (
    AssignForm,
    MergeForm,
    NoteForm,
    PropertiesForm,
    ReplyForm,
    SplitForm,
    StatusForm,
    read_uploads,
)
from mannerly.tickets.models import Ticket
from mannerly.tickets.queries import (
    access_message,
    access_ticket_page,
    agent_choices,
    attachments_by_message,
    customer_emails,
    customer_other_tickets,
    latest_handover,
    next_deadline,
    page_messages,
    team_choices,
    visible_tickets,
)

INVALID = 422  # the form was understood but refused; shown again with its errors


def load_ticket(user, ticket_id) -> Ticket:
    return access_ticket_page(user, ticket_id)


def customer_local_time(zone: str):
    try:
        return timezone.now().astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def reply_initial(user, ticket: Ticket | None = None) -> dict:
    """The reply box starts with the agent's signature (else the team's) below two empty lines."""
    signature = user.signature.strip()
    if not signature and ticket is not None:
        signature = coaching_signature(user, ticket)
    body = f"\n\n{signature}" if signature else ""
    return {"body": body, "status": Ticket.Status.PENDING}


def sidebar_tickets(user, ticket: Ticket) -> list[Ticket]:
    """The customer's other tickets with their ``url`` (cheaper here than a template url tag)."""
    others = customer_other_tickets(user, ticket)
    for other in others:
        other.url = reverse("tickets:ticket", args=[other.pk])
    return others


def csrf_context(request: HttpRequest) -> dict:
    """The CSRF token made once for the page's many forms (``csrf_input``) and its htmx header
    (``csrf_token``, which this replaces for the page): each ``{% csrf_token %}`` and the
    context processor's lazy token cost ~70 Python calls apiece."""
    token = get_token(request)
    return {
        "csrf_token": token,
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
        ),
    }


def render_ticket(request: HttpRequest, ticket: Ticket, status: int = 200, **forms) -> HttpResponse:
    agents = agent_choices()
    teams = team_choices()
    agent_names = dict(agents)
    conversation = page_messages(request.user, ticket, agent_names)
    forms.setdefault("reply_form", ReplyForm(initial=reply_initial(request.user, ticket)))
    forms.setdefault("note_form", NoteForm())
    forms.setdefault(
        "assign_form",
        AssignForm(agents=agents, initial={"assignee": ticket.assignee_id or ""}),
    )
    forms.setdefault("status_form", StatusForm(initial={"status": ticket.status}))
    forms.setdefault(
        "properties_form",
        PropertiesForm(
            teams=teams,
            initial={
                "priority": ticket.priority,
                "team": ticket.team_id,
                "language": ticket.language,
                "tags": ", ".join(ticket.tags.values_list("name", flat=True)),
            },
        ),
    )
    forms.setdefault("merge_form", MergeForm())
    context = {
        "ticket": ticket,
        "conversation": conversation,
        "conversation_entries": conversation_entries(
            ticket, conversation, attachments_by_message(conversation)
        ),
        "handover": latest_handover(ticket, agent_names),
        "customer": ticket.customer,
        "customer_emails": customer_emails(ticket.customer),
        "flags": ticket.customer.active_flags,
        "customer_time": customer_local_time(ticket.customer.time_zone),
        "other_tickets": sidebar_tickets(request.user, ticket),
        "next_deadline": next_deadline(ticket),
        "split_error": forms.pop("split_error", None),
        **csrf_context(request),
        **forms,
    }
    context.update(ticket_coaching(request, context))
    return render(request, "tickets/ticket.html", context, status=status)


@staff_required
@require_safe
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return render_ticket(request, load_ticket(request.user, ticket_id))


def _back(ticket: Ticket, anchor: str = "") -> HttpResponse:
    response = redirect("tickets:ticket", ticket.pk)
    response.status_code = 303
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@staff_required
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = ReplyForm(request.POST, request.FILES)
    gate = None
    if form.is_valid():
        # The etiquette gate: errors block the reply unless the agent says why it goes anyway.
        gate = check_reply(
            ticket, request.user, form.cleaned_data["body"], form.cleaned_data["send_anyway_reason"]
        )
        if gate.refused:
            form.add_error(None, gate.error)
    if form.is_valid():
        try:
            message = actions.do_reply(
                ticket,
                request.user,
                form.cleaned_data["body"],
                status=form.cleaned_data["status"],
                attachments=read_uploads(form.cleaned_data["attachments"]),
                send_anyway_reason=gate.reason,
                send_anyway_rules=gate.error_rules if gate.reason else None,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Reply sent."))
            return _back(ticket, f"m{message.pk}")
    extra = {}
    if gate is not None and gate.coaching is not None:
        extra = {"coaching": gate.coaching, "send_anyway_open": gate.refused}
        extra["send_anyway_missing"] = gate.refused and "send_anyway" in request.POST
    return render_ticket(request, ticket, INVALID, reply_form=form, **extra)


@staff_required
@require_POST
def note(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            message = actions.do_add_note(ticket, request.user, form.cleaned_data["body"])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Internal note added."))
            return _back(ticket, f"m{message.pk}")
    return render_ticket(request, ticket, INVALID, note_form=form)


@staff_required
@require_POST
def assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = AssignForm(request.POST, agents=agent_choices())
    if form.is_valid():
        try:
            actions.do_assign(
                ticket,
                request.user,
                form.cleaned_data["assignee"],
                handover_note=form.cleaned_data["handover_note"],
            )
        except ActionError as exc:
            form.add_error("handover_note", str(exc))
        else:
            messages.success(request, _("Assignee saved."))
            return _back(ticket)
    return render_ticket(request, ticket, INVALID, assign_form=form)


@staff_required
@require_POST
def change_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_status(ticket, request.user, form.cleaned_data["status"])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Status saved."))
            return _back(ticket)
    return render_ticket(request, ticket, INVALID, status_form=form)


@staff_required
@require_POST
def properties(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = PropertiesForm(request.POST, teams=team_choices())
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_ticket(
                ticket,
                request.user,
                priority=data["priority"],
                team=data["team"],
                language=data["language"],
                tags=actions.tags_named(data["tags"]),
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ticket saved."))
            return _back(ticket)
    return render_ticket(request, ticket, INVALID, properties_form=form)


@staff_required
@require_POST
def merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        target = visible_tickets(request.user).filter(pk=form.cleaned_data["target"]).first()
        if target is None:
            form.add_error("target", _("There is no ticket with this number."))
        else:
            try:
                actions.do_merge(ticket, target, request.user)
            except ActionError as exc:
                form.add_error("target", str(exc))
            else:
                messages.success(
                    request,
                    _("Ticket #%(source)d was merged into this one.") % {"source": ticket.pk},
                )
                return _back(target)
    return render_ticket(request, ticket, INVALID, merge_form=form)


@staff_required
@require_POST
def split(request: HttpRequest, ticket_id: int, message_id: int) -> HttpResponse:
    ticket = load_ticket(request.user, ticket_id)
    message = access_message(request.user, ticket, message_id)
    form = SplitForm(request.POST)
    if form.is_valid():
        try:
            new = actions.do_split(message, request.user, subject=form.cleaned_data["subject"])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The message is now ticket #%(number)d.") % {"number": new.pk}
            )
            return _back(new)
    return render_ticket(
        request, ticket, INVALID, split_error={"message": message.pk, "form": form}
    )
