"""The whole path: a new ticket, the worker's acknowledgement, the outbox, a real SMTP server."""

import email
from email import policy

import pytest
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
    """Queued and sent in the worker's batches: desk settings are read once per batch, the
    mail is built when queued, and sending a built message is its claim, two commits around
    the end of data and nothing else."""
    clock.at(2026, 6, 1, 10)
    customers = [anna, wang_fang, olena, andrey]
    for n, customer in enumerate(customers):
        open_ticket(customer, team, message_id=f"<q{n}@example.com>", from_email=f"c{n}@ex.com")
    clock.at(2026, 6, 1, 10, 0, 30)
    with django_assert_max_num_queries(15 + 22 * len(customers)):
        assert scan_due() == len(customers)
    with django_assert_max_num_queries(6 + 4 * len(customers)):
        assert outbox.send_due_mail() == len(customers)
    assert len(smtp.received) == len(customers)
