#!/usr/bin/env python3
"""Mail ingestion benchmark: messages per second, thread accuracy and re-run duplicates.

    uv run python bench/mail_ingest.py                      # 2,000 and 20,000 on SQLite (+ PG)
    uv run python bench/mail_ingest.py --sizes 2000 --peer  # and django-helpdesk, same sitting

Corpora come from ../shared/bench/gen_corpus.py (seed 1). Each run uses a fresh database:
SQLite in a temporary data folder, or, when DATABASE_URL is set, a PostgreSQL database named
after it with "_bench" appended (dropped and created here). Measured:

* ``ingest``: one `mannerly ingest FOLDER` process, wall time including start-up.
* ``rerun``: the same folder again; every message must come back as a duplicate.
* ``workers N`` (PostgreSQL): the raw messages stored first (`ingest --store-only`), then N
  `mannerly mail process` processes at once; time of the processing phase only.

CPU per message is reported beside wall time: user + system seconds of the Mannerly processes
(``cpu ms/msg``) and, on PostgreSQL, of the database backends serving the run (read from /proc).
On a shared 2-core machine wall time grows with other people's work; CPU per message does not,
and it tells whether two workers cost more per message than one (contention) or only had no
free core to run on. ``--no-ingest`` skips the one-process ingest to time the worker phase alone.

Thread accuracy is checked against the corpus manifest: a message is right when it sits on the
ticket of its thread's first message (auto-replies as kind auto-reply), and each thread has
exactly one ticket. The machine is shared: compare ratios from one sitting, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
CORPORA = Path(tempfile.gettempdir()) / "mannerly-bench"

CHECK = r"""
import collections, json, sys, django
django.setup()
from mannerly.tickets.models import Message, Ticket
manifest = [json.loads(line) for line in open(sys.argv[1])]
where = {}
for mid, ticket, kind in Message.objects.values_list("message_id", "ticket_id", "kind"):
    where.setdefault(mid, []).append((ticket, kind))
right = wrong = missing = twice = 0
per_kind = collections.Counter(); per_kind_ok = collections.Counter()
for m in manifest:
    found = where.get(m["message_id"], [])
    if not found:
        missing += 1; continue
    if len(found) > 1:
        twice += 1
    ticket, kind = found[0]
    root = where.get(m["thread"], [(None, None)])[0][0]
    ok = ticket == root and (kind == "auto-reply") == (m["kind"] == "autoreply")
    per_kind[m["kind"]] += 1; per_kind_ok[m["kind"]] += ok
    right += ok; wrong += not ok
threads = len({m["thread"] for m in manifest})
subjects = dict(Ticket.objects.values_list("id", "subject"))
subject_ok = sum(1 for m in manifest if m["kind"] == "new" and where.get(m["message_id"])
                 and subjects.get(where[m["message_id"]][0][0]) == m["subject"])
print(json.dumps({"right": right, "wrong": wrong, "missing": missing, "twice": twice,
                  "tickets": Ticket.objects.count(), "threads": threads,
                  "subjects_exact": subject_ok,
                  "by_kind": {k: f"{per_kind_ok[k]}/{v}" for k, v in per_kind.items()}}))
