"""The agent desk's inbox: views of the queue, filters, search, sort, paging and bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from mannerly.tickets import actions
from mannerly.tickets.actions import ActionError
from mannerly.tickets.dates import short_datetime_format
from mannerly.tickets.decorators import staff_required
from mannerly.tickets.forms import BulkForm, InboxFilterForm
from mannerly.tickets.inbox_rows import inbox_rows
from mannerly.tickets.models import Tag, Ticket
from mannerly.tickets.queries import (
    INBOX_VIEWS,
    SORTS,
    agent_choices,
    inbox_page,
    next_deadline,
    team_choices,
    visible_tickets,
)

PER_PAGE = 25


@staff_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    agents = agent_choices()
    teams = team_choices()
    form = InboxFilterForm(request.GET, agents=agents, teams=teams)
    query = form.inbox_query(per_page=PER_PAGE)
    page = inbox_page(request.user, query)
    now = timezone.now()
    short_date = short_datetime_format()
    for ticket in page.tickets:  # done here once: template filters cost more per row
        ticket.next_deadline = next_deadline(ticket)
        ticket.updated_iso = ticket.updated_at.isoformat()
        if ticket.next_deadline:
            ticket.deadline_iso = ticket.next_deadline.isoformat()
            ticket.deadline_text = short_date(ticket.next_deadline)
            ticket.overdue = ticket.next_deadline < now
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "filter_fields": filter_fields(form, query),
        "rows": inbox_rows(page.tickets, reverse("tickets:ticket", args=[0])[:-2]),
        "query": query,
        "page": page,
        "views": [(key, label) for key, (label, _statuses) in INBOX_VIEWS.items()],
        "view_label": INBOX_VIEWS[query.view][0],
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "tags": Tag.objects.values_list("name", flat=True),
        "bulk_actions": BulkForm.ACTIONS,
        "agents": agents,
        "query_string": params.urlencode(),
        "filters_active": bool(query.filters),
    }
    return render(request, "tickets/inbox.html", context)


def filter_fields(form: InboxFilterForm, query) -> list[tuple[str, str, list]]:
    """The filter selects with their options marked, ready to print (the inbox is hot code)."""
    fields = []
    for name in form.FILTERS:
        field = form.fields[name]
        current = str(query.filters.get(name, ""))
        options = (
            []
            if name == "tag"
            else [
                (value, text, str(value) == current and current != "")
                for value, text in field.choices
            ]
        )
        fields.append((name, field.label, options))
    return fields


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign, solve or close the selected tickets, all or none."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or "tickets:inbox"
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["tickets"]
    tickets = list(visible_tickets(request.user).filter(pk__in=ids))
    try:
        if form.cleaned_data["action"] == "assign":
            count = actions.do_bulk_assign(
                tickets,
                request.user,
                form.cleaned_data["assignee"],
                handover_note=form.cleaned_data["handover_note"],
            )
        else:
            status = {"solve": Ticket.Status.SOLVED, "close": Ticket.Status.CLOSED}
            count = actions.do_bulk_status(
                tickets, request.user, status[form.cleaned_data["action"]]
            )
    except ActionError as exc:
        messages.error(request, _("Nothing was changed: %(error)s") % {"error": exc})
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)d ticket updated.", "%(count)d tickets updated.", count)
        % {"count": count},
    )
    return redirect(back)
