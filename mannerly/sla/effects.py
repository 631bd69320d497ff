"""What happens when a promise nears or passes its deadline, exactly once.

Each effect first writes its ``SlaAction`` row (unique per ticket, metric, kind and clock start)
inside a savepoint; only when that row is new do the history event, the notifications and any
reassignment follow, all in the caller's transaction. A worker killed halfway rolls back all of
them together, and the retry finds nothing done yet; a second worker finds the row and does
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mannerly.accounts.models import User
from mannerly.sla.deadlines import UPDATE
from mannerly.sla.models import Metric, Notification, SlaAction, SlaPolicy
from mannerly.sla.reminders import update_draft
from mannerly.sla.wording import zone_of
from mannerly.tickets.models import Ticket, TicketEvent
from mannerly.worker import worker_id
from mannerly.writes import StagedWrites


def claim(
    ticket: Ticket,
    metric: str,
    kind: str,
    cycle: datetime,
    deadline: datetime,
    *,
    met_at: datetime | None = None,
) -> SlaAction | None:
    """Write the once-only row for this effect; None when it was already done."""
    try:
        with transaction.atomic():
            return SlaAction.objects.create(
                ticket=ticket,
                metric=metric,
                kind=kind,
                cycle=cycle,
                deadline=deadline,
                met_at=met_at,
                worker=worker_id(),
            )
    except IntegrityError:
        return None


def record_breach(
    ticket: Ticket,
    metric: str,
    cycle: datetime,
    due_at: datetime,
    *,
    stopped_at: datetime | None = None,
) -> SlaAction | None:
    """Record that a deadline passed; ``stopped_at`` when the clock had already stopped late."""
    action = claim(ticket, metric, SlaAction.Kind.BREACH, cycle, due_at, met_at=stopped_at)
    if action is None:
        return None
    data = {"metric": metric, "due": due_at.isoformat()}
    if stopped_at is not None:
        data["stopped_at"] = stopped_at.isoformat()
    TicketEvent.record(ticket, None, "sla-breach", **data)
    return action


def stage_breach(
    staged: StagedWrites,
    ticket: Ticket,
    metric: str,
    cycle: datetime,
    due_at: datetime,
    *,
    stopped_at: datetime,
) -> None:
    """:func:`record_breach` for a clock that stopped late, written with a group's other rows.

    The caller knows what was done already (read for its group), so the once-only row is new;
    a concurrent writer of the same row makes the group's flush fail, and it is retried.
    """
    staged.add_values(
        SlaAction,
        ticket_id=ticket.pk,
        metric=metric,
        kind=SlaAction.Kind.BREACH,
        cycle=cycle,
        deadline=due_at,
        met_at=stopped_at,
        worker=worker_id(),
    )
    data = {"metric": metric, "due": due_at.isoformat(), "stopped_at": stopped_at.isoformat()}
    staged.add_values(
        TicketEvent, ticket_id=ticket.pk, actor_id=None, kind="sla-breach", reason="", data=data
    )


def team_members(ticket: Ticket) -> list[User]:
    """The staff of the ticket's team (reads a prefetched ``team.members`` when there is one)."""
    if ticket.team_id is None:
        return []
    members = ticket.team.members.all()
    return sorted((u for u in members if u.is_staff_member), key=lambda u: u.pk)


def escalation_targets(ticket: Ticket, policy: SlaPolicy | None) -> list[User]:
    """The policy's named supervisor, else the team's supervisors, else every supervisor."""
    if policy is not None and policy.escalate_to_id and policy.escalate_to.is_active:
        return [policy.escalate_to]
    supervisors = [u for u in team_members(ticket) if u.is_supervisor]
    if supervisors:
        return supervisors
    everyone = User.objects.filter(
        is_active=True, role__in=[User.Role.SUPERVISOR, User.Role.ADMIN]
    ).order_by("pk")
    return list(everyone)


