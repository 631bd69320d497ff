"""The ``mannerly worker`` loop: claims due work from the database and does it.

Due work is rows with due times. Each function listed in ``settings.DUE_WORK`` claims a batch of
its rows atomically (``select_for_update(skip_locked=True)`` on PostgreSQL), does the work and
returns how many rows it handled, so any number of workers on any number of machines never do
the same thing twice. One-off tasks enqueued through django-tasks run here too.

On SQLite run one worker per data folder. A second one is safe but gains nothing: every claim
runs in an ``IMMEDIATE`` transaction, which takes the database's single write lock, so the
workers simply take turns.

The loop must outlive the database: when it goes away (restart, failover, a terminated backend,
a closed port) the worker logs once per attempt, drops its connections and retries with a
growing, jittered pause; it never exits or spins. A bug in one kind of work is logged and that
work postponed, without stopping the others.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def due_work() -> list[Callable[[], int]]:
    return [import_string(path) for path in settings.DUE_WORK]


def run_ready_tasks(limit: int = 20) -> int:
    """Run up to ``limit`` enqueued django-tasks; returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=limit,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks


def drop_connections() -> None:
    """Forget every database connection, even broken ones, so the next query reconnects."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a dead connection may fail to close; it is gone either way
            conn.connection = None


def _name(handler: Callable) -> str:
    return getattr(handler, "__qualname__", repr(handler))


# Errors that mean the database (or the way to it) is gone, not that the work is wrong.
OUTAGES = (OperationalError, InterfaceError)


def tick(handlers: list[Callable[[], int]]) -> tuple[int, list[Callable[[], int]]]:
    """One pass over every kind of due work: (how much was done, the kinds that failed).

    A lost database ends the pass (the caller reconnects); any other error, a database
    ``IntegrityError`` included, is a bug in that kind of work: it is logged and the other
    kinds still run.
    """
    done = 0
    failed = []
    for handler in handlers:
        try:
            done += handler() or 0
        except OUTAGES:
            raise
        except Exception:
            logger.exception("worker %s: %s failed", worker_id(), _name(handler))
            failed.append(handler)
    return done, failed


class Worker:
    """Runs ticks until told to stop; survives database restarts by backing off and reconnecting."""

    def __init__(self, *, interval: float = 1.0, max_backoff: float = MAX_BACKOFF) -> None:
        self.interval = interval
        self.max_backoff = max(max_backoff, interval)
        self.running = True
        self.handlers = [*due_work(), run_ready_tasks]
        self.outages = 0
        # A kind of work that keeps failing is left alone for a growing pause (monotonic time
        # it may run again, and the pause), while the others carry on at full pace.
        self.resting: dict[Callable[[], int], tuple[float, float]] = {}

    def stop(self, signum: int, frame) -> None:
        logger.info("worker %s stopping on signal %s", worker_id(), signum)
        self.running = False

    def ready_handlers(self) -> list[Callable[[], int]]:
        now = time.monotonic()
        return [h for h in self.handlers if self.resting.get(h, (0.0, 0.0))[0] <= now]

    def rest(self, failed: list[Callable[[], int]], handlers: list[Callable[[], int]]) -> None:
        now = time.monotonic()
        for handler in handlers:
            if handler in failed:
                pause = min(
                    self.resting.get(handler, (0.0, self.interval / 2))[1] * 2, self.max_backoff
                )
                self.resting[handler] = (now + pause, pause)
            else:
                self.resting.pop(handler, None)

    def run(self, *, once: bool = False) -> None:
        """Loop until SIGTERM or SIGINT (or after one pass with ``once``)."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, once: bool) -> None:
        logger.info("worker %s started", worker_id())
        backoff = self.interval
        while self.running:
            handlers = self.ready_handlers()
            try:
                close_old_connections()
                done, failed = tick(handlers)
            except OUTAGES as exc:
                self.outages += 1
                logger.warning(
                    "worker %s: database unavailable (%s); retrying in %.1f s",
                    worker_id(),
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    backoff,
                )
                drop_connections()
                self._sleep(backoff * random.uniform(0.8, 1.2))
                backoff = min(backoff * 2, self.max_backoff)
                continue
            self.rest(failed, handlers)
            if backoff > self.interval:
                logger.warning("worker %s: database available again", worker_id())
                backoff = self.interval
            if once:
                return
            if not done:
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.1, max(deadline - time.monotonic(), 0)))
