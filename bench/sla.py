"""Service-level benchmark on PostgreSQL: the scanner over 100,000 open tickets, and 1,000
automatic acknowledgements queued (and sent to a loopback SMTP server when the outbox exists).

    uv run python bench/sla.py                 # uses DATABASE_URL, default mannerly_sla
    uv run python bench/sla.py --tickets 20000 --acks 200 --keep
    uv run python bench/sla.py --tickets 0     # only the 1,000 acknowledgements

It works in a database of its own, ``<name>_bench`` next to the one DATABASE_URL names, created
fresh each run and dropped at the end (``--keep`` leaves it for a look with psql).
Prints medians, the budget ratios and the EXPLAIN of the scanner's queries.

The loopback SMTP server the acknowledgements are sent to (``bench/smtp_sink.py``) runs as a
process of its own, so the worker's times are Mannerly's alone. Wall times depend on the
machine's load (printed); for each acknowledgement the bench also prints what does not: the
queries sent and the CPU time of this process and of its PostgreSQL backend.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIND_BUDGET_MS = 200.0
ACK_BUDGET_S = 60.0


def bench_database(url: str) -> tuple[str, str]:
    """(admin URL on the same server, URL of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "mannerly"
    bench = f"{name}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, urlunsplit(parts._replace(path=f"/{bench}"))


def recreate(admin_url: str, bench_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(bench_url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def setup_desk():
    from mannerly.accounts.models import Team, User
    from mannerly.tickets.models import Customer, CustomerEmail

    team = Team.objects.create(name="Support", email="support@bench.localhost")
    agent = User.objects.create_user("oleh", role="agent", display_name="Oleh Kovalenko")
    boss = User.objects.create_user("sofia", role="supervisor", display_name="Sofia Brown")
    team.members.add(agent, boss)
    customers = Customer.objects.bulk_create(
        Customer(
            name=f"Customer {n}",
            language=("en", "zh", "uk", "ru")[n % 4],
            time_zone=("America/New_York", "Asia/Shanghai", "Europe/Kyiv", "UTC")[n % 4],
        )
        for n in range(1000)
    )
    CustomerEmail.objects.bulk_create(
        CustomerEmail(customer=c, email=f"customer{n}@bench.example", is_primary=True)
        for n, c in enumerate(customers)
    )
    return team, agent, customers


def create_open_tickets(count: int, due_share: float, team, agent, customers) -> int:
    """``count`` open tickets with clocks; ``due_share`` of them have a breach due now."""
    from django.db import transaction
    from django.utils import timezone

    from mannerly.sla.models import TicketSla
    from mannerly.tickets.models import Ticket

    now = timezone.now()
    due_every = max(int(1 / due_share), 1)
    due_count = 0
    batch = 10_000
    for start in range(0, count, batch):
        rows, states = [], []
        for n in range(start, min(start + batch, count)):
            is_due = n % due_every == 0
            due_count += is_due
            created = now - timedelta(hours=3) if is_due else now - timedelta(minutes=n % 600)
            due = created + timedelta(hours=2) if is_due else now + timedelta(hours=1 + n % 700)
            rows.append(
                Ticket(
                    subject=f"Bench ticket {n}",
                    customer=customers[n % len(customers)],
                    team=team,
                    assignee=agent,
                    status=Ticket.Status.OPEN,
                    created_at=created,
                    updated_at=created,
                    first_response_due=due,
                )
            )
            point = {
                "metric": "first_response",
                "cycle": created.isoformat(),
                "warn": (due - timedelta(minutes=30)).isoformat(),
                "due": due.isoformat(),
            }
            states.append((point, due))
        with transaction.atomic():
            tickets = Ticket.objects.bulk_create(rows)
            TicketSla.objects.bulk_create(
                TicketSla(
                    ticket=t,
                    awaiting_since=t.created_at,
                    checkpoints=[point],
                    next_check_at=due - timedelta(minutes=30),
                    next_due_at=due,
                )
                for t, (point, due) in zip(tickets, states, strict=True)
            )
    return due_count


def explain_and_time_scanner(due_count: int) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from mannerly.sla.models import TicketSla
    from mannerly.sla.scanner import BATCH, due_tickets_query

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    now = timezone.now()

    def claim_batch():
        with transaction.atomic():
            ids = list(due_tickets_query(now, BATCH))
            transaction.set_rollback(True)
        assert len(ids) == BATCH

    def find_all_due():
        found = list(TicketSla.objects.filter(next_check_at__lte=now).values_list("ticket_id"))
        assert len(found) == due_count, (len(found), due_count)

    claim_ms = median_ms(claim_batch, 30)
    all_ms = median_ms(find_all_due, 30)
    with transaction.atomic():
        plan_claim = due_tickets_query(now, BATCH).explain(analyze=True)
        transaction.set_rollback(True)
    plan_all = (
        TicketSla.objects.filter(next_check_at__lte=now)
        .values_list("ticket_id")
        .explain(analyze=True)
    )
    print("\nEXPLAIN ANALYZE — the scanner's claim of one batch (FOR UPDATE SKIP LOCKED):")
    print(plan_claim)
    print(f"\nEXPLAIN ANALYZE — every due ticket ({due_count}):")
    print(plan_all)
    for plan in (plan_claim, plan_all):
        assert "Index" in plan, "the scanner does not use the next_check_at index"
        assert "Seq Scan on sla_ticketsla" not in plan, "the scanner reads the whole table"
    print(f"\nclaim a batch of {BATCH}: median {claim_ms:.2f} ms")
    print(
        f"find all {due_count} due tickets: median {all_ms:.2f} ms "
        f"(budget {FIND_BUDGET_MS:.0f} ms, ratio {all_ms / FIND_BUDGET_MS:.3f})"
    )
    return all_ms


def act_on_due(due_count: int) -> None:
    from mannerly.sla.models import SlaAction
    from mannerly.sla.scanner import scan_due

    started = time.perf_counter()
    handled = 0
    while count := scan_due():
        handled += count
    seconds = time.perf_counter() - started
    breaches = SlaAction.objects.filter(kind="breach").count()
    assert breaches == due_count, (breaches, due_count)
    print(
        f"act on {due_count} breaches (record, 2 events, 2 notifications each), one worker: "
        f"{seconds:.1f} s, {due_count / seconds:.0f} jobs/s"
    )


class Cost:
    """What a phase costs, independent of the machine's load: queries sent, CPU seconds of this
    process and of its PostgreSQL backend (read from /proc; the server is on this machine)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.queries = 0

    def __enter__(self) -> Cost:
        self.connection.ensure_connection()
        self.backend_pid = self.connection.connection.info.backend_pid
        self._wrapper = self.connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        self.started = (time.perf_counter(), time.process_time(), self._backend_cpu())
        return self

    def __exit__(self, *exc) -> None:
        wall, cpu, backend = self.started
        self.wall = time.perf_counter() - wall
        self.cpu = time.process_time() - cpu
        self.backend = self._backend_cpu() - backend
        self._wrapper.__exit__(*exc)

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def _backend_cpu(self) -> float:
        try:
            fields = Path(f"/proc/{self.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")  # PostgreSQL on another machine: not measured
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def per(self, count: int) -> str:
        return (
            f"{self.queries / count:.1f} queries, {self.cpu / count * 1000:.1f} ms CPU here + "
            f"{self.backend / count * 1000:.1f} ms in PostgreSQL per acknowledgement"
        )


def acknowledgements(count: int, team, customers) -> None:
    from django.db.models import Count

    from mannerly.sla.models import AutoAcknowledgement
    from mannerly.sla.scanner import scan_due
    from mannerly.tickets import actions

    started = time.perf_counter()
    for n in range(count):
        customer = customers[n % len(customers)]
        actions.do_open_ticket(
            customer,
            f"Question {n}",
            "Hello, I have a question about my order.",
            team=team,
            from_email=f"customer{n % len(customers)}@bench.example",
            message_id=f"<bench-{n}@bench.example>",
        )
    opened = time.perf_counter() - started
    with Cost() as queueing:
        while scan_due():
            pass
    states = dict(AutoAcknowledgement.objects.values_list("state").annotate(n=Count("pk")))
    print(
        f"open {count} tickets through do_open_ticket: {opened:.1f} s "
        f"({opened / count * 1000:.1f} ms each)"
    )
    print(
        f"acknowledge them (build, guard, hand to the outbox): {queueing.wall:.1f} s; "
        f"states {states}\n  {queueing.per(count)}"
    )
    sending = send_acknowledgements(count)
    if sending is not None:
        total = queueing.wall + sending.wall
        print(
            f"queued and sent {count} acknowledgements: {total:.1f} s "
            f"(budget {ACK_BUDGET_S:.0f} s, ratio {total / ACK_BUDGET_S:.2f}), "
            f"load {os.getloadavg()[0]:.2f}"
        )
    else:
        print(
            "the mail outbox is not on this branch: only queuing was measured "
            f"({queueing.wall:.1f} s, ratio {queueing.wall / ACK_BUDGET_S:.2f} of the one-minute "
            "budget)"
        )


def send_acknowledgements(count: int) -> Cost | None:
    """Send the queued acknowledgements to a loopback SMTP server (``smtp_sink.py``, a process
    of its own); what it cost, or None without an outbox."""
    try:
        from mannerly.mail import outbox
    except ImportError:
        return None
    import subprocess

    from django.conf import settings

    sink = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("smtp_sink.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(sink.stdout.readline())
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        with Cost() as sending:
            while outbox.send_due_mail():
                pass
    finally:
        received_text, _ = sink.communicate(timeout=30)
    received = int(received_text.strip() or 0)
    print(
        f"loopback SMTP server (its own process) received {received} messages in "
        f"{sending.wall:.1f} s\n  {sending.per(count)}"
    )
    assert received == count, (received, count)
    return sending


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="0: acknowledgements only")
    parser.add_argument("--due", type=float, default=0.01, help="share of tickets due now")
    parser.add_argument("--acks", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mannerly_sla")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench/sla.py needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    admin_url, bench_url = bench_database(url)
    recreate(admin_url, bench_url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("MANNERLY_DATA", tempfile.mkdtemp(prefix="mannerly-bench-sla-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mannerly.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    print(f"database: {urlsplit(bench_url).path.lstrip('/')} (PostgreSQL), load: {os.getloadavg()}")
    try:
        call_command("migrate", verbosity=0)
        team, agent, customers = setup_desk()
        if args.tickets:
            started = time.perf_counter()
            due_count = create_open_tickets(args.tickets, args.due, team, agent, customers)
            print(
                f"created {args.tickets} open tickets ({due_count} due) in "
                f"{time.perf_counter() - started:.1f} s"
            )
            find_ms = explain_and_time_scanner(due_count)
            act_on_due(due_count)
        acknowledgements(args.acks, team, customers)
        if args.tickets:
            print(
                f"\nRESULT find-due median {find_ms:.2f} ms (<= {FIND_BUDGET_MS:.0f} ms: "
                f"{'yes' if find_ms <= FIND_BUDGET_MS else 'NO'})"
            )
    finally:
        connections.close_all()
        if not args.keep:
            recreate(admin_url, bench_url, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