def _unique(users: Iterable[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _local(user: User, instant: datetime) -> str:
    zone = zone_of(user.time_zone)
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def notifications(
    users: Iterable[User],
    ticket: Ticket,
    kind: str,
    title: str,
    body: str = "",
    *,
    draft: str = "",
    **values,
) -> list[Notification]:
    """One unsaved notification per user; ``title`` and ``body`` are translated into each user's
    language with ``values`` filled in (``due`` is shown in the user's own zone)."""
    rows = []
    for user in _unique(users):
        filled = dict(values)
        if isinstance(filled.get("due"), datetime):
            filled["due"] = _local(user, filled["due"])
        with translation.override(user.language or "en"):
            if "metric" in filled:
                filled["metric"] = str(Metric(filled["metric"]).label)
            rows.append(
                Notification(
                    user=user,
                    ticket=ticket,
                    kind=kind,
                    title=_(title) % filled,
                    body=_(body) % filled if body else "",
                    draft=draft,
                )
            )
    return rows


def warn(ticket: Ticket, metric: str, cycle: datetime, due_at: datetime) -> bool:
    """The deadline is near: tell the assignee and the team (an update reminder for updates)."""
    if claim(ticket, metric, SlaAction.Kind.WARNING, cycle, due_at) is None:
        return False
    values = {"id": ticket.pk, "subject": ticket.subject, "metric": metric, "due": due_at}
    if metric == UPDATE:
        draft, summary = update_draft(ticket, since=cycle)
        people = [ticket.assignee] if ticket.assignee_id else team_members(ticket)
        rows = notifications(
            people,
            ticket,
            Notification.Kind.UPDATE_REMINDER,
            gettext_noop("Send #%(id)s an update by %(due)s: %(subject)s"),
            gettext_noop(
                "The customer has not heard from us since our last message. A draft that sums "
                "up what happened since then is ready; check it before sending, it quotes "
                "internal notes."
            ),
            draft=draft,
            **values,
        )
        Notification.objects.bulk_create(rows)
        TicketEvent.record(
            ticket,
            None,
            "sla-update-reminder",
            due=due_at.isoformat(),
            since=cycle.isoformat(),
            summary=summary,
        )
        return True
    rows = notifications(
        [ticket.assignee, *team_members(ticket)],
        ticket,
        Notification.Kind.WARNING,
        gettext_noop("%(metric)s due on #%(id)s by %(due)s: %(subject)s"),
        **values,
    )
    Notification.objects.bulk_create(rows)
    TicketEvent.record(ticket, None, "sla-warning", metric=metric, due=due_at.isoformat())
    return True


def breach(
    ticket: Ticket, policy: SlaPolicy | None, metric: str, cycle: datetime, due_at: datetime
) -> bool:
    """The deadline passed: record it and escalate to the supervisor (notify or reassign).

    Returns whether it was done now (False: it had been done before)."""
    if record_breach(ticket, metric, cycle, due_at) is None:
        return False
    supervisors = escalation_targets(ticket, policy)
    values = {"id": ticket.pk, "subject": ticket.subject, "metric": metric, "due": due_at}
    missed = gettext_noop("Missed: %(metric)s on #%(id)s was due %(due)s: %(subject)s")
    rows = notifications(supervisors, ticket, Notification.Kind.ESCALATION, missed, **values)
    if ticket.assignee_id:
        rows += notifications([ticket.assignee], ticket, Notification.Kind.BREACH, missed, **values)
    Notification.objects.bulk_create(rows)
    action = SlaPolicy.BreachAction.NOTIFY
    if policy is not None and policy.breach_action == SlaPolicy.BreachAction.REASSIGN:
        action = _reassign(ticket, supervisors, metric, due_at) or action
    TicketEvent.record(
        ticket,
        None,
        "sla-escalated",
        metric=metric,
        action=action,
        to=[user.pk for user in supervisors],
    )
    return True


def _reassign(ticket: Ticket, supervisors: list[User], metric: str, due_at: datetime) -> str:
    """Give the ticket to the first supervisor; "" when there is nobody to give it to."""
    from mannerly.tickets.actions import do_assign  # the ticket actions import this module

    if not supervisors:
        return ""
    supervisor = supervisors[0]
    if ticket.assignee_id != supervisor.pk:
        note = _("Escalated automatically: %(metric)s was due %(due)s and was missed.") % {
            "metric": str(Metric(metric).label),
            "due": due_at.isoformat(timespec="minutes"),
        }
        do_assign(ticket, None, supervisor, handover_note=note)
        ticket.assignee = supervisor  # the caller's copy follows the locked row
    return SlaPolicy.BreachAction.REASSIGN
