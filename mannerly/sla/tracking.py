"""Keep each ticket's service-level clock in step with the ticket: called by the ticket actions.

The actions in ``mannerly/tickets/actions.py`` call one of these functions inside their own
transaction, with the ticket row locked and already changed, so the deadlines commit together
with the change that moved them (never later, never computed on a page view). Each function
updates the ticket's ``TicketSla`` row (what is owed since when, the pauses) and recomputes every
deadline from scratch.
"""

from __future__ import annotations

import logging
from datetime import datetime

from mannerly.sla import effects
from mannerly.sla.calendars import CalendarError
from mannerly.sla.deadlines import DUE_COLUMNS, TicketTimes
from mannerly.sla.deadlines import checkpoints as compute_checkpoints
from mannerly.sla.models import SlaAction, TicketSla
from mannerly.sla.policies import terms_for
from mannerly.tickets.models import Message, Ticket
from mannerly.writes import StagedWrites

logger = logging.getLogger(__name__)

RUNNING_STATUSES = (Ticket.Status.NEW, Ticket.Status.OPEN)
# Channels whose new tickets get the automatic acknowledgement (phone and chat are live).
ACKNOWLEDGED_CHANNELS = (Ticket.Channel.EMAIL, Ticket.Channel.PORTAL, Ticket.Channel.API)
ACK = "ack"


def clocks_run(ticket: Ticket) -> bool:
    """Clocks run while the desk owes the next move: new or open, and not merged away."""
    return ticket.status in RUNNING_STATUSES and ticket.merged_into_id is None


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def owed_since(ticket: Ticket) -> datetime | None:
    """The customer's oldest real message that no reply of ours has followed yet."""
    messages = ticket.messages.filter(direction=Message.Direction.IN, kind=Message.Kind.MESSAGE)
    if ticket.last_agent_reply_at is not None:
        messages = messages.filter(created_at__gt=ticket.last_agent_reply_at)
    return messages.order_by("created_at").values_list("created_at", flat=True).first()


def _locked_state(ticket: Ticket) -> TicketSla:
    """The ticket's clock row, locked; created from the ticket's history when it has none yet."""
    state = TicketSla.objects.select_for_update().filter(ticket=ticket).first()
    if state is None:
        state = state_from_history(ticket)
        state.save()
    return state


def state_from_history(ticket: Ticket) -> TicketSla:
    """A clock row (not saved) for a ticket that has none yet, from what its history says."""
    running = clocks_run(ticket)
    # A ticket already waiting has waited since its last change, as far as we can know.
    pauses = [] if running else [[ticket.updated_at.isoformat(), None]]
    return TicketSla(
        ticket=ticket, awaiting_since=owed_since(ticket), running=running, pauses=pauses
    )


def _follow_status(state: TicketSla, ticket: Ticket, at: datetime) -> None:
    """Open a pause when the clocks stop, close it when they run again."""
    running = clocks_run(ticket)
    if state.running and not running:
        state.pauses = [*state.pauses, [at.isoformat(), None]]
    elif not state.running and running and state.pauses and state.pauses[-1][1] is None:
        started = parse(state.pauses[-1][0])
        state.pauses = [*state.pauses[:-1], [state.pauses[-1][0], max(at, started).isoformat()]]
    state.running = running


def closed_pauses(state: TicketSla) -> list[tuple[datetime, datetime]]:
    return [(parse(start), parse(end)) for start, end in state.pauses if end is not None]


def done_actions(ticket: Ticket) -> set[tuple[str, str, datetime]]:
    return set(SlaAction.objects.filter(ticket=ticket).values_list("metric", "kind", "cycle"))


