"""How fast the REST API answers at 10,000 tickets: one command, prints medians and p95.

    uv run python bench/api_latency.py [--tickets 10000] [-n 200] [--database-url URL]

Seeds a scratch data folder (SQLite, or the PostgreSQL database given, which is EMPTIED first:
give a scratch database), starts `mannerly serve` (gunicorn, 2 workers) on a free
loopback port, and times sequential requests with a personal token. Each line is JSON: the
request, n, median and p95 in ms, the statuses seen, and the SQL queries one request runs.
The peer figures in shared/bench/README.md (django-helpdesk's inbox at 10k tickets) came from
another sitting; only a ratio measured in one sitting means much.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(tickets: int) -> tuple[str, int]:
    """Bulk-load customers, tickets and two messages each; return a staff token and a ticket id."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mannerly.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from mannerly.accounts.models import ApiToken, Team, User
    from mannerly.tickets.models import Customer, Message, Ticket

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # a scratch database: start empty
    rng = random.Random(1)
    team = Team.objects.create(name="Support")
    agents = [
        User.objects.create_user(f"agent{n}", role=User.Role.AGENT, display_name=f"Agent {n}")
        for n in range(10)
    ]
    team.members.add(*agents)
    customers = Customer.objects.bulk_create(
        Customer(name=f"Customer {n}", language=rng.choice(["en", "zh", "uk", "ru"]))
        for n in range(max(tickets // 10, 1))
    )
    now = timezone.now()
    statuses = ["new", "open", "pending", "on-hold", "solved", "closed"]
    rows = Ticket.objects.bulk_create(
        Ticket(
            subject=f"Question {n}",
            status=rng.choice(statuses),
            customer=rng.choice(customers),
            assignee=rng.choice([*agents, None]),
            team=team,
            updated_at=now - timezone.timedelta(minutes=n),
            created_at=now - timezone.timedelta(minutes=n + 60),
        )
        for n in range(tickets)
    )
    Message.objects.bulk_create(
        Message(ticket=t, direction=d, customer=t.customer, body_text="Hello " * 40)
        for t in rows
        for d in ("in", "out")
    )
    token = ApiToken.issue(agents[0], "bench")[1]
    return token, rows[len(rows) // 2].pk


def count_queries(token: str, paths: list[str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            client.get(path, headers={"Authorization": f"Bearer {token}"})
        counts[path] = len(captured)
    return counts


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def measure(base: str, token: str, path: str, n: int, warmup: int = 20) -> dict:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    latencies, statuses = [], {}
    for i in range(warmup + n):
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
            status = response.status
        elapsed = (time.perf_counter() - started) * 1000
        if i >= warmup:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
    latencies.sort()
    return {
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[math.ceil(0.95 * len(latencies)) - 1], 1),
        "n": n,
        "status": statuses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="mannerly-bench-api-")
    os.environ["MANNERLY_DATA"] = data
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    started = time.perf_counter()
    token, ticket = seed(args.tickets)
    print(f"# seeded {args.tickets} tickets in {time.perf_counter() - started:.1f}s", flush=True)

    paths = {
        "list 25": "/api/v1/tickets",
        "list 100": "/api/v1/tickets?limit=100",
        "list mine active": "/api/v1/tickets?status=active&assignee=me",
        "detail": f"/api/v1/tickets/{ticket}",
        "messages": f"/api/v1/tickets/{ticket}/messages",
        "customers q": "/api/v1/customers?q=Customer%2099",
    }
    queries = count_queries(token, list(paths.values()))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mannerly", "serve", "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/v1/openapi.json")
        for label, path in paths.items():
            result = measure(base, token, path, args.n)
            print(json.dumps({"request": label, **result, "queries": queries[path]}), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)  # this run's own scratch folder only
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
