"""Deadlines as a pure function of a ticket's times, its pauses, its target and its hours.

Four clocks, each counting working time (``WorkingTime``) while the ticket is not paused:

- first response: from the customer's oldest unanswered message until our first reply;
- next response: after we have replied once, from the customer's oldest message since our last
  reply until we reply again;
- periodic update: after we have replied once, from our last reply, so that a long job still
  hears from us (keep-alive);
- resolution: from the ticket's creation until it is solved.

Pauses are the stretches when the ticket waited on the customer (pending, on hold) or was
solved; time in them does not count, so a clock resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from mannerly.sla.calendars import WorkingTime

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
UPDATE = "update"
RESOLUTION = "resolution"
METRICS = (FIRST_RESPONSE, NEXT_RESPONSE, UPDATE, RESOLUTION)

# Which ticket column holds each clock's deadline.
DUE_COLUMNS = {
    FIRST_RESPONSE: "first_response_due",
    NEXT_RESPONSE: "next_response_due",
    UPDATE: "update_due",
    RESOLUTION: "resolution_due",
}

Pause = tuple[datetime, datetime]


@dataclass(frozen=True)
class TicketTimes:
    """What the clocks read from a ticket."""

    created_at: datetime
    awaiting_since: datetime | None
    first_responded_at: datetime | None
    last_agent_reply_at: datetime | None


@dataclass(frozen=True)
class Clock:
    metric: str
    start: datetime
    seconds: float


@dataclass(frozen=True)
class Checkpoint:
    """One clock's deadline and the instant to warn at; ``cycle`` is the clock's start."""

    metric: str
    cycle: datetime
    warn_at: datetime
    due_at: datetime


def clocks(times: TicketTimes, minutes: Mapping[str, int | None]) -> list[Clock]:
    """The clocks that run for these times, given the target's minutes per metric."""
    starts: dict[str, datetime | None] = {RESOLUTION: times.created_at}
    if times.first_responded_at is None:
        starts[FIRST_RESPONSE] = times.awaiting_since
    else:
        starts[NEXT_RESPONSE] = times.awaiting_since
        starts[UPDATE] = times.last_agent_reply_at or times.first_responded_at
    found = []
    for metric in METRICS:
        start, target = starts.get(metric), minutes.get(metric)
        if start is not None and target is not None:
            found.append(Clock(metric, start, target * 60.0))
    return found


def due(hours: WorkingTime, start: datetime, seconds: float, pauses: Iterable[Pause]) -> datetime:
    """When ``seconds`` of working time have run from ``start``, not counting the pauses."""
    remaining = seconds
    cursor = start
    for pause_start, pause_end in sorted(pauses):
        if pause_end <= cursor:
            continue
        if pause_start > cursor:
            available = hours.seconds_between(cursor, pause_start)
            if available >= remaining:
                return hours.add(cursor, remaining)
            remaining -= available
        cursor = max(cursor, pause_end)
    return hours.add(cursor, remaining)


def checkpoints(
    times: TicketTimes,
    minutes: Mapping[str, int | None],
    hours: WorkingTime | Mapping[str, WorkingTime],
    pauses: Iterable[Pause],
    *,
    warn_percent: int = 75,
) -> list[Checkpoint]:
    """Every running clock's deadline and warning instant (call only while not paused).

    ``hours`` is one ``WorkingTime`` for all clocks or one per metric.
    """
    pauses = list(pauses)
    found = []
    for clock in clocks(times, minutes):
        clock_hours = hours if isinstance(hours, WorkingTime) else hours[clock.metric]
        due_at = due(clock_hours, clock.start, clock.seconds, pauses)
        warn_at = due(clock_hours, clock.start, clock.seconds * warn_percent / 100, pauses)
        found.append(Checkpoint(clock.metric, clock.start, warn_at, due_at))
    return found
