"""Which promises apply to a ticket: the first matching policy, its target, and the hours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from mannerly import lookups
from mannerly.sla.calendars import WorkingTime
from mannerly.sla.deadlines import METRICS
from mannerly.sla.models import BusinessCalendar, SlaPolicy, SlaTarget, TeamCalendar
from mannerly.tickets.models import Ticket


@dataclass
class Terms:
    """What a ticket is promised: the policy and target applied, and the hours they count in."""

    policy: SlaPolicy | None
    target: SlaTarget | None
    calendar: BusinessCalendar | None
    # The hours each clock counts in: the calendar's, or around the clock.
    hours: dict[str, WorkingTime]

    @property
    def minutes(self) -> dict[str, int | None]:
        if self.target is None:
            return {}
        return {metric: self.target.minutes_for(metric) for metric in METRICS}

    @property
    def warn_percent(self) -> int:
        return self.policy.warn_percent if self.policy else 75


def active_policies() -> list[SlaPolicy]:
    return lookups.remembered("sla.policies", _read_active_policies)


def _read_active_policies() -> list[SlaPolicy]:
    policies = list(
        SlaPolicy.objects.filter(active=True)
        .prefetch_related("organizations", "tags", "targets")
        .order_by("position", "pk")
    )
    for policy in policies:  # kept as sets: every ticket a batch touches is matched against them
        policy.organization_ids = {org.pk for org in policy.organizations.all()}
        policy.tag_ids = {tag.pk for tag in policy.tags.all()}
        policy.target_list = list(policy.targets.all())
    return policies


def policy_matches(policy: SlaPolicy, ticket: Ticket, tag_ids: Callable[[], set[int]]) -> bool:
    """All of the policy's non-empty conditions hold for the ticket (a policy as
    ``active_policies`` reads it)."""
    if policy.channels and ticket.channel not in policy.channels:
        return False
    if policy.priorities and ticket.priority not in policy.priorities:
        return False
    if policy.languages and ticket.language not in policy.languages:
        return False
    organization_ids = policy.organization_ids
    if organization_ids and ticket.customer.organization_id not in organization_ids:
        return False
    return not policy.tag_ids or bool(policy.tag_ids & tag_ids())


def matching_policy(ticket: Ticket) -> SlaPolicy | None:
    """The first active policy, in order, whose conditions the ticket meets."""

    @cache
    def tag_ids() -> set[int]:  # read only when a policy has a tag condition
        return set(ticket.tags.values_list("pk", flat=True))

    for policy in active_policies():
        if policy_matches(policy, ticket, tag_ids):
            return policy
    return None


def calendar_for(ticket: Ticket) -> BusinessCalendar | None:
    """The ticket's team's calendar, else the desk's default calendar."""
    return lookups.remembered(
        ("sla.calendar", ticket.team_id), lambda: _calendar_of_team(ticket.team_id)
    )


def _calendar_of_team(team_id: int | None) -> BusinessCalendar | None:
    if team_id:
        link = TeamCalendar.objects.filter(team_id=team_id).select_related("calendar")
        found = link.first()
        if found:
            return found.calendar
    return BusinessCalendar.objects.filter(is_default=True).first()


def working_time(calendar: BusinessCalendar | None) -> WorkingTime:
    if calendar is None:
        return WorkingTime.around_the_clock()
    return lookups.remembered(("sla.hours", calendar.pk), lambda: _working_time_of(calendar))


def _working_time_of(calendar: BusinessCalendar) -> WorkingTime:
    holidays = list(calendar.holidays.all())
    hours = [] if calendar.always_open else calendar.hours.all()
    return WorkingTime.build(
        calendar.time_zone,
        [(h.weekday, h.opens, h.closes) for h in hours],
        always_open=calendar.always_open,
        holidays=[h.date for h in holidays if not h.every_year],
        yearly_holidays=[h.date for h in holidays if h.every_year],
    )


def terms_for(ticket: Ticket) -> Terms:
    policy = matching_policy(ticket)
    target = None
    if policy is not None:
        target = next((t for t in policy.target_list if t.priority == ticket.priority), None)
    calendar = calendar_for(ticket)
    business = working_time(calendar)
    around_the_clock = WorkingTime.around_the_clock()
    hours = {
        metric: business
        if target is None or target.counts_business_hours(metric)
        else around_the_clock
        for metric in METRICS
    }
    return Terms(policy, target, calendar, hours)
