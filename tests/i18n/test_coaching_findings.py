"""An agent reads the coach's explanations in their own language, wherever the panel is drawn.

The engine explains each finding in English; the desk says the same thing from its catalog. A
Ukrainian, Russian or Chinese agent answering an English customer sees the customer's words
quoted inside sentences of their own language: on the ticket page, in the live panel the reply
box refreshes, and on the page that refuses a reply with errors.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from mannerly.tickets import actions
from tests.conftest import PASSWORD

DRAFT = "Unfortunately we can't refund it.\n\nOleh Kovalenko"

# Interface language → what the panel must say about the blank reply box (no thanks, the open
# question), about DRAFT (its first words), the send gate's refusal and the triage's guidance.
EXPLANATIONS = {
    "uk": {
        "no thanks": "У відповіді немає подяки клієнтові.",
        "thank them": "Подякуйте клієнтові: за звернення, за терпіння або за надіслані подробиці.",
        "open question": "Запитання 1 залишилося без відповіді: «Can you refund the second charge?»",
        "negative opening": "«Unfortunately» — негативний початок.",
        "say what you can": "Скажіть натомість, що ви можете зробити.",
        "refused": r"У відповіді \d+ помилк",
        "guidance": "Дайте відповідь на запитання.",
    },
    "ru": {
        "no thanks": "В ответе нет благодарности клиенту.",
        "thank them": "Поблагодарите клиента: за обращение, за терпение или за присланные подробности.",
        "open question": "Вопрос 1 остался без ответа: «Can you refund the second charge?»",
        "negative opening": "«Unfortunately» — негативное начало.",
        "say what you can": "Скажите вместо этого, что вы можете сделать.",
        "refused": r"В ответе \d+ ошибк",
        "guidance": "Ответьте на вопрос.",
    },
    "zh-hans": {
        "no thanks": "回复中没有感谢客户。",
        "thank them": "感谢客户：感谢来信、感谢耐心等待，或感谢提供的详细信息。",
        "open question": "第1个问题没有回答：“Can you refund the second charge?”",
        "negative opening": "“Unfortunately”一开头就很消极。",
        "say what you can": "改为说明您能做什么。",
        "refused": r"回复中有 \d+ 处错误",
        "guidance": "回答这个问题。",
    },
}
ENGLISH = (
    "The reply never thanks the customer.",
    "Question 1 is not answered",
    "opens on a negative note",
    "Say what you can do instead.",
    "The reply has ",
    "Answer the question.",
)


@pytest.fixture
def ticket(anna, team):
    return actions.do_open_ticket(
        anna,
        "Charged twice",
        "Hello, I was charged twice this month. Can you refund the second charge?",
        team=team,
    )


@pytest.fixture(params=list(EXPLANATIONS))
def agent(request, client, oleh):
    """Oleh, signed in with his interface in one of the three languages."""
    oleh.language = request.param
    oleh.save(update_fields=["language"])
    assert client.login(username=oleh.username, password=PASSWORD)
    return request.param


def text_of(response) -> str:
    """The page as a reader sees it: entities (the escaped apostrophe, quotes) decoded."""
    return html.unescape(response.content.decode())


def panel(page: str) -> str:
    start = page.index('<div id="coach"')
    return page[start : page.index("coach-highlights", start)]


def assert_no_engine_english(text: str) -> None:
    leaked = [english for english in ENGLISH if english in text]
    assert not leaked, f"English explanations on a translated page: {leaked}"


def test_the_ticket_page_explains_the_reply_box_findings_in_the_agents_language(
    client, agent, ticket
):
    page = text_of(client.get(reverse("tickets:ticket", args=[ticket.pk])))
    expected = EXPLANATIONS[agent]
    coach = panel(page)
    assert expected["no thanks"] in coach and expected["thank them"] in coach
    assert expected["open question"] in coach
    assert expected["guidance"] in page  # the triage of the customer's message
    assert_no_engine_english(page)


def test_the_live_panel_explains_a_finding_in_the_agents_language(client, agent, ticket):
    response = client.post(reverse("coaching:lint", args=[ticket.pk]), {"body": DRAFT, "seq": 3})
    assert response.status_code == 200
    assert response["Content-Language"] == agent
    coach = text_of(response)
    expected = EXPLANATIONS[agent]
    assert expected["negative opening"] in coach and expected["say what you can"] in coach
    assert expected["no thanks"] in coach and expected["open question"] in coach
    assert_no_engine_english(coach)


def test_a_refused_reply_explains_its_errors_in_the_agents_language(client, agent, ticket):
    response = client.post(
        reverse("tickets:reply", args=[ticket.pk]), {"body": DRAFT, "status": "pending"}
    )
    assert response.status_code == 422
    page = text_of(response)
    expected = EXPLANATIONS[agent]
    assert re.search(expected["refused"], page), "the gate's refusal is not translated"
    coach = panel(page)
    assert expected["negative opening"] in coach and expected["open question"] in coach
    assert_no_engine_english(page)
    assert not ticket.messages.filter(body_text=DRAFT).exists()
