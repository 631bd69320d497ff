"""Read helpers and ``access_*`` getters of the coaching app (a hidden object is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mannerly.accounts.models import Team, User
from mannerly.tickets.models import TicketEvent
from mannerly.tickets.queries import visible_tickets


def editable_teams(user: User) -> QuerySet[Team]:
    """Teams whose etiquette settings this user may change: admins all, supervisors their own."""
    if not user.is_authenticated or not user.is_active or not user.is_supervisor:
        return Team.objects.none()
    if user.is_desk_admin:
        return Team.objects.all()
    return Team.objects.filter(members=user)


def access_team_settings(user: User, team_id: int | str) -> Team:
    try:
        pk = int(team_id)
    except (TypeError, ValueError):
        raise Http404 from None
    team = editable_teams(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


SENT_ANYWAY = "sent-anyway"


def sent_anyway_events(user: User, *, agent_id: int | None = None) -> QuerySet[TicketEvent]:
    """Replies sent despite errors, newest first, on tickets this supervisor may see."""
    if not user.is_authenticated or not user.is_supervisor:
        return TicketEvent.objects.none()
    events = (
        TicketEvent.objects.filter(kind=SENT_ANYWAY, ticket__in=visible_tickets(user))
        .select_related("ticket__customer", "actor")
        .order_by("-created_at", "-pk")
    )
    if agent_id is not None:
        events = events.filter(actor_id=agent_id)
    return events
