"""Read-once lookups for batch work: desk settings a batch reads for every row, read once.

The worker handles rows in batches (the scanner's due tickets, the outbox's due mail). Each row
needs the same few desk settings — our own addresses, the team mailboxes, the acknowledgement
texts — which change only when an admin edits them. Inside ``batch()`` the first read of each is
kept for the rest of the block; outside one, every call reads the database as before, so a page
or an action never sees a stale value. A batch lasts about a second, so an edit made during one
applies from the next.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_remembered: ContextVar[dict[Hashable, object] | None] = ContextVar("lookups", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Keep what ``remembered`` reads until the block ends (nested blocks share the outer one)."""
    if _remembered.get() is not None:
        yield
        return
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, done once per batch for ``key``; every time outside a batch."""
    memo = _remembered.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]  # type: ignore[return-value]
