"""Real ``mannerly worker`` processes for the tests, due work to give them, and ways to check
that every piece of work happened exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

REPO = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 90.0, interval: float = 0.05, what: str = "condition"):
    """Poll ``condition`` until it returns something true; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def postgres_url(*, port: int | None = None, application_name: str = "") -> str:
    """The URL of the database this test runs on (the test database), for child processes."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{port or settings['PORT'] or 5432}/{settings['NAME']}"
    )
    return f"{url}?application_name={application_name}" if application_name else url


class WorkerProcess:
    """One ``mannerly worker`` child; its stderr is kept in a file for the assertions."""

    def __init__(
        self,
        data_dir: Path,
        name: str,
        *,
        database_url: str = "",
        interval: float = 0.2,
        log_level: str = "WARNING",
    ):
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"MANNERLY_DATA": str(data_dir), "MANNERLY_LOG_LEVEL": log_level})
        if database_url:
            env["DATABASE_URL"] = database_url
        self.name = name
        self.log_path = data_dir / f"{name}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mannerly", "worker", "--interval", str(interval)],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def worker_id(self) -> str:
        return f"{socket.gethostname()}:{self.process.pid}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait: a worker stops after the work in hand."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            if self.alive:
                self.process.kill()
                self.process.wait()
            self.log.close()
        return code


def seed_overdue_tickets(count: int, *, customer, team, assignee) -> list[int]:
    """``count`` open tickets whose first response was due an hour ago: each is one job for the
    scanner (a breach: its record, two events and two notifications), committed at once."""
    from mannerly.sla.models import TicketSla
    from mannerly.tickets.models import Ticket

    now = timezone.now()
    created = now - timedelta(hours=3)
    due = created + timedelta(hours=2)
    point = {
        "metric": "first_response",
        "cycle": created.isoformat(),
        "warn": (created + timedelta(minutes=90)).isoformat(),
        "due": due.isoformat(),
    }
    with transaction.atomic():
        tickets = Ticket.objects.bulk_create(
            Ticket(
                subject=f"Job {n}",
                customer=customer,
                team=team,
                assignee=assignee,
                status=Ticket.Status.OPEN,
                created_at=created,
                updated_at=created,
                last_customer_message_at=created,
                first_response_due=due,
            )
            for n in range(count)
        )
        TicketSla.objects.bulk_create(
            TicketSla(
                ticket=ticket,
                awaiting_since=created,
                checkpoints=[point],
                next_check_at=created + timedelta(minutes=90),
                next_due_at=due,
            )
            for ticket in tickets
        )
    return [ticket.pk for ticket in tickets]


def effects_per_ticket() -> dict[str, dict[int, int]]:
    """For each kind of effect, how many times it happened per ticket."""
    from mannerly.sla.models import Notification, SlaAction
    from mannerly.tickets.models import TicketEvent

    def per_ticket(rows) -> dict[int, int]:
        return dict(rows.values_list("ticket_id").annotate(n=Count("pk")))

    return {
        "breach": per_ticket(SlaAction.objects.filter(kind="breach")),
        "breach-event": per_ticket(TicketEvent.objects.filter(kind="sla-breach")),
        "escalated-event": per_ticket(TicketEvent.objects.filter(kind="sla-escalated")),
        "notification": per_ticket(Notification.objects.all()),
    }


def assert_each_effect_once(ticket_ids: list[int], notifications_per_ticket: int = 2) -> None:
    found = effects_per_ticket()
    expected = dict.fromkeys(ticket_ids, 1)
    assert found["breach"] == expected
    assert found["breach-event"] == expected
    assert found["escalated-event"] == expected
    assert found["notification"] == dict.fromkeys(ticket_ids, notifications_per_ticket)


def breaches_done() -> int:
    from mannerly.sla.models import SlaAction

    return SlaAction.objects.filter(kind="breach").count()


def backends(application_name: str, *, waiting_on_lock: bool = False) -> list[int]:
    """PostgreSQL backend pids of a worker (by its application name)."""
    sql = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    if waiting_on_lock:
        sql += " AND wait_event_type = 'Lock'"
    with connection.cursor() as cursor:
        cursor.execute(sql, [application_name])
        return [row[0] for row in cursor.fetchall()]


class TcpProxy:
    """Forwards a local port to PostgreSQL: "opening the closed port" in the outage test."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", port))
        self.sockets: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop listening and cut every connection (shutdown first, so both ends see it)."""
        self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
