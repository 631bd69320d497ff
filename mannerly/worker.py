"""The ``mannerly worker`` loop: claims due work from the database and does it.

Due work is rows with due times. Each function listed in ``settings.DUE_WORK`` claims a batch of
its rows atomically (``select_for_update(skip_locked=True)`` on PostgreSQL), does the work and
returns how many rows it handled, so any number of workers on any number of machines never do
the same thing twice. One-off tasks enqueued through django-tasks run here too.
"""

from __future__ import annotations

import logging
import os
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


def tick(handlers: list[Callable[[], int]]) -> int:
    """One pass over every kind of due work; returns how much was done."""
    done = 0
    for handler in handlers:
        done += handler() or 0
    done += run_ready_tasks()
    return done


class Worker:
    """Runs ticks until told to stop; survives database restarts by backing off and reconnecting."""

    def __init__(self, *, interval: float = 1.0) -> None:
        self.interval = interval
        self.running = True
        self.handlers = due_work()

    def stop(self, signum: int, frame) -> None:
        logger.info("worker %s stopping on signal %s", worker_id(), signum)
        self.running = False

    def run(self, *, once: bool = False) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        backoff = self.interval
        while self.running:
            close_old_connections()
            try:
                done = tick(self.handlers)
                backoff = self.interval
            except (OperationalError, InterfaceError) as exc:
                logger.warning("database unavailable (%s); retrying in %.0f s", exc, backoff)
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                    conn.close()
                self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            if once:
                return
            if not done:
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.1, seconds))
