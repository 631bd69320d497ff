"""Business time: adding working hours to an instant and measuring the working time between two.

Opening hours are wall-clock times in the calendar's zone; each day's stretches are turned into
UTC instants with ``zoneinfo`` (so a day with a daylight-saving change is 23 or 25 hours long
when it is open all day, and 09:00–18:00 stays 9 hours), and all arithmetic is on UTC instants.
``WorkingTime`` is plain Python so it can be tested against any clock; ``working_time_for``
builds one from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Enough for a target of many weeks on a calendar with long holidays; a calendar that has no
# open time within this many days is treated as an error rather than looped over forever.
MAX_DAYS = 3 * 366

MIDNIGHT = time(0)


class CalendarError(ValueError):
    """The calendar never opens, so no deadline can be computed in it."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, LookupError):
        return ZoneInfo("UTC")


def _merge(stretches: Iterable[tuple[time, time]]) -> tuple[tuple[time, time | None], ...]:
    """Sorted, non-overlapping stretches; ``None`` as the end means midnight after the day."""
    spans = sorted((o, None if c == MIDNIGHT else c) for o, c in stretches)
    merged: list[list] = []
    for opens, closes in spans:
        if merged:
            last = merged[-1]
            if last[1] is None:
                continue
            if opens <= last[1]:
                last[1] = None if closes is None else max(last[1], closes)
                continue
        merged.append([opens, closes])
    return tuple((o, c) for o, c in merged)


@dataclass(frozen=True)
class WorkingTime:
    """When a team works: a zone, stretches per weekday (0 = Monday), closed days."""

    zone: ZoneInfo
    weekly: dict[int, tuple[tuple[time, time | None], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    yearly_holidays: frozenset[tuple[int, int]] = frozenset()
    # Around the clock without closed days: plain elapsed time (the fast path).
    continuous: bool = False

    @classmethod
    def around_the_clock(cls) -> WorkingTime:
        return cls(zone=ZoneInfo("UTC"), continuous=True)

    @classmethod
    def build(
        cls,
        zone: str,
        hours: Iterable[tuple[int, time, time]] = (),
        *,
        always_open: bool = False,
        holidays: Iterable[date] = (),
        yearly_holidays: Iterable[date] = (),
    ) -> WorkingTime:
        """From a zone name, ``(weekday, opens, closes)`` rows (closes 00:00 = midnight) and days."""
        holidays = frozenset(holidays)
        yearly = frozenset((d.month, d.day) for d in yearly_holidays)
        if always_open:
            if not holidays and not yearly:
                return cls(zone=_zone(zone), continuous=True)
            hours = [(day, MIDNIGHT, MIDNIGHT) for day in range(7)]
        per_day: dict[int, list[tuple[time, time]]] = {}
        for weekday, opens, closes in hours:
            per_day.setdefault(weekday, []).append((opens, closes))
        weekly = {day: _merge(stretches) for day, stretches in per_day.items()}
        return cls(zone=_zone(zone), weekly=weekly, holidays=holidays, yearly_holidays=yearly)

    def is_closed_day(self, day: date) -> bool:
        return day in self.holidays or (day.month, day.day) in self.yearly_holidays

    def _stretches(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The day's open stretches as UTC instants, in order."""
        if self.is_closed_day(day):
            return
        for opens, closes in self.weekly.get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=self.zone)
            if closes is None:
                end = datetime.combine(day + timedelta(days=1), MIDNIGHT, tzinfo=self.zone)
            else:
                end = datetime.combine(day, closes, tzinfo=self.zone)
            start, end = start.astimezone(UTC), end.astimezone(UTC)
            if end > start:
                yield start, end

    def stretches_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open stretches that end after ``instant``, clipped to start no earlier than it."""
        day = instant.astimezone(self.zone).date()
        for offset in range(MAX_DAYS):
            for start, end in self._stretches(day + timedelta(days=offset)):
                if end > instant:
                    yield max(start, instant), end
        raise CalendarError("the calendar has no open time")

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant when ``seconds`` of working time have passed since ``start``."""
        if self.continuous:
            return start + timedelta(seconds=seconds)
        remaining = timedelta(seconds=seconds)
        for begin, end in self.stretches_from(start):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise CalendarError("unreachable")  # stretches_from raises first

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Working seconds from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        if self.continuous:
            return (end - start).total_seconds()
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for begin, finish in self._stretches(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds()
