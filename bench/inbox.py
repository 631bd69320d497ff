"""Agent inbox and ticket page latency at 10k and 100k tickets, on PostgreSQL and SQLite.

    uv run python bench/inbox.py                       # both databases, 10k and 100k tickets
    uv run python bench/inbox.py --db postgres --sizes 100000 -n 200
    uv run python bench/inbox.py --peer /tmp/peer-dh-inbox   # then django-helpdesk, same sitting

For each database and size: a fresh database (PostgreSQL: ``mannerly_bench_inbox``, or the one
named by ``--pg-database``; never another one; SQLite: a temporary data folder) is migrated and
bulk-loaded (3-4 messages per ticket, 8% of tickets new or open, search documents included),
ANALYZEd, and served by ``mannerly serve`` (gunicorn, 2 workers) on loopback. One client signs in through the real login form and
../shared/bench/http_latency.py measures, one request at a time, 200 requests after 20 warm-ups:

- ``inbox``:  GET /tickets/ (all open tickets, last updated first, 25 rows, rendered HTML)
- ``ticket``: GET /tickets/<id>/ for 200 random tickets, their customers' messages triaged as
  the worker leaves them
- ``search``: GET /tickets/?view=all&q=refund (all tickets whose text has a word starting so)
- ``ticket-first-view``: GET /tickets/<id>/ for 200 other tickets whose messages were never
  triaged (the page triages and stores them: the worker has not got to them yet)

It also prints the SQL query count of both pages (the inbox at 5, 25 and 50 rows: it must not
change), the database's plan for the inbox query and the server's CPU time per request of the
inbox and ticket pages, measured in-process (Django's test client, ``time.process_time``): on a
busy machine that moves far less than latency does. Latency is from one client on a shared
2-core machine: compare with the peer measured in the same sitting, not with another day.

``--reuse`` keeps a PostgreSQL database loaded by an earlier run (loading 100k tickets takes
minutes), so two versions of the code can be measured on the same rows one after the other.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
BENCH_DATABASE = "mannerly_bench_inbox"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
AGENT, PASSWORD = "bench-agent", "bench-agent-pass-1"
SECRET = "bench-inbox-not-secret-" + "x" * 30

WORDS = {
    "en": [
        "the",
        "a",
        "customer",
        "order",
        "invoice",
        "account",
        "error",
        "page",
        "login",
        "export",
        "report",
        "refund",
        "payment",
        "please",
        "help",
        "thanks",
        "since",
        "yesterday",
        "update",
        "delivery",
        "address",
        "card",
        "charge",
        "twice",
    ],
    "uk": [
        "замовлення",
        "рахунок",
        "оплата",
        "доставка",
        "повернення",
        "коштів",
        "будь",
        "ласка",
        "дякую",
        "допоможіть",
        "помилка",
        "вхід",
        "кабінет",
        "картка",
        "адреса",
    ],
    "ru": [
        "заказ",
        "счёт",
        "оплата",
        "доставка",
        "возврат",
        "денег",
        "пожалуйста",
        "спасибо",
        "помогите",
        "ошибка",
        "вход",
        "кабинет",
        "карта",
        "адрес",
    ],
    "zh": list("我的订单还没有发货请尽快处理退款发票地址错误登录账户谢谢帮忙"),
}
SUBJECTS = {
    "en": [
        "Cannot log in",
        "Invoice {n} shows the wrong amount",
        "Order {n} not delivered",
        "Refund for duplicate charge on order {n}",
        "Change billing address",
        "Export to CSV",
    ],
    "uk": ["Не можу увійти", "Замовлення {n} не доставлено", "Повернення коштів за {n}"],
    "ru": ["Не могу войти", "Заказ {n} не доставлен", "Возврат денег за заказ {n}"],
    "zh": ["订单 {n} 还没有发货", "发票抬头错误", "无法登录账户"],
}


# ---- the parts that run inside a configured Django (subprocesses) -----------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mannerly.settings")
    import django

    django.setup()


def text(rng: random.Random, language: str, words: int) -> str:
    vocabulary = WORDS[language]
    joiner = "" if language == "zh" else " "
    return joiner.join(rng.choice(vocabulary) for _ in range(words)) + (
        "。" if language == "zh" else "."
    )


def load(size: int) -> None:
    """Bulk-load ``size`` tickets with 3-4 messages each into the configured, migrated database."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from mannerly.accounts.models import Team, User
    from mannerly.tickets import search
    from mannerly.tickets.models import Customer, CustomerEmail, Message, Tag, Ticket

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    started = time.perf_counter()
    teams = [Team.objects.create(name=name) for name in ("Support", "Billing", "Shipping")]
    agents = [
        User.objects.create_user(f"agent{i:02d}", password=None, display_name=f"Agent {i:02d}")
        for i in range(10)
    ]
    me = User.objects.create_user(AGENT, password=PASSWORD, display_name="Bench Agent")
    me.signature = "Bench Agent\nMannerly support"
    me.save()
    teams[0].members.add(me, *agents[:4])
    tags = [Tag.objects.create(name=name) for name in ("billing", "refund", "vip", "bug", "how-to")]
    languages = ["en"] * 6 + ["uk", "ru", "zh"]
    customers = Customer.objects.bulk_create(
        Customer(name=f"Customer {i}", language=rng.choice(languages)) for i in range(size // 5)
    )
    CustomerEmail.objects.bulk_create(
        CustomerEmail(customer=c, email=f"customer{c.pk}@example.com", is_primary=True)
        for c in customers
    )
    now = timezone.now()
    span = timedelta(days=730)
    statuses = (
        (["new"] * 3 + ["open"] * 5 + ["pending"] * 4 + ["on-hold"] * 1)
        + ["solved"] * 37
        + ["closed"] * 50
    )
    chunk = 5000
    search_indexes = [sql for sql in search.create_sql(connection.vendor) if "INDEX" in sql]
    with connection.cursor() as cursor:  # building GIN indexes once beats updating them 100k times
        for name in ("tickets_search_vector", "tickets_search_trgm"):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    for start in range(0, size, chunk):
        with transaction.atomic():
            rows = []
            for i in range(start, min(size, start + chunk)):
                created = now - span + span * (i / size) + timedelta(seconds=rng.randint(0, 600))
                customer = rng.choice(customers)
                status = rng.choice(statuses)
                updated = min(now, created + timedelta(hours=rng.randint(1, 72)))
                rows.append(
                    Ticket(
                        subject=rng.choice(SUBJECTS[customer.language]).format(
                            n=rng.randint(1000, 99999)
                        ),
                        status=status,
                        priority=rng.choices([1, 2, 3, 4], [10, 70, 15, 5])[0],
                        customer=customer,
                        assignee=rng.choice([*agents, me]) if rng.random() < 0.7 else None,
                        team=rng.choice(teams) if rng.random() < 0.8 else None,
                        channel=rng.choice(["email"] * 6 + ["portal", "phone"]),
                        language=customer.language,
                        created_at=created,
                        updated_at=updated,
                        last_customer_message_at=created,
                        first_response_due=created + timedelta(hours=8)
                        if status in ("new", "open")
                        else None,
                        solved_at=updated if status in ("solved", "closed") else None,
                    )
                )
            tickets = Ticket.objects.bulk_create(rows)
            messages, documents, tag_rows = [], [], []
            for ticket in tickets:
                texts = []
                for j in range(rng.choice([3, 3, 4])):
                    direction = ["in", "out", "in", "internal"][j]
                    body = text(rng, ticket.language, rng.randint(20, 90))
                    texts.append(body)
                    messages.append(
                        Message(
                            ticket=ticket,
                            direction=direction,
                            kind="note" if direction == "internal" else "message",
                            channel=ticket.channel,
                            customer=ticket.customer if direction == "in" else None,
                            author=ticket.assignee if direction != "in" else None,
                            from_name=ticket.customer.name if direction == "in" else "",
                            subject=ticket.subject,
                            body_text=body,
                            created_at=ticket.created_at + timedelta(hours=6 * j),
                        )
                    )
                documents.append((ticket.pk, search.build_document(ticket.subject, texts)))
                if rng.random() < 0.3:
                    tag_rows.append(
                        Ticket.tags.through(ticket_id=ticket.pk, tag_id=rng.choice(tags).pk)
                    )
            Message.objects.bulk_create(messages, batch_size=2000)
            Ticket.tags.through.objects.bulk_create(tag_rows)
            search.write_documents(documents)
    with connection.cursor() as cursor:
        for sql in search_indexes:
            cursor.execute(sql)
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "loaded_tickets": Ticket.objects.count(),
                "messages": Message.objects.count(),
                "new_or_open": Ticket.objects.filter(status__in=["new", "open"]).count(),
                "load_seconds": round(time.perf_counter() - started, 1),
            }
        ),
        flush=True,
    )


