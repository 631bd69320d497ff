"""A worker outlives its database: its connection terminated mid-job, or the server's port closed
at start and opened later. It backs off, reconnects and does every job once; it never exits."""

import psycopg
import pytest
from django.db import connection

from tests.sla.workerprocs import (
    TcpProxy,
    WorkerProcess,
    assert_each_effect_once,
    backends,
    breaches_done,
    free_port,
    postgres_url,
    seed_overdue_tickets,
    wait_for,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(data_dir):
    started = []

    def start(name, **kwargs):
        process = WorkerProcess(data_dir, name, **kwargs)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.alive:
            process.stop()


def terminate(pids):
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_worker_whose_connection_is_terminated_mid_job_reconnects_and_redoes_it_once(
    worker, anna, team, oleh, sofia
):
    name = "outage-terminated"
    w = worker(name, database_url=postgres_url(application_name=name))
    wait_for(lambda: backends(name), what="the worker to connect")
    settings = connection.settings_dict
    gate = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"]
    )
    gate.execute("LOCK TABLE sla_notification IN EXCLUSIVE MODE")
    try:
        jobs = seed_overdue_tickets(120, customer=anna, team=team, assignee=oleh)
        stuck = wait_for(
            lambda: backends(name, waiting_on_lock=True), what="the worker to be inside a job"
        )
        terminate(stuck)  # what a database restart or a failover does to the session
        wait_for(lambda: "database unavailable" in w.output(), what="the worker to notice")
    finally:
        gate.rollback()
        gate.close()
    wait_for(lambda: breaches_done() >= len(jobs), what="the jobs to be redone")
    assert w.alive
    new = wait_for(lambda: backends(name), what="the worker's new connection")
    assert set(new).isdisjoint(stuck)
    # Terminate it again while idle: the next pass simply reconnects.
    terminate(new)
    more = seed_overdue_tickets(30, customer=anna, team=team, assignee=oleh)
    wait_for(lambda: breaches_done() >= len(jobs) + len(more), what="work after the second cut")
    assert w.stop() == 0
    assert_each_effect_once(jobs + more)
    assert "Traceback" not in w.output()


def test_worker_started_while_the_database_port_is_closed_waits_and_then_works(
    worker, anna, team, oleh, sofia
):
    port = free_port()
    name = "outage-closed-port"
    w = worker(name, database_url=postgres_url(port=port, application_name=name))
    wait_for(
        lambda: w.output().count("database unavailable") >= 3, what="the worker to retry a while"
    )
    assert w.alive
    retries = w.output().count("database unavailable")
    settings = connection.settings_dict
    proxy = TcpProxy(port, (settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    try:
        jobs = seed_overdue_tickets(40, customer=anna, team=team, assignee=oleh)
        wait_for(lambda: breaches_done() >= len(jobs), what="the worker to do the jobs")
        wait_for(lambda: "database available again" in w.output(), what="the worker to say so")
        # It backed off instead of spinning: far fewer attempts than 0.2 s polls would make.
        assert retries < 20
        assert w.stop() == 0
    finally:
        w.stop()
        proxy.close()
    assert_each_effect_once(jobs)
