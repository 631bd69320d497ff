"""Tickets in four languages for the coaching tests, opened through the actions."""

import pytest
from django.test import Client

from mannerly.tickets import actions
from tests.conftest import PASSWORD

UK_MESSAGE = (
    "Ви що, знущаєтесь?! Це вже третій раз я пишу, і ніхто не відповідає! Ваш сервіс жахливий. "
    "Коли ви нарешті повернете мої гроші? І чому мій акаунт досі заблоковано?"
)
UK_GOOD_REPLY = (
    "Добрий день, Олено!\n\nВибачте, будь ласка, за незручності та довге очікування. "
    "Дякуємо за терпіння. Гроші повернемо на вашу картку до п'ятниці. Акаунт заблокувала "
    "автоматична перевірка платежу, і сьогодні ми його розблокували.\n\nOleh Kovalenko"
)


@pytest.fixture
def english_staff(oleh, mei, sofia):
    """The cast works in English here, so assertions read the English labels."""
    for user in (oleh, mei, sofia):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def uk_ticket(olena, team, english_staff):
    return actions.do_open_ticket(
        olena, "Гроші досі не повернули", UK_MESSAGE, team=team, language="uk"
    )


@pytest.fixture
def anna_ticket(anna, team, english_staff):
    return actions.do_open_ticket(
        anna,
        "Charged twice",
        "Hello, I was charged twice this month. Can you refund the second charge?",
        team=team,
    )


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def as_oleh(oleh):
    return signed_in(oleh)


@pytest.fixture
def as_sofia(sofia):
    return signed_in(sofia)