"""


def corpus(size: int) -> Path:
    folder = CORPORA / f"corpus-{size}"
    if not folder.exists():  # generated aside and renamed: an interrupted run leaves no half
        partial = CORPORA / f"corpus-{size}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "gen_corpus.py"),
                str(partial),
                "-n",
                str(size),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        partial.rename(folder)
    return folder


class Database:
    """A fresh database for one run."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.data = Path(tempfile.mkdtemp(prefix="mannerly-bench-data-"))
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env["MANNERLY_DATA"] = str(self.data)
        self.env["DJANGO_SETTINGS_MODULE"] = "mannerly.settings"
        if kind == "postgres":
            import psycopg

            base = os.environ["DATABASE_URL"]
            name = base.rsplit("/", 1)[1] + "_bench"
            with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                db.execute(f'CREATE DATABASE "{name}"')
            self.env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
        self.database = name if kind == "postgres" else None
        self.mannerly("migrate")
        self.mannerly("mail", "mailbox", "add", "support@example.com", "--name", "Support")

    def mannerly(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "mannerly", *args],
            env=self.env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if done.returncode != 0:
            raise SystemExit(f"mannerly {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def timed(self, *args: str) -> tuple[float, float, str]:
        """Wall seconds, CPU seconds of the process (user + system) and its output."""
        start, cpu = time.perf_counter(), children_cpu()
        with ServerCpu(self.database) as server:
            out = self.mannerly(*args)
        self.server_cpu = server.seconds
        return time.perf_counter() - start, children_cpu() - cpu, out

    def check(self, manifest: Path) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", CHECK, str(manifest)],
            env=self.env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        return json.loads(done.stdout)

    def close(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes: on a shared machine this, unlike
    wall time, does not grow when other work takes the cores (PostgreSQL's own is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving one database, read from /proc while they
    run (their process title names the database); the last moment of each is missed."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ServerCpu:
        if self.database:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())

    def _watch(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        wanted = f" {self.database} ".encode()
        while not self.stop.wait(0.1):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    title = Path(f"/proc/{pid}/cmdline").read_bytes()
                    if not title.startswith(b"postgres:") or wanted not in title:
                        continue
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[int(pid)] = (int(fields[11]) + int(fields[12])) / ticks


def summary_counts(line: str) -> dict[str, int]:
    counts = {}
    for part in line.strip().split(": ", 1)[1].split(", "):
        number, action = part.split(" ", 1)
        counts[action] = int(number)
    return counts


def run_ingest(kind: str, size: int) -> dict:
    folder = corpus(size)
    db = Database(kind)
    try:
        seconds, cpu, out = db.timed("ingest", str(folder))
        counts = summary_counts(out.strip().splitlines()[-1])
        accuracy = db.check(folder / "manifest.jsonl")
        rerun_seconds, _cpu, rerun_out = db.timed("ingest", str(folder))
        rerun = summary_counts(rerun_out.strip().splitlines()[-1])
        after = db.check(folder / "manifest.jsonl")
    finally:
        db.close()
    return {
        "db": kind,
        "size": size,
        "mode": "ingest (1 process)",
        "seconds": seconds,
        "per_s": size / seconds,
        "cpu_ms_per_msg": cpu * 1000 / size,
        "server_cpu_ms_per_msg": db.server_cpu * 1000 / size if db.database else None,
        "counts": counts,
        "accuracy": accuracy,
        "rerun_seconds": rerun_seconds,
        "rerun_duplicates": rerun.get("duplicate", 0),
        "rerun_changed_tickets": after["tickets"] != accuracy["tickets"] or after["twice"] > 0,
    }


def run_workers(kind: str, size: int, workers: int) -> dict:
    folder = corpus(size)
    db = Database(kind)
    try:
        db.mannerly("ingest", "--store-only", str(folder))
        start, cpu = time.perf_counter(), children_cpu()
        server = ServerCpu(db.database).__enter__()
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "mannerly", "mail", "process"],
                env=db.env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(workers)
        ]
        for process in processes:
            _out, err = process.communicate()
            if process.returncode != 0:
                raise SystemExit(f"mail process failed: {err.decode()[-2000:]}")
        seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
        server.__exit__()
        accuracy = db.check(folder / "manifest.jsonl")
    finally:
        db.close()
    return {
        "db": kind,
        "size": size,
        "mode": f"process ({workers} workers)",
        "seconds": seconds,
        "per_s": size / seconds,
        "cpu_ms_per_msg": cpu * 1000 / size,
        "server_cpu_ms_per_msg": server.seconds * 1000 / size,
        "accuracy": accuracy,
    }


def run_peer(size: int, db: str) -> dict | None:
    peer = SHARED / "peer-django-helpdesk"
    target = Path("/tmp/peer-dh")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["DB"] = db  # SQLite by default: the peer's PostgreSQL database name is shared
    setup = subprocess.run(
        ["bash", str(peer / "setup_peer.sh"), str(target)], env=env, capture_output=True, text=True
    )
    if setup.returncode != 0:
        print(f"peer setup failed: {setup.stderr[-1000:]}", file=sys.stderr)
        return None
    done = subprocess.run(
        ["bash", str(peer / "bench_ingest.sh"), str(target), str(size)],
        env=env,
        capture_output=True,
        text=True,
    )
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {r["label"]: r for r in results} or None


def median_of(runs: list[dict]) -> dict:
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {
        **best,
        "per_s": statistics.median(r["per_s"] for r in runs),
        "cpu_ms_per_msg": statistics.median(r["cpu_ms_per_msg"] for r in runs),
        "server_cpu_ms_per_msg": best.get("server_cpu_ms_per_msg"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=None)
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell (median shown)")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="worker processes for the PostgreSQL processing phase",
    )
    parser.add_argument(
        "--no-ingest",
        action="store_true",
        help="skip the one-process ingest (and re-run); only the PostgreSQL worker phase",
    )
    parser.add_argument("--peer", action="store_true", help="also run django-helpdesk (2,000)")
    parser.add_argument("--peer-db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    kinds = args.db or (["sqlite", "postgres"] if os.environ.get("DATABASE_URL") else ["sqlite"])
    print(f"load average at start: {os.getloadavg()}", flush=True)
    rows = []
    for size in args.sizes:
        for kind in kinds:
            if not args.no_ingest:
                rows.append(median_of([run_ingest(kind, size) for _ in range(args.repeat)]))
                print(json.dumps(rows[-1]), flush=True)
            if kind == "postgres":
                for workers in args.workers:
                    runs = [run_workers(kind, size, workers) for _ in range(args.repeat)]
                    rows.append(median_of(runs))
                    print(json.dumps(rows[-1]), flush=True)
    peer = run_peer(2000, args.peer_db) if args.peer else None
    print(f"load average at end: {os.getloadavg()}\n")
    print(
        f"{'db':<9} {'msgs':>6}  {'mode':<22} {'s':>7} {'msgs/s':>7} {'cpu ms/msg':>10}"
        "  threads right  tickets  re-run duplicates"
    )
    for r in rows:
        acc = r["accuracy"]
        total = acc["right"] + acc["wrong"] + acc["missing"]
        rerun = f"{r['rerun_duplicates']}/{r['size']}" if "rerun_duplicates" in r else "-"
        print(
            f"{r['db']:<9} {r['size']:>6}  {r['mode']:<22} {r['seconds']:>7.1f} "
            f"{r['per_s']:>7.1f} {r['cpu_ms_per_msg']:>10.2f}  {acc['right']:>5}/{total:<6} {acc['tickets']:>5}/"
            f"{acc['threads']:<5} {rerun}"
        )
    scaling = {(r["db"], r["size"]): r["per_s"] for r in rows if r["mode"].startswith("process (1")}
    for r in rows:
        if r["mode"].startswith("process (2"):
            one = scaling.get((r["db"], r["size"]))
            if one:
                print(f"two workers / one worker ({r['db']}, {r['size']}): {r['per_s'] / one:.2f}x")
    for r in rows:
        if r.get("server_cpu_ms_per_msg") is not None:
            print(
                f"CPU per message, {r['db']} {r['size']} {r['mode']}: Mannerly "
                f"{r['cpu_ms_per_msg']:.2f} ms + PostgreSQL {r['server_cpu_ms_per_msg']:.2f} ms"
            )
    if peer and "oneshot" in peer:
        ours = next(
            (
                r
                for r in rows
                if r["size"] == 2000
                and r["mode"].startswith("ingest")
                and r["db"] == peer["oneshot"]["db"].replace("sqlite3", "sqlite")
            ),
            None,
        )
        print(
            f"peer django-helpdesk one-shot ({peer['oneshot']['db']}): "
            f"{peer['oneshot']['msgs_per_s']} msgs/s, tickets {peer['oneshot']['tickets']}, "
            f"re-run tickets {peer.get('rerun', {}).get('tickets')}"
        )
        if ours:
            print(
                f"Mannerly / peer (2,000, same sitting): {ours['per_s'] / peer['oneshot']['msgs_per_s']:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
