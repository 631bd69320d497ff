"""The outbox across processes: workers killed in the send window, and two workers at once."""

import time
from email import message_from_bytes

import pytest
from mailhelpers import eml, open_tickets, queue_replies, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relay_env(external_db, smtp_sink):
    from django.conf import settings

    env = dict(external_db.env)
    env.update(
        MANNERLY_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MANNERLY_SMTP_HOST="127.0.0.1",
        MANNERLY_SMTP_PORT=str(settings.EMAIL_PORT),
    )
    external_db.env = env
    return external_db


def statuses(db) -> list[str]:
    return [row[0] for row in db.query("SELECT status FROM mail_outgoingmail ORDER BY id")]


def events(db, kind: str) -> int:
    return db.query(f"SELECT COUNT(*) FROM tickets_ticketevent WHERE kind = '{kind}'")[0][0]


def worker_once(db, failpoint: str = ""):
    process = db.start("worker", "--once", env={"MANNERLY_FAILPOINT": failpoint})
    process.wait(timeout=120)
    return process.returncode


def message_ids(sink) -> list[str]:
    return [message_from_bytes(r.data)["Message-ID"] for r in sink.received]


def test_crash_before_the_end_of_data_sends_exactly_once(relay_env, smtp_sink):
    queue_replies(relay_env.env, 1, eml())
    assert worker_once(relay_env, "before-final-dot") == -9
    assert statuses(relay_env) == ["sending"] and smtp_sink.received == []
    assert worker_once(relay_env) == 0
    assert statuses(relay_env) == ["sent"] and len(smtp_sink.received) == 1


def test_crash_after_acceptance_without_proof_resends_with_the_same_message_id(
    relay_env, smtp_sink
):
    queue_replies(relay_env.env, 1, eml())
    assert worker_once(relay_env, "after-accepted") == -9
    assert statuses(relay_env) == ["uncertain"] and len(smtp_sink.received) == 1
    assert worker_once(relay_env) == 0
    assert statuses(relay_env) == ["sent"]
    first, second = message_ids(smtp_sink)
    assert first == second  # at least once, recognisably the same message
    assert events(relay_env, "mail-resent") == 1


def test_crash_after_acceptance_with_our_copy_back_is_not_resent(relay_env, smtp_sink):
    queue_replies(relay_env.env, 1, eml())
    assert worker_once(relay_env, "after-accepted") == -9
    [copy] = smtp_sink.received
    done = relay_env.mannerly("ingest", "-", input=copy.data)  # e.g. a Bcc to our mailbox
    assert done.returncode == 0, done.stderr
    assert worker_once(relay_env) == 0
    assert statuses(relay_env) == ["sent"] and len(smtp_sink.received) == 1
    assert events(relay_env, "mail-resent") == 0


def test_two_workers_send_every_reply_exactly_once(relay_env, smtp_sink):
    queue_replies(relay_env.env, 30, eml())
    workers = [relay_env.start("worker", "--interval", "0.1") for _ in range(2)]
    try:
        wait_for(lambda: statuses(relay_env).count("sent") == 30, timeout=180)
        time.sleep(0.5)  # give a double send the chance to show
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    ids = message_ids(smtp_sink)
    assert len(ids) == 30 and len(set(ids)) == 30


@pytest.mark.postgres_only
def test_two_workers_acknowledge_each_new_ticket_exactly_once(relay_env, smtp_sink):
    count = 120  # more than one scanner batch and more than one outbox batch
    open_tickets(relay_env.env, count, eml())
    workers = [relay_env.start("worker", "--interval", "0.1") for _ in range(2)]
    try:
        wait_for(lambda: statuses(relay_env).count("sent") == count, timeout=240)
        time.sleep(0.5)  # give a double send the chance to show
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    mails = [message_from_bytes(r.data) for r in smtp_sink.received]
    assert len(mails) == count
    assert len({m["Message-ID"] for m in mails}) == count
    assert len({m["In-Reply-To"] for m in mails}) == count  # one acknowledgement per ticket
    assert all(m["Auto-Submitted"] == "auto-replied" for m in mails)
    acks = relay_env.query("SELECT state, COUNT(*) FROM sla_autoacknowledgement GROUP BY state")
    assert acks == [("queued", count)]