def schedule(state: TicketSla, done: set[tuple[str, str, datetime]]) -> None:
    """Set when the scanner must next look at this ticket, and its earliest deadline."""
    checks: list[datetime] = []
    dues: list[datetime] = []
    for point in state.checkpoints:
        due_at = parse(point["due"])
        if point["metric"] == ACK:
            checks.append(due_at)
            continue
        dues.append(due_at)
        cycle = parse(point["cycle"])
        if (point["metric"], SlaAction.Kind.BREACH, cycle) in done:
            continue
        checks.append(due_at)
        if (point["metric"], SlaAction.Kind.WARNING, cycle) not in done:
            checks.append(parse(point["warn"]))
    state.next_check_at = min(checks) if checks else None
    state.next_due_at = min(dues) if dues else None


def _store_due_columns(
    ticket: Ticket, points: list[dict], staged: StagedWrites | None = None
) -> None:
    values: dict[str, datetime | None] = dict.fromkeys(DUE_COLUMNS.values())
    for point in points:
        values[DUE_COLUMNS[point["metric"]]] = parse(point["due"])
    changed = [column for column, value in values.items() if getattr(ticket, column) != value]
    for column in changed:
        setattr(ticket, column, values[column])
    if changed and staged is not None:
        staged.changed(ticket, changed)
    elif changed:
        ticket.save(update_fields=changed)


def _new_checkpoints(ticket: Ticket, state: TicketSla, terms) -> list[dict]:
    if not state.running:
        return []
    times = TicketTimes(
        created_at=ticket.created_at,
        awaiting_since=state.awaiting_since,
        first_responded_at=ticket.first_responded_at,
        last_agent_reply_at=ticket.last_agent_reply_at,
    )
    try:
        points = compute_checkpoints(
            times, terms.minutes, terms.hours, closed_pauses(state), warn_percent=terms.warn_percent
        )
    except CalendarError:
        logger.warning("calendar %s never opens: no deadlines for #%s", terms.calendar, ticket.pk)
        return []
    return [
        {
            "metric": p.metric,
            "cycle": p.cycle.isoformat(),
            "warn": p.warn_at.isoformat(),
            "due": p.due_at.isoformat(),
        }
        for p in points
    ]


def recompute(
    ticket: Ticket,
    state: TicketSla,
    at: datetime,
    *,
    acknowledge: bool = False,
    new: bool = False,
    done: set[tuple[str, str, datetime]] | None = None,
    staged: StagedWrites | None = None,
) -> None:
    """Recompute every deadline of the ticket from its current state, and store them.

    ``acknowledge`` (a new ticket) adds the acknowledgement checkpoint when the policy wants one;
    ``new`` says the ticket has no history yet (nothing done to look up). Mail intake, which
    takes many messages at once, passes what is ``done`` already (read for the whole group, and
    kept up to date here) and ``staged`` writes: the rows are then written with the group's.
    """
    _follow_status(state, ticket, at)
    old = [p for p in state.checkpoints if p["metric"] != ACK]
    pending_ack = [p for p in state.checkpoints if p["metric"] == ACK]
    points: list[dict] = []
    if state.running or acknowledge:  # a paused clock has no deadlines: no terms to look up
        terms = terms_for(ticket)
        state.policy, state.calendar = terms.policy, terms.calendar
        if acknowledge and terms.policy is not None and terms.policy.acknowledge:
            pending_ack = [{"metric": ACK, "due": at.isoformat()}]
        points = _new_checkpoints(ticket, state, terms)
    if done is None:
        done = set() if new else done_actions(ticket)
    if not ticket.merged_into_id:  # a merged ticket's promises moved to its target
        _record_stopped_breaches(ticket, old, points, at, done, staged)
    state.checkpoints = points + pending_ack
    _store_due_columns(ticket, points, staged)
    schedule(state, done)
    state.updated_at = at
    if staged is None:
        state.save()
    elif state.pk is None:
        staged.add(state)
    else:
        staged.changed(
            state, [f.name for f in TicketSla._meta.concrete_fields if not f.primary_key]
        )


