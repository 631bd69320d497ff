"""Coaching pages and fragments: the live lint of the reply box, flags raised from triage, the
team settings page and the supervisor's list of replies sent despite errors."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mannerly.coaching.actions import do_flag_customer_from_ticket, do_save_team_etiquette
from mannerly.coaching.coach import MAX_DRAFT, DraftContext, coach_draft
from mannerly.coaching.config import settings_for
from mannerly.coaching.forms import TeamEtiquetteForm
from mannerly.coaching.queries import access_team_settings, editable_teams, sent_anyway_events
from mannerly.tickets.actions import ActionError
from mannerly.tickets.decorators import staff_required
from mannerly.tickets.queries import access_ticket, assignable_agents

INVALID = 422


def supervisor_required(view):
    """Supervisors and admins; agents and customers get 404, as for a page that does not exist."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_supervisor:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# ---- the reply box -----------------------------------------------------------------------------


@staff_required
@require_POST
def lint_draft(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The reply box's side panel for the draft as typed (an htmx fragment)."""
    ticket = access_ticket(request.user, ticket_id)
    draft = request.POST.get("body", "")
    if len(draft) > MAX_DRAFT:
        return HttpResponseBadRequest(_("The draft is too long to check."))
    try:
        seq = int(request.POST.get("seq", ""))
    except ValueError:
        seq = None
    coaching = coach_draft(DraftContext.load(ticket, request.user), draft, seq=seq)
    return render(request, "coaching/partials/coach.html", {"coaching": coaching, "ticket": ticket})


@staff_required
@require_POST
def flag_customer(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Turn an abusive or legal message into a flag the customer carries to every ticket."""
    ticket = access_ticket(request.user, ticket_id)
    try:
        do_flag_customer_from_ticket(
            ticket, request.user, request.POST.get("flag", ""), request.POST.get("note", "")
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The customer is flagged on every ticket."))
    response = redirect("tickets:ticket", ticket.pk)
    response.status_code = 303
    return response


# ---- supervisors ---------------------------------------------------------------------------------


@supervisor_required
@require_safe
def settings_list(request: HttpRequest) -> HttpResponse:
    teams = list(editable_teams(request.user).select_related("etiquette"))
    return render(request, "coaching/settings_list.html", {"teams": teams, "section": "settings"})


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_settings(request: HttpRequest, team_id: int) -> HttpResponse:
    team = access_team_settings(request.user, team_id)
    row = settings_for(team)
    if request.method == "POST":
        form = TeamEtiquetteForm(request.POST)
        if form.is_valid():
            do_save_team_etiquette(team, request.user, **form.settings_values())
            messages.success(request, _("Settings of %(team)s saved.") % {"team": team.name})
            response = redirect("coaching:team_settings", team.pk)
            response.status_code = 303
            return response
        status = INVALID
    else:
        form = TeamEtiquetteForm(initial=TeamEtiquetteForm.initial_from(row))
        status = 200
    return render(
        request,
        "coaching/team_settings.html",
        {"team": team, "form": form, "row": row, "section": "settings"},
        status=status,
    )


@supervisor_required
@require_safe
def sent_anyway(request: HttpRequest) -> HttpResponse:
    """Replies sent despite errors, with the agent's reason, for the supervisor's review."""
    try:
        agent_id = int(request.GET.get("agent", ""))
    except ValueError:
        agent_id = None
    events = sent_anyway_events(request.user, agent_id=agent_id)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/sent_anyway.html",
        {
            "page": page,
            "agents": list(assignable_agents()),
            "agent_id": agent_id,
            "section": "sent-anyway",
        },
    )
