"""The worker's service-level scan: find tickets with a warning, a breach or an acknowledgement
due, and act on each once.

One indexed column, ``TicketSla.next_check_at``, says when a ticket next needs the scanner. A
batch of due tickets is claimed with ``SELECT … FOR UPDATE OF ticket SKIP LOCKED`` (the same lock
the ticket actions take, in the same order: ticket, then its clock row), so concurrent workers
take disjoint batches and never race an agent's reply. On SQLite, where rows cannot be locked,
the ``IMMEDIATE`` transaction takes the database's write lock instead, so a second worker waits
and then finds the work already done.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from mannerly import lookups
from mannerly.sla import effects
from mannerly.sla.acknowledgement import acknowledge_batch, do_acknowledge
from mannerly.sla.models import SlaAction, TicketSla
from mannerly.sla.tracking import ACK, parse, schedule
from mannerly.tickets.models import Ticket

logger = logging.getLogger(__name__)

BATCH = 50
# What acting on a ticket changes on its clock row.
CLOCK_FIELDS = ["checkpoints", "failures", "next_check_at", "next_due_at"]
# A ticket whose handling fails is retried after this, doubling per failure up to a day.
RETRY_AFTER = timedelta(minutes=1)
MAX_RETRY = timedelta(days=1)


def due_tickets_query(now: datetime, limit: int = BATCH):
    """The claim: due tickets in deadline order, locked, skipping those another worker holds."""
    return (
        Ticket.objects.filter(sla__next_check_at__lte=now)
        .order_by("sla__next_check_at")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)[:limit]
    )


def scan_due(limit: int = BATCH) -> int:
    """Act on up to ``limit`` due tickets; returns how many were handled (0: nothing due)."""
    now = timezone.now()
    with transaction.atomic(), lookups.batch():
        ids = list(due_tickets_query(now, limit))
        if not ids:
            return 0
        states = list(
            TicketSla.objects.filter(ticket_id__in=ids)
            .select_related("ticket", "ticket__customer", "ticket__assignee", "ticket__team")
            .select_related("policy", "policy__escalate_to", "ticket__acknowledgement")
            .prefetch_related("ticket__team__members")
            # what acknowledgements check for every ticket: the customer's addresses and flags
            .prefetch_related("ticket__customer__emails", "ticket__customer__flags")
            .select_for_update(of=("self",))
            .order_by("ticket_id")
        )
        done = actions_done(ids)
        acknowledge_due(states, now)
        handled = [s for s in states if handle(s, now, done.get(s.ticket_id, set()))]
        TicketSla.objects.bulk_update(handled, CLOCK_FIELDS)
    return len(ids)


def acknowledge_due(states: list[TicketSla], now: datetime) -> None:
    """Acknowledge every ticket of the batch whose acknowledgement is due, all at once (each
    ticket keeps its guard row, so ``act`` then finds it done).

    If that fails, nothing of it stays and each ticket is acknowledged on its own as it is
    handled, so one ticket that cannot be acknowledged is postponed alone."""
    try:
        with transaction.atomic():
            tickets = [s.ticket for s in states if ack_due(s, now)]
            if tickets:
                acknowledge_batch(tickets, now)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.warning("acknowledging a batch failed; one ticket at a time", exc_info=True)


def ack_due(state: TicketSla, now: datetime) -> bool:
    return any(p["metric"] == ACK and parse(p["due"]) <= now for p in state.checkpoints)


def actions_done(ticket_ids: list[int]) -> dict[int, set[tuple[str, str, datetime]]]:
    """What was already done for each ticket of a batch (one query for the batch)."""
    done: dict[int, set] = {}
    rows = SlaAction.objects.filter(ticket_id__in=ticket_ids)
    for ticket_id, metric, kind, cycle in rows.values_list("ticket_id", "metric", "kind", "cycle"):
        done.setdefault(ticket_id, set()).add((metric, kind, cycle))
    return done


def handle(state: TicketSla, now: datetime, done: set) -> bool:
    """Act on one ticket in a savepoint; a failure postpones it instead of blocking the batch.
    True when it was handled (its clock row is then saved with the batch's)."""
    try:
        with transaction.atomic():
            act(state, now, set(done))
    except (OperationalError, InterfaceError):
        raise  # the database went away: the whole batch is retried after reconnecting
    except Exception:
        logger.exception("service-level check of ticket #%s failed", state.ticket_id)
        postpone(state, now)
        return False
    return True


def act(state: TicketSla, now: datetime, done: set[tuple[str, str, datetime]]) -> int:
    """Every warning, breach and acknowledgement now due on this ticket, each done once; sets
    when the scanner must look again (the caller saves the clock row)."""
    ticket = state.ticket
    assignee = ticket.assignee_id
    acted = 0
    acknowledged = False
    for point in state.checkpoints:
        metric, due_at = point["metric"], parse(point["due"])
        if metric == ACK:
            if due_at <= now:
                do_acknowledge(ticket, now)
                acknowledged = True
                acted += 1
            continue
        cycle = parse(point["cycle"])
        if (metric, SlaAction.Kind.BREACH, cycle) in done:
            continue
        if due_at <= now:
            if effects.breach(ticket, state.policy, metric, cycle, due_at):
                acted += 1
            done.add((metric, SlaAction.Kind.BREACH, cycle))
        elif parse(point["warn"]) <= now and (metric, SlaAction.Kind.WARNING, cycle) not in done:
            if effects.warn(ticket, metric, cycle, due_at):
                acted += 1
            done.add((metric, SlaAction.Kind.WARNING, cycle))
    if ticket.assignee_id != assignee:
        # The escalation reassigned the ticket, which recomputed its clock: start from the row.
        state.refresh_from_db()
    if acknowledged:
        state.checkpoints = [p for p in state.checkpoints if p["metric"] != ACK]
    state.failures = 0
    schedule(state, done)
    return acted


def postpone(state: TicketSla, now: datetime) -> None:
    failures = min(state.failures + 1, 30)
    delay = min(RETRY_AFTER * (2 ** (failures - 1)), MAX_RETRY)
    TicketSla.objects.filter(pk=state.pk).update(failures=failures, next_check_at=now + delay)
