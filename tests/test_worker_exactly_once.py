"""Two real ``mannerly worker`` processes on PostgreSQL share 1,000 due jobs: each job's effect
happens exactly once, also when one worker is killed with SIGKILL in the middle of a job."""

import psycopg
import pytest
from django.db import connection
from django.db.models import Count

from mannerly.sla.models import SlaAction
from tests.sla.workerprocs import (
    WorkerProcess,
    assert_each_effect_once,
    backends,
    breaches_done,
    postgres_url,
    seed_overdue_tickets,
    wait_for,
)

JOBS = 1000

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def workers(data_dir):
    started: list[WorkerProcess] = []

    def start(name: str) -> WorkerProcess:
        worker = WorkerProcess(data_dir, name, database_url=postgres_url(application_name=name))
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.alive:
            worker.stop()


def both_connected(*names):
    return lambda: all(backends(name) for name in names)


def test_two_workers_do_each_of_1000_jobs_once(workers, anna, team, oleh, sofia):
    a, b = workers("exactly-once-a"), workers("exactly-once-b")
    wait_for(both_connected(a.name, b.name), what="both workers to connect")
    jobs = seed_overdue_tickets(JOBS, customer=anna, team=team, assignee=oleh)
    wait_for(lambda: breaches_done() >= JOBS, timeout=240, what="all jobs to be done")
    assert a.stop() == 0 and b.stop() == 0
    assert_each_effect_once(jobs)
    shares = dict(SlaAction.objects.values_list("worker").annotate(n=Count("pk")))
    assert set(shares) == {a.worker_id, b.worker_id}, shares  # both took part
    assert "Traceback" not in a.output() + b.output()


def test_job_of_a_worker_killed_midway_is_redone_once_by_the_other(
    workers, anna, team, oleh, sofia
):
    a, b = workers("killed-a"), workers("survivor-b")
    wait_for(both_connected(a.name, b.name), what="both workers to connect")
    # Hold the notification table so both workers stop inside a job: their breach records and
    # events are written but not committed when the first one is killed.
    settings = connection.settings_dict
    gate = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"]
    )
    gate.execute("LOCK TABLE sla_notification IN EXCLUSIVE MODE")
    try:
        jobs = seed_overdue_tickets(JOBS, customer=anna, team=team, assignee=oleh)
        wait_for(
            lambda: (
                backends(a.name, waiting_on_lock=True) and backends(b.name, waiting_on_lock=True)
            ),
            what="both workers to be in the middle of a job",
        )
        a.kill()
    finally:
        gate.rollback()
        gate.close()
    wait_for(lambda: breaches_done() >= JOBS, timeout=240, what="the survivor to finish")
    assert b.stop() == 0
    assert_each_effect_once(jobs)
    # Nothing the killed worker started survived: every effect is the survivor's.
    assert set(SlaAction.objects.values_list("worker", flat=True)) == {b.worker_id}
