"""The handover brief: open questions, promised times and flags for the agent taking over."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mannerly.coaching.promises import find_promises
from mannerly.tickets import actions
from tests.coaching.conftest import signed_in

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(0))
NEXT_MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=timezone.get_fixed_timezone(0))  # after "now"


def test_the_new_agent_sees_open_questions_promises_and_flags(uk_ticket, olena, oleh, mei, sofia):
    with time_machine.travel(NEXT_MONDAY, tick=False):
        actions.do_reply(
            uk_ticket,
            oleh,
            "Добрий день, Олено!\n\nВибачте за очікування. Гроші повернемо на картку до "
            "п'ятниці.\n\nOleh Kovalenko",
        )
        actions.do_flag_customer(olena, sofia, "abusive", "Shouted at the phone agent.")
        actions.do_assign(uk_ticket, oleh, mei, handover_note="Refund is approved, check Friday.")
    html = signed_in(mei).get(reverse("tickets:ticket", args=[uk_ticket.pk])).content.decode()
    brief = html.split('id="handover-brief"')[1].split('<h2 class="visually-hidden">')[0]
    assert "Refund is approved, check Friday." in html
    questions = brief.split("Open customer questions")[1].split("Promises made")[0]
    assert "І чому мій акаунт досі заблоковано?" in questions
    assert "Коли ви нарешті повернете мої гроші?" not in questions  # answered: by Friday
    promises = brief.split("Promises made")[1]
    assert "до п&#x27;ятниці" in promises and "Fri 5 Mar" in promises
    assert "written Mon 1 Mar" in promises
    assert "Abusive" in brief and "Repeat contact" in brief


def test_a_ticket_without_replies_hands_over_every_question(uk_ticket, oleh, mei):
    actions.do_assign(uk_ticket, oleh, oleh)
    actions.do_assign(uk_ticket, oleh, mei, handover_note="Not started yet.")
    response = signed_in(mei).get(reverse("tickets:ticket", args=[uk_ticket.pk]))
    brief = response.context["handover_brief"]
    assert [q.text for q in brief.open_questions] == [
        "Коли ви нарешті повернете мої гроші?",
        "І чому мій акаунт досі заблоковано?",
    ]
    assert brief.promises == []


def test_promises_are_read_only_from_the_previous_owners_replies(uk_ticket, oleh, mei, sofia):
    actions.do_assign(uk_ticket, oleh, oleh)
    actions.do_reply(uk_ticket, sofia, "Добрий день, Олено!\n\nПередзвоню завтра.\n\nSofia")
    actions.do_reply(uk_ticket, oleh, "Добрий день, Олено!\n\nВідповім до 15:00.\n\nOleh")
    actions.do_assign(uk_ticket, oleh, mei, handover_note="See above.")
    brief = (
        signed_in(mei).get(reverse("tickets:ticket", args=[uk_ticket.pk])).context["handover_brief"]
    )
    assert [p.phrase for p in brief.promises] == ["до 15:00"]


@pytest.mark.parametrize(
    "lang, text, phrase, due",
    [
        ("en", "We'll refund it by Thursday.", "by Thursday", "2026-03-05"),
        ("en", "I will call you tomorrow afternoon.", "tomorrow afternoon", "2026-03-03"),
        ("en", "Expect it within 3 business days.", "within 3 business days", "2026-03-05"),
        ("en", "The fix ships on March 12th.", "March 12th", None),
        ("uk", "Надішлю рахунок до п'ятниці.", "до п'ятниці", "2026-03-06"),
        ("uk", "Відповім протягом 2 годин.", "протягом 2 годин", None),
        ("ru", "Вернём деньги до пятницы.", "до пятницы", "2026-03-06"),
        ("ru", "Позвоню завтра утром.", "завтра утром", "2026-03-03"),
        ("zh", "我们明天下午给您回电。", "明天下午", "2026-03-03"),
        ("zh", "下周三之前发货。", "下周三", "2026-03-11"),
        ("zh", "3个工作日内退款。", "3个工作日内", "2026-03-05"),
    ],
)
def test_promised_times_are_found_in_four_languages(lang, text, phrase, due):
    (promise,) = find_promises(text, MONDAY, lang)
    assert promise.phrase == phrase
    assert (promise.due.isoformat() if promise.due else None) == due


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "I sat down with our team and we fixed it."),
        ("en", "Thank you for your patience."),
        ("uk", "Дякуємо, що написали нам."),
        ("ru", "Спасибо за ваше терпение."),
        ("zh", "感谢您的耐心。"),
    ],
)
def test_sentences_without_a_time_are_not_promises(lang, text):
    assert find_promises(text, MONDAY, lang) == []


def test_quoted_history_is_not_the_agents_promise():
    assert find_promises("> I'll call you tomorrow.\nThanks!", MONDAY, "en") == []