def prepare(ids_file: str, first_view_file: str) -> None:
    """Migrate, pick the tickets to open, and give them the state the worker would have left.

    The worker triages each customer message shortly after it arrives (``triage_later``); a
    bulk load skips that, so the 200 tickets the ``ticket`` page opens get their triage stored
    here, and the ticket page is measured as agents meet it. 200 other tickets keep none: the
    ``ticket-first-view`` page measures the page's fallback, triage computed and stored on view.
    """
    django_setup()
    from django.core.management import call_command

    from mannerly.coaching.actions import do_triage_messages
    from mannerly.coaching.models import MessageTriage
    from mannerly.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    sample = random.Random(11).sample(ids, 400)
    visited, first_view = sample[:200], sample[200:]
    Path(ids_file).write_text("\n".join(map(str, visited)) + "\n")
    Path(first_view_file).write_text("\n".join(map(str, first_view)) + "\n")
    for ticket in Ticket.objects.filter(pk__in=visited):
        do_triage_messages(list(ticket.messages.all()))
    MessageTriage.objects.filter(message__ticket__in=first_view).delete()
    print(json.dumps({"triaged_tickets": len(visited), "untriaged_tickets": len(first_view)}))


def inspect(ids_file: str, cpu_requests: int) -> None:
    """Query counts of both pages (inbox at 5, 25, 50 rows), the inbox query's plan, and the
    server's CPU time per request measured in this process (less noisy than latency)."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import mannerly.tickets.views as inbox_views
    from mannerly.accounts.models import User
    from mannerly.tickets.queries import InboxQuery, inbox_queryset

    me = User.objects.get(username=AGENT)
    client = Client()
    client.force_login(me)
    counts = {}
    for rows in (5, 25, 50):
        inbox_views.PER_PAGE = rows
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/tickets/")
        assert response.status_code == 200, response.status_code
        counts[f"inbox_{rows}_rows"] = len(queries)
    inbox_views.PER_PAGE = 25
    ticket_id = Path(ids_file).read_text().split()[0]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/tickets/{ticket_id}/").status_code == 200
    counts["ticket_page"] = len(queries)
    ids = Path(ids_file).read_text().split()
    cpu = {
        "inbox": cpu_times(client, ["/tickets/"] * cpu_requests),
        "ticket": cpu_times(
            client, [f"/tickets/{ids[i % len(ids)]}/" for i in range(cpu_requests)]
        ),
    }
    sql, params = (
        inbox_queryset(me, InboxQuery())
        .select_related("customer", "assignee", "team")[:26]
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cursor.fetchall()]
    print(json.dumps({"queries": counts, "plan": plan, "cpu_ms": cpu}), flush=True)


def cpu_times(client, paths: list[str]) -> dict:
    """Median and p95 of the CPU time this process spends per request, after 20 warm-ups."""
    for path in paths[:20]:
        client.get(path)
    times = []
    for path in paths:
        started = time.process_time()
        assert client.get(path).status_code == 200, path
        times.append((time.process_time() - started) * 1000)
    times.sort()
    return {
        "median": round(statistics.median(times), 1),
        "p95": round(times[math.ceil(0.95 * len(times)) - 1], 1),
    }


# ---- the orchestrator ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_json(args: list[str], env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def existing_postgres(database: str) -> str | None:
    """The URL of an already loaded bench database (``--reuse``), else None."""
    found = subprocess.run(
        [
            "psql",
            "-qtA",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            f"SELECT 1 FROM pg_database WHERE datname = '{database}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        return None
    url = f"{PG_SERVER}/{database}"
    tickets = subprocess.run(
        [
            "psql",
            "-qtA",
            url,
            "-c",
            "SELECT count(*) FROM tickets_ticket WHERE EXISTS (SELECT 1 FROM accounts_user "
            f"WHERE username = '{AGENT}')",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return url if tickets.isdigit() and int(tickets) > 0 else None


def fresh_postgres(database: str) -> str:
    for sql in (
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    ):
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
            check=True,
        )
    return f"{PG_SERVER}/{database}"


def sign_in(base: str) -> str:
    import requests

    session = requests.Session()
    page = session.get(base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base + "/accounts/login/",
        data={"username": AGENT, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return session.cookies["sessionid"]


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "mannerly", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("the server did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # our own process group, started above
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def measure(
    db: str, size: int, requests_n: int, warmup: int, workdir: Path, pg_database: str, reuse: bool
) -> dict:
    env = {**os.environ, "MANNERLY_SECRET_KEY": SECRET, "MANNERLY_LOG_LEVEL": "ERROR"}
    data_dir = workdir / f"data-{db}-{size}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env["MANNERLY_DATA"] = str(data_dir)
    env.pop("DATABASE_URL", None)
    reused = existing_postgres(pg_database) if db == "postgres" and reuse else None
    if reused:
        env["DATABASE_URL"] = reused
        print(f"== {db}: reusing the tickets loaded in {pg_database}", flush=True)
        loaded = {"reused": pg_database}
    else:
        if db == "postgres":
            env["DATABASE_URL"] = fresh_postgres(pg_database)
        print(f"== {db}, {size} tickets: loading", flush=True)
        loaded = run_json(["load", "--size", str(size)], env)
    ids_file = workdir / f"ids-{db}-{size}.txt"
    first_view_file = workdir / f"ids-first-view-{db}-{size}.txt"
    loaded.update(
        run_json(["prepare", "--ids", str(ids_file), "--first-view-ids", str(first_view_file)], env)
    )
    print(f"   {loaded}", flush=True)
    inspected = run_json(["inspect", "--ids", str(ids_file), "-n", str(requests_n)], env)
    port = free_port()
    server = serve(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        session = sign_in(base)
        probe = [sys.executable, str(SHARED_BENCH / "http_latency.py"), base, "-n", str(requests_n)]
        probe += ["--cookie", f"sessionid={session}", "--tag", f"mannerly, {size} tickets, {db}"]
        output = subprocess.run(
            [
                *probe,
                *("--warmup", str(warmup), "--ids", str(ids_file)),
                "inbox=/tickets/",
                "ticket=/tickets/{id}/",
                "search=/tickets/?view=all&q=refund",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # The server is warm by now: no warm-up, so every one of these is a ticket's first view.
        output += subprocess.run(
            [
                *probe,
                "--warmup",
                "0",
                "--ids",
                str(first_view_file),
                "ticket-first-view=/tickets/{id}/",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        stop(server)
    pages = {row["page"]: row for row in map(json.loads, output.strip().splitlines())}
    return {"db": db, "size": size, "loaded": loaded, **inspected, "pages": pages}


def run_peer(directory: str, sizes: list[int]) -> list[dict]:
    """django-helpdesk's own harness (shared/bench/peer-django-helpdesk), on PostgreSQL."""
    peer = SHARED_BENCH / "peer-django-helpdesk"
    subprocess.run(["bash", str(peer / "setup_peer.sh"), directory], check=True)
    before = set(Path(directory, "results").glob("inbox-*.jsonl"))
    marker = {p: p.stat().st_size for p in before}
    subprocess.run(
        ["bash", str(peer / "bench_inbox.sh"), directory, *map(str, sizes)],
        check=True,
        env={**os.environ, "DB": "postgres"},
    )
    rows = []
    for path in sorted(Path(directory, "results").glob("inbox-*.jsonl")):
        with path.open() as handle:
            handle.seek(marker.get(path, 0))
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def print_table(results: list[dict], peer: list[dict]) -> None:
    print("\n| system | DB | tickets | page | median ms | p95 ms | SQL queries | server CPU ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        q = r["queries"]
        for name, row in r["pages"].items():
            cpu = r["cpu_ms"].get(name)
            cpu_text = f"{cpu['median']} (p95 {cpu['p95']})" if cpu else ""
            count = (
                f"{q['inbox_25_rows']} (5 rows: {q['inbox_5_rows']}, 50 rows: {q['inbox_50_rows']})"
                if name == "inbox"
                else str(q["ticket_page"])
                if name == "ticket"
                else ""
            )
            print(
                f"| mannerly | {r['db']} | {r['size']:,} | {name} | {row['median_ms']} | "
                f"{row['p95_ms']} | {count} | {cpu_text} |"
            )
    for row in peer:
        size = re.search(r"(\d+) tickets", row.get("tag", ""))
        db = "postgres" if "postgres" in row.get("tag", "") else "sqlite"
        print(
            f"| django-helpdesk 2.6.1 | {db} | {int(size.group(1)):,} | {row['page']} | "
            f"{row['median_ms']} | {row['p95_ms']} | | |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="step")
    load_step = sub.add_parser("load")
    load_step.add_argument("--size", type=int, required=True)
    prepare_step = sub.add_parser("prepare")
    prepare_step.add_argument("--ids", required=True)
    prepare_step.add_argument("--first-view-ids", required=True)
    inspect_step = sub.add_parser("inspect")
    inspect_step.add_argument("--ids", required=True)
    inspect_step.add_argument("-n", type=int, default=200)
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("-n", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--peer", metavar="DIR", help="also run django-helpdesk's harness in DIR")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON lines")
    parser.add_argument(
        "--pg-database",
        default=BENCH_DATABASE,
        help="PostgreSQL database to drop, create and load (so parallel runs do not collide)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep the tickets a previous run loaded into --pg-database (one size)",
    )
    args = parser.parse_args()
    if args.step == "load":
        return load(args.size)
    if args.step == "prepare":
        return prepare(args.ids, args.first_view_ids)
    if args.step == "inspect":
        return inspect(args.ids, args.n)
    databases = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    results = []
    with tempfile.TemporaryDirectory(prefix="mannerly-bench-inbox-") as workdir:
        for db in databases:
            for size in args.sizes:
                result = measure(
                    db, size, args.n, args.warmup, Path(workdir), args.pg_database, args.reuse
                )
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
    peer = run_peer(args.peer, args.sizes) if args.peer else []
    if args.json:
        with open(args.json, "a") as handle:
            for row in results + peer:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print_table(results, peer)


if __name__ == "__main__":
    main()
