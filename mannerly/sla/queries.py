"""Read helpers for the service-level page: tickets by time to breach, today's breaches, and the
same per team and per agent, in a fixed number of queries whatever the number of tickets.

Supervisors and admins see the whole desk. An agent sees a limited view: only the tickets
assigned to them, and no per-team or per-agent figures (those compare colleagues).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.http import Http404

from mannerly.accounts.models import Team, User
from mannerly.sla.deadlines import DUE_COLUMNS
from mannerly.sla.models import AcknowledgementTemplate, Metric, SlaAction, TicketSla
from mannerly.sla.wording import DEFAULT_ACKNOWLEDGEMENTS, LANGUAGES
from mannerly.tickets.models import Ticket

LIST_SIZE = 50
# A ticket whose next deadline is closer than this is "at risk" in the per-team figures.
AT_RISK_WINDOW = timedelta(hours=1)


@dataclass
class AtRisk:
    ticket: Ticket
    metric_label: str
    due_at: datetime
    overdue: bool


@dataclass
class Figures:
    name: str
    open: int = 0
    breached_now: int = 0
    at_risk: int = 0
    waiting: int = 0
    breached_today: int = 0


@dataclass
class SlaOverview:
    limited: bool
    at_risk: list[AtRisk]
    breached_today: list[SlaAction]
    breached_today_count: int
    teams: list[Figures] = field(default_factory=list)
    agents: list[Figures] = field(default_factory=list)


def sees_whole_desk(user: User) -> bool:
    return user.is_supervisor


def start_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def earliest_deadline(ticket: Ticket) -> tuple[str, datetime | None]:
    """The metric whose deadline comes first, read from the ticket's own columns."""
    found = [
        (getattr(ticket, column), metric)
        for metric, column in DUE_COLUMNS.items()
        if getattr(ticket, column) is not None
    ]
    if not found:
        return "", None
    due_at, metric = min(found)
    return metric, due_at


def at_risk(user: User, now: datetime, limit: int = LIST_SIZE) -> list[AtRisk]:
    """Running tickets in order of their next deadline (overdue first); one query."""
    states = TicketSla.objects.filter(next_due_at__isnull=False).select_related(
        "ticket", "ticket__customer", "ticket__assignee", "ticket__team"
    )
    if not sees_whole_desk(user):
        states = states.filter(ticket__assignee=user)
    rows = []
    for state in states.order_by("next_due_at", "ticket_id")[:limit]:
        metric, due_at = earliest_deadline(state.ticket)
        if due_at is None:
            continue
        rows.append(AtRisk(state.ticket, Metric(metric).label, due_at, due_at <= now))
    return rows


def breaches_since(user: User, since: datetime):
    breaches = SlaAction.objects.filter(kind=SlaAction.Kind.BREACH, created_at__gte=since)
    if not sees_whole_desk(user):
        breaches = breaches.filter(ticket__assignee=user)
    return breaches


def _name(row: dict, fields: tuple[str, ...], prefix: str = "") -> str:
    return next((row[prefix + f] for f in fields if row[prefix + f]), "")


def _figures(
    now: datetime, since: datetime, group: str, name_fields: tuple[str, ...]
) -> list[Figures]:
    """Open, overdue, at-risk and waiting tickets, and breaches since ``since``, per ``group``
    (``None`` is no team / unassigned); two queries."""
    counts = (
        Ticket.objects.filter(status__in=Ticket.ACTIVE_STATUSES)
        .values(group, *name_fields)
        .annotate(
            open=Count("pk"),
            breached_now=Count("pk", filter=Q(sla__next_due_at__lte=now)),
            at_risk=Count(
                "pk",
                filter=Q(sla__next_due_at__gt=now, sla__next_due_at__lte=now + AT_RISK_WINDOW),
            ),
            waiting=Count("pk", filter=Q(status__in=Ticket.WAITING_STATUSES)),
        )
    )
    rows: dict[object, Figures] = {}
    for row in counts:
        rows[row[group]] = Figures(
            name=_name(row, name_fields),
            open=row["open"],
            breached_now=row["breached_now"],
            at_risk=row["at_risk"],
            waiting=row["waiting"],
        )
    breaches = (
        SlaAction.objects.filter(kind=SlaAction.Kind.BREACH, created_at__gte=since)
        .values(f"ticket__{group}", *[f"ticket__{f}" for f in name_fields])
        .annotate(n=Count("pk"))
    )
    for row in breaches:
        figures = rows.setdefault(
            row[f"ticket__{group}"], Figures(_name(row, name_fields, "ticket__"))
        )
        figures.breached_today = row["n"]
    return sorted(rows.values(), key=lambda f: (-f.breached_now, -f.at_risk, f.name.lower()))


def sla_overview(user: User, now: datetime, zone: ZoneInfo) -> SlaOverview:
    """Everything the service-level page shows, as ``user`` may see it."""
    since = start_of_day(now, zone)
    breaches = breaches_since(user, since)
    breached_list = list(
        breaches.select_related(
            "ticket", "ticket__customer", "ticket__assignee", "ticket__team"
        ).order_by("-created_at", "-pk")[:LIST_SIZE]
    )
    count = len(breached_list)
    if count == LIST_SIZE:
        count = breaches.count()
    overview = SlaOverview(
        limited=not sees_whole_desk(user),
        at_risk=at_risk(user, now),
        breached_today=breached_list,
        breached_today_count=count,
    )
    if not overview.limited:
        overview.teams = _figures(now, since, "team", ("team__name",))
        overview.agents = _figures(
            now, since, "assignee", ("assignee__display_name", "assignee__username")
        )
    return overview


def access_acknowledgement_team(user: User, team_id: int) -> Team | None:
    """The team whose acknowledgement texts ``user`` may edit (None: the desk's own texts).

    Supervisors and admins only; anyone else, or an unknown team, gets 404.
    """
    if not user.is_authenticated or not user.is_supervisor:
        raise Http404
    if team_id == 0:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


@dataclass
class AcknowledgementTexts:
    team: Team | None
    # (language, text, whether this team or desk has its own text)
    texts: list[tuple[str, str, bool]]


def acknowledgement_texts() -> list[AcknowledgementTexts]:
    """The desk's texts and every team's, with what applies where a team has none; two queries."""
    rows = {(t.team_id, t.language): t.body for t in AcknowledgementTemplate.objects.all()}
    desk = {lang: rows.get((None, lang), DEFAULT_ACKNOWLEDGEMENTS[lang]) for lang in LANGUAGES}
    found = [
        AcknowledgementTexts(None, [(lang, desk[lang], (None, lang) in rows) for lang in LANGUAGES])
    ]
    for team in Team.objects.order_by("name"):
        texts = [
            (lang, rows.get((team.pk, lang), desk[lang]), (team.pk, lang) in rows)
            for lang in LANGUAGES
        ]
        found.append(AcknowledgementTexts(team, texts))
    return found
