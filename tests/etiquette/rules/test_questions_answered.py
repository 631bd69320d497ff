"""questions-answered: each customer question is paired with the reply's content."""

import pytest

from tests.etiquette.cases import CLEAN, MESSAGES, run

RULE = "questions-answered"


def unanswered(result):
    return [n for n, q in enumerate(result["questions"], 1) if not q["answered"]]


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_complete_reply_answers_both_questions(lang):
    result = run(CLEAN[lang], lang, message=MESSAGES[lang])
    assert unanswered(result) == []
    assert not [f for f in result["findings"] if f["rule"] == RULE]


PARTIAL = {
    "en": "Hi Anna,\n\nThank you for writing. I have refunded the second charge of $20 today.\n\nBest regards,\nOleh",
    "zh": "王女士，您好！\n\n感谢您的反馈。第二笔扣款已于今天为您退还。\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nДякуємо за лист. Другий платіж ми повернули сьогодні.\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nСпасибо за письмо. Второй платеж мы вернули сегодня.\n\nС уважением,\nOleh",
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_the_unanswered_question_is_named(lang):
    result = run(PARTIAL[lang], lang, message=MESSAGES[lang])
    assert unanswered(result) == [2]
    (found,) = [f for f in result["findings"] if f["rule"] == RULE]
    assert found["severity"] == "error"
    assert result["questions"][1]["text"] in found["message"]


WHEN = {
    "en": (
        "Hi, when will my order arrive?",
        "Hi Anna,\n\nThanks for asking. Your order is on its way.\n\nBest,\nOleh",
        "Hi Anna,\n\nThanks for asking. Your order will arrive on Thursday.\n\nBest,\nOleh",
    ),
    "zh": (
        "你好，我的订单什么时候到？",
        "王女士，您好！\n\n感谢您的询问。您的订单正在路上。\n\n祝好！\nMei",
        "王女士，您好！\n\n感谢您的询问。您的订单预计周四送达。\n\n祝好！\nMei",
    ),
    "uk": (
        "Коли прийде моє замовлення?",
        "Добрий день, Олено!\n\nДякуємо. Ваше замовлення вже в дорозі.\n\nЗ повагою,\nОлег",
        "Добрий день, Олено!\n\nДякуємо. Ваше замовлення прийде в четвер.\n\nЗ повагою,\nОлег",
    ),
    "ru": (
        "Когда придет мой заказ?",
        "Здравствуйте, Андрей!\n\nСпасибо. Ваш заказ уже в пути.\n\nС уважением,\nOleh",
        "Здравствуйте, Андрей!\n\nСпасибо. Ваш заказ придет в четверг.\n\nС уважением,\nOleh",
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_when_question_needs_a_time(lang):
    message, vague, concrete = WHEN[lang]
    assert unanswered(run(vague, lang, message=message)) == [1]
    assert unanswered(run(concrete, lang, message=message)) == []


def test_a_bare_nudge_is_answered_by_any_real_reply():
    draft = "Hi Anna,\n\nThanks for checking in. Your refund was sent today.\n\nBest,\nOleh"
    result = run(draft, "en", message="Any news?")
    assert unanswered(result) == []


def test_without_a_message_there_are_no_questions():
    assert "questions" not in run(CLEAN["en"], "en")
