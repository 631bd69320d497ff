"""The whole path: a new ticket, the worker's acknowledgement, the outbox, a real SMTP server."""

import email
from email import policy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from slahelp import LoopbackSmtp, open_ticket

from mannerly.sla.models import AutoAcknowledgement
from mannerly.sla.scanner import scan_due
from mannerly.tickets.models import Message

outbox = pytest.importorskip(
    "mannerly.mail.outbox", reason="the mail channel's outbox is not on this branch yet"
)


@pytest.fixture
def smtp(settings):
    server = LoopbackSmtp().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def deliver(smtp) -> list[email.message.EmailMessage]:
    while outbox.send_due_mail():
        pass
    return [email.message_from_bytes(e.content, policy=policy.default) for e in smtp.received]


def test_acknowledgement_reaches_the_customer_over_smtp(clock, smtp, olena, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(
        olena,
        team,
        subject="Рахунок",
        body="Де мій рахунок?",
        message_id="<q1@example.ua>",
        from_email="olena@example.ua",
    )
    clock.at(2026, 6, 1, 10, 0, 30)
    scan_due()
    [mail] = deliver(smtp)
    assert smtp.received[0].rcpt_tos == ["olena@example.ua"]
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == "<q1@example.ua>"
    assert "Рахунок" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Вітаємо, Олена Коваль!")
    assert f"#{ticket.pk}" in body
    assert "сьогодні до 15:00 за вашим часом" in body  # 12:00 UTC in Kyiv (summer time)
    assert AutoAcknowledgement.objects.get(ticket=ticket).state == "queued"


def test_outbox_refusal_leaves_no_unsent_message_and_says_why(clock, smtp, anna, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team, from_email="mailer-daemon@example.com")
    clock.at(2026, 6, 1, 10, 0, 30)
    scan_due()
    assert deliver(smtp) == []
    guard = AutoAcknowledgement.objects.get(ticket=ticket)
    assert guard.state == "refused" and guard.message is None
    assert "machine address" in guard.reason
    assert not ticket.messages.filter(direction=Message.Direction.OUT).exists()


def test_acknowledgement_is_never_sent_twice(clock, smtp, anna, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team, from_email="anna@example.com")
    clock.at(2026, 6, 1, 10, 0, 30)
    scan_due()
    scan_due()
    assert len(deliver(smtp)) == 1
    clock.at(2026, 6, 1, 10, 5)
    scan_due()
    assert deliver(smtp) and len(smtp.received) == 1
    assert ticket.messages.filter(kind=Message.Kind.AUTO_REPLY).count() == 1


def test_acknowledgements_cost_a_fixed_number_of_queries_each(
    clock, smtp, anna, wang_fang, olena, andrey, team, django_assert_max_num_queries
):
    """Queued and sent in the worker's batches: desk settings and threads are read once per
    batch, the mail is built when queued and written with the batch, and sending a built message
    is its start (on PostgreSQL a transaction that does not wait for the disk: BEGIN, SET LOCAL,
    UPDATE, COMMIT), two commits around the end of data and nothing else."""
    clock.at(2026, 6, 1, 10)
    customers = [anna, wang_fang, olena, andrey]
    for n, customer in enumerate(customers):
        open_ticket(customer, team, message_id=f"<q{n}@example.com>", from_email=f"c{n}@ex.com")
    clock.at(2026, 6, 1, 10, 0, 30)
    with django_assert_max_num_queries(28 + 2 * len(customers)):
        assert scan_due() == len(customers)
    with django_assert_max_num_queries(8 + 6 * len(customers)):
        assert outbox.send_due_mail() == len(customers)
    assert len(smtp.received) == len(customers)


def queries_to_acknowledge(clock, smtp, customers, team, count: int) -> tuple[int, int]:
    """Open ``count`` tickets, then acknowledge them in one scanner batch and send them in one
    outbox batch: the queries each took."""
    for n in range(count):
        customer = customers[n % len(customers)]
        open_ticket(customer, team, message_id=f"<b{count}-{n}@example.com>")
    clock.at(2026, 6, 1, 10, 0, 30)
    with CaptureQueriesContext(connection) as queued:
        assert scan_due() == count
    with CaptureQueriesContext(connection) as sent:
        assert outbox.send_due_mail() == count
    return len(queued), len(sent)


def test_queries_per_acknowledgement_do_not_grow_with_the_batch(
    clock, smtp, anna, wang_fang, olena, andrey, team
):
    """A batch of 8 costs what a batch of 2 does plus a fixed number of queries per extra
    acknowledgement (its savepoint; its sending), never a per-ticket read of what the batch
    shares or a per-ticket write of what it writes together."""
    customers = [anna, wang_fang, olena, andrey]
    clock.at(2026, 6, 1, 10)
    queued_2, sent_2 = queries_to_acknowledge(clock, smtp, customers, team, 2)
    clock.at(2026, 6, 1, 10)
    queued_8, sent_8 = queries_to_acknowledge(clock, smtp, customers, team, 8)
    assert len(smtp.received) == 10
    assert (queued_8 - queued_2) / 6 <= 2  # the savepoint around each ticket
    assert (sent_8 - sent_2) / 6 <= 6  # its start (up to 4), end of data, sent
    assert queued_8 / 8 < queued_2 / 2 and sent_8 / 8 < sent_2 / 2
