"""Each person sees the desk or the portal in their own language; what people wrote stays as is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mannerly.tickets import actions
from tests.conftest import PASSWORD

# Interface language, then the words for "Inbox", "Conversation" and "Add an internal note".
AGENT_LANGUAGES = [
    ("uk", "Вхідні", "Листування", "Додати внутрішню нотатку"),
    ("zh-hans", "收件箱", "对话", "添加内部备注"),
    ("ru", "Входящие", "Переписка", "Добавить внутреннюю заметку"),
]


@pytest.fixture
def ticket(anna, team):
    return actions.do_open_ticket(
        anna, "Charged twice", "Please refund the second charge.", team=team
    )


def sign_in(client, user, language=None):
    if language:
        user.language = language
        user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(("language", "inbox", "conversation", "add_note"), AGENT_LANGUAGES)
def test_an_agent_sees_the_inbox_and_ticket_in_their_language(
    client, oleh, ticket, language, inbox, conversation, add_note
):
    sign_in(client, oleh, language)
    page = client.get(reverse("tickets:inbox"))
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert inbox in html and ">Inbox<" not in html and "Sign out" not in html
    assert "Charged twice" in html  # the customer's subject is data, never translated

    html = client.get(reverse("tickets:ticket", args=[ticket.pk])).content.decode()
    assert conversation in html and ">Conversation<" not in html
    assert add_note in html and "Add an internal note" not in html
    assert "Please refund the second charge." in html


def test_an_agent_who_keeps_the_default_reads_english(client, sofia, ticket):
    html = sign_in(client, sofia).get(reverse("tickets:inbox")).content.decode()
    assert ">Inbox<" in html and "Sign out" in html and "Вхідні" not in html


@pytest.mark.parametrize(
    ("customer", "my_requests", "send_reply"),
    [
        ("olena", "Мої звернення", "Надіслати відповідь"),
        ("andrey", "Мои обращения", "Отправить ответ"),
        # Customers' logins carry the ticket-style code "zh"; the portal speaks zh-hans.
        ("wang_fang", "我的请求", "发送回复"),
    ],
)
def test_a_customer_sees_the_portal_in_their_language(
    client, request, team, customer, my_requests, send_reply
):
    person = request.getfixturevalue(customer)
    mine = actions.do_open_ticket(person, "Subject 42", "My words stay mine.", team=team)
    sign_in(client, person.user)
    html = client.get(reverse("portal:tickets")).content.decode()
    assert my_requests in html and "My requests" not in html and "Subject 42" in html
    html = client.get(reverse("portal:ticket", args=[mine.pk])).content.decode()
    assert send_reply in html and "Send reply" not in html and "My words stay mine." in html


def test_the_sign_in_page_offers_every_language_and_switches(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    for name in ("English", "简体中文", "Українська", "Русский"):
        assert name in page
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "uk", "next": login})
    assert response.status_code == 302 and response["Location"] == login
    html = client.get(login).content.decode()
    assert '<html lang="uk">' in html and "Увійти" in html and "Sign in to Mannerly" not in html


def test_a_signed_in_users_own_language_wins_over_the_cookie(client, sofia):
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    html = sign_in(client, sofia).get(reverse("tickets:inbox")).content.decode()
    assert ">Inbox<" in html and "Входящие" not in html
