import pytest
from django.urls import reverse

from mannerly.tickets import actions
from tests.conftest import PASSWORD


@pytest.fixture
def ticket(anna, team):
    return actions.do_open_ticket(
        anna, "Charged twice", "Please refund the second charge.", team=team
    )


def test_inbox_and_ticket_page_render_for_an_agent(client, oleh, ticket):
    client.login(username="oleh", password=PASSWORD)
    inbox = client.get(reverse("tickets:inbox"))
    assert inbox.status_code == 200
    assert "Charged twice" in inbox.content.decode()
    page = client.get(reverse("tickets:ticket", args=[ticket.pk]))
    assert page.status_code == 200
    assert "Please refund the second charge." in page.content.decode()


def test_portal_pages_render_for_the_customer(client, anna, ticket):
    client.login(username="anna", password=PASSWORD)
    assert client.get(reverse("portal:tickets")).status_code == 200
    page = client.get(reverse("portal:ticket", args=[ticket.pk]))
    assert page.status_code == 200
    assert "Please refund the second charge." in page.content.decode()
