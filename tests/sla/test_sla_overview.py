"""The service-level page: supervisors see the desk, agents their own tickets, customers nothing;
a fixed number of queries however many tickets."""

import pytest
from django.urls import reverse
from slahelp import open_ticket

from mannerly.accounts.models import Team
from mannerly.sla.scanner import scan_due
from mannerly.tickets import actions
from tests.conftest import PASSWORD, make_user

URL = reverse("sla:overview")


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def desk(clock, anna, olena, team, oleh, mei, sofia):
    """Oleh has an overdue ticket and one at risk, Mei one on track; one breach happened today."""
    clock.at(2026, 6, 1, 8)
    overdue = open_ticket(anna, team, subject="Overdue refund")
    actions.do_assign(overdue, sofia, oleh)
    clock.at(2026, 6, 1, 9, 30)
    at_risk = open_ticket(olena, team, subject="Рахунок-фактура")
    actions.do_assign(at_risk, sofia, oleh)
    clock.at(2026, 6, 1, 10, 30)
    on_track = open_ticket(anna, team, subject="Mei's question")
    actions.do_assign(on_track, sofia, mei)
    clock.at(2026, 6, 1, 10, 45)
    scan_due()  # acknowledgements and the breach of "Overdue refund" (due 10:00)
    return {"overdue": overdue, "at_risk": at_risk, "on_track": on_track}


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_customer_gets_not_found(client, anna):
    assert signed_in(client, anna.user).get(URL).status_code == 404


def test_supervisor_sees_deadlines_breaches_teams_and_agents_in_order(client, desk, sofia):
    page = signed_in(client, sofia).get(URL).content.decode()
    assert page.index("Overdue refund") < page.index("Рахунок-фактура") < page.index("Mei&#x27;s")
    assert "overdue" in page
    assert "Missed today: 1" in page
    assert "Per team" in page and "Per agent" in page
    assert "Oleh Kovalenko" in page and "Mei Lin" in page


def test_admin_sees_the_whole_desk(client, desk, admin_user):
    page = signed_in(client, admin_user).get(URL).content.decode()
    assert "Mei&#x27;s question" in page and "Per agent" in page


def test_agent_sees_only_their_own_tickets_and_no_colleague_figures(client, desk, mei):
    page = signed_in(client, mei).get(URL).content.decode()
    assert "Mei&#x27;s question" in page
    assert "Overdue refund" not in page and "Рахунок-фактура" not in page
    assert "Per agent" not in page and "Per team" not in page
    assert "Missed today: 0" in page


def test_agent_sees_their_own_breach(client, desk, oleh):
    page = signed_in(client, oleh).get(URL).content.decode()
    assert "Overdue refund" in page and "Missed today: 1" in page


def test_times_are_shown_in_the_viewers_zone(client, desk, sofia):
    sofia.time_zone = "Asia/Shanghai"
    sofia.save()
    page = signed_in(client, sofia).get(URL).content.decode()
    assert "Asia/Shanghai" in page
    assert "Mon 1 Jun, 18:00" in page  # "Overdue refund" was due 10:00 UTC


def test_page_runs_a_fixed_number_of_queries(
    client, clock, desk, sofia, anna, olena, oleh, mei, django_assert_max_num_queries
):
    signed_in(client, sofia)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    other = Team.objects.create(name="Second line")
    for n in range(25):
        agent = make_user(f"agent{n}", f"Agent {n}", "agent")
        ticket = open_ticket(anna if n % 2 else olena, other if n % 3 else None, subject=f"T{n}")
        actions.do_assign(ticket, sofia, agent)
    clock.at(2026, 6, 1, 13)
    scan_due(limit=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert "T24" in response.content.decode()
