"""The ``mannerly worker`` loop: a bug in one kind of work does not stop the others, a database
error backs off instead of crashing, SIGTERM stops it cleanly, and two workers on one SQLite
file take turns without doing anything twice."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import OperationalError, connection

from mannerly.worker import Worker
from tests.sla.workerprocs import REPO, WorkerProcess, wait_for


def test_a_bug_in_one_kind_of_work_does_not_stop_the_others(db, caplog):
    calls = []

    def broken():
        raise ValueError("a bug")

    def healthy():
        calls.append("ran")
        return 0

    worker = Worker(interval=0.01)
    worker.handlers = [broken, healthy]
    worker.run(once=True)
    assert calls == ["ran"]
    assert "broken failed" in caplog.text and "ValueError: a bug" in caplog.text


def test_a_failing_kind_of_work_rests_longer_each_time_while_the_others_keep_going(db):
    calls = []

    def broken():
        calls.append("broken")
        raise KeyError("bug")

    def healthy():
        calls.append("healthy")
        return 0

    worker = Worker(interval=1.0)
    worker.handlers = [broken, healthy]
    worker.run(once=True)
    assert worker.ready_handlers() == [healthy]
    worker.run(once=True)
    assert calls == ["broken", "healthy", "healthy"]
    first_pause = worker.resting[broken][1]
    worker.resting[broken] = (0.0, first_pause)  # its pause is over: it runs and fails again
    worker.run(once=True)
    assert worker.resting[broken][1] == 2 * first_pause


@pytest.mark.django_db(transaction=True)
def test_database_errors_back_off_then_the_worker_carries_on(caplog):
    """(Outside a test transaction: the worker drops and reopens its connection.)"""
    attempts = []

    def flaky():
        attempts.append(time.monotonic())
        if len(attempts) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        with connection.cursor() as cursor:  # the connection works again afterwards
            cursor.execute("SELECT 1")
        return 0

    worker = Worker(interval=0.05)
    worker.handlers = [flaky]
    worker.run(once=True)
    assert len(attempts) == 3 and worker.outages == 2
    first_wait, second_wait = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert first_wait >= 0.05 * 0.8 and second_wait >= 0.1 * 0.8  # growing pauses
    assert caplog.text.count("database unavailable") == 2
    assert "database available again" in caplog.text


def run_mannerly(data_dir, *args, code: str = "") -> str:
    env = {"MANNERLY_DATA": str(data_dir), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "mannerly", *args]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


SEED = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "mannerly.settings"
import django
django.setup()
sys.path.insert(0, "tests/sla")
from workerprocs import seed_overdue_tickets
from mannerly.accounts.models import Team, User
from mannerly.tickets.models import Customer
team, _ = Team.objects.get_or_create(name="Support")
agent, _ = User.objects.get_or_create(username="oleh", defaults={"role": "agent"})
boss, _ = User.objects.get_or_create(username="sofia", defaults={"role": "supervisor"})
team.members.add(agent, boss)
customer = Customer.objects.create(name="Anna Smith")
print(json.dumps(seed_overdue_tickets(%d, customer=customer, team=team, assignee=agent)))
"""


@pytest.fixture
def sqlite_desk(tmp_path):
    """A data folder with a migrated SQLite database of its own, as ``mannerly demo`` makes."""
    folder = tmp_path / "desk"
    folder.mkdir()
    run_mannerly(folder, "migrate")
    return folder


def per_ticket(database, sql: str) -> dict[int, int]:
    with sqlite3.connect(database) as db:
        return dict(db.execute(sql).fetchall())


def test_two_workers_on_one_sqlite_file_take_turns_and_do_each_job_once(sqlite_desk):
    database = sqlite_desk / "mannerly.sqlite3"
    jobs = json.loads(run_mannerly(sqlite_desk, code=SEED % 200))
    a = WorkerProcess(sqlite_desk, "sqlite-a", interval=0.05)
    b = WorkerProcess(sqlite_desk, "sqlite-b", interval=0.05)
    try:
        wait_for(
            lambda: len(per_ticket(database, BREACHES)) >= len(jobs),
            timeout=240,
            what="both workers to finish",
        )
    finally:
        codes = (a.stop(), b.stop())
    assert codes == (0, 0)
    once = dict.fromkeys(jobs, 1)
    assert per_ticket(database, BREACHES) == once
    assert per_ticket(database, BREACH_EVENTS) == once
    assert per_ticket(database, NOTIFICATIONS) == dict.fromkeys(jobs, 2)
    assert "Traceback" not in a.output() + b.output()
    assert "database is locked" not in a.output() + b.output()


BREACHES = "SELECT ticket_id, count(*) FROM sla_slaaction WHERE kind = 'breach' GROUP BY 1"
BREACH_EVENTS = (
    "SELECT ticket_id, count(*) FROM tickets_ticketevent WHERE kind = 'sla-breach' GROUP BY 1"
)
NOTIFICATIONS = "SELECT ticket_id, count(*) FROM sla_notification GROUP BY 1"


def test_sigterm_stops_the_worker_cleanly(sqlite_desk):
    worker = WorkerProcess(sqlite_desk, "sigterm", interval=0.05, log_level="INFO")
    wait_for(lambda: " started" in worker.output(), what="the worker to start")
    started = time.monotonic()
    assert worker.stop(timeout=10) == 0
    assert time.monotonic() - started < 5