def _record_stopped_breaches(
    ticket, old: list[dict], new: list[dict], at, done, staged: StagedWrites | None = None
) -> None:
    """A clock that stops (reply, pause, solve) after its deadline was breached: record it once."""
    # Compared as instants, not strings: a cycle stored with the offset of the mail's Date header
    # is the same cycle as one recomputed from the UTC time read back from the database.
    still_running = {(p["metric"], parse(p["cycle"])) for p in new}
    for point in old:
        due_at, cycle = parse(point["due"]), parse(point["cycle"])
        if (point["metric"], cycle) in still_running:
            continue
        if due_at <= at and (point["metric"], SlaAction.Kind.BREACH, cycle) not in done:
            if staged is not None:
                effects.stage_breach(staged, ticket, point["metric"], cycle, due_at, stopped_at=at)
            else:
                effects.record_breach(ticket, point["metric"], cycle, due_at, stopped_at=at)
            done.add((point["metric"], SlaAction.Kind.BREACH, cycle))


# --- the hooks the ticket actions call -------------------------------------------------------


def ticket_opened(ticket: Ticket, at: datetime, *, first_message: Message | None = None) -> None:
    """A customer opened a ticket: the first-response clock starts, an acknowledgement is due.

    ``first_message``: the ticket's first message when the caller holds it (saves a query).
    """
    state = TicketSla.objects.create(ticket=ticket, awaiting_since=at, running=clocks_run(ticket))
    first = first_message or ticket.messages.order_by("created_at", "pk").first()
    from_customer = (
        first is not None
        and first.direction == Message.Direction.IN
        and first.kind == Message.Kind.MESSAGE
    )
    recompute(
        ticket,
        state,
        at,
        acknowledge=from_customer and ticket.channel in ACKNOWLEDGED_CHANNELS,
        new=True,
    )


def customer_wrote(ticket: Ticket, at: datetime) -> None:
    """The customer wrote (and may have reopened the ticket): we owe a reply since then."""
    state = _locked_state(ticket)
    if state.awaiting_since is None:
        state.awaiting_since = at
    recompute(ticket, state, at)


def agent_replied(ticket: Ticket, at: datetime) -> None:
    """We answered: the response clocks stop and the update clock restarts from this reply."""
    state = _locked_state(ticket)
    state.awaiting_since = None
    recompute(ticket, state, at)


def ticket_changed(ticket: Ticket, at: datetime) -> None:
    """Status, priority, team, tags, language or assignee changed: recompute with the new terms."""
    recompute(ticket, _locked_state(ticket), at)


def tickets_merged(source: Ticket, target: Ticket, at: datetime) -> None:
    """The target now owes the source's customer whatever the source still owed, from its start."""
    source_state, target_state = _locked_state(source), _locked_state(target)
    owed = [t for t in (source_state.awaiting_since, target_state.awaiting_since) if t is not None]
    target_state.awaiting_since = min(owed) if owed else None
    recompute(source, source_state, at)
    recompute(target, target_state, at)


def ticket_split(source: Ticket, new_ticket: Ticket, at: datetime) -> None:
    """A message moved to a ticket of its own: it is owed a first response from when it came."""
    new_state = TicketSla.objects.create(
        ticket=new_ticket, awaiting_since=owed_since(new_ticket), running=clocks_run(new_ticket)
    )
    recompute(new_ticket, new_state, at, new=True)
    source_state = _locked_state(source)
    source_state.awaiting_since = owed_since(source)
    recompute(source, source_state, at)


def recompute_open_tickets(*, now: datetime | None = None) -> int:
    """Recompute every open ticket's deadlines, after a policy or a calendar was edited."""
    from django.db import transaction
    from django.utils import timezone

    now = now or timezone.now()
    count = 0
    ids = Ticket.objects.filter(status__in=Ticket.ACTIVE_STATUSES).values_list("pk", flat=True)
    for pk in ids.iterator(chunk_size=500):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk).first()
            if ticket is not None:
                ticket_changed(ticket, now)
                count += 1
    return count
