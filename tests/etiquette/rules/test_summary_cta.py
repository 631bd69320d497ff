"""summary-cta: a long reply ends with a summary and a clear next step."""

import pytest

from tests.etiquette.cases import findings

RULE = "summary-cta"

LONG_BODY = {
    "en": "We looked into the payment you made on Monday. The bank confirmed it twice, and our "
    "system counted both confirmations. The second payment has been reversed today. ",
    "zh": "我们查看了您周一的付款记录。银行确认了两次，系统把两次确认都计入了。第二笔付款今天已经撤销。"
    "我们也检查了您的账户设置，没有发现其他问题。",
    "uk": "Ми перевірили платіж, який ви зробили в понеділок. Банк підтвердив його двічі, і наша "
    "система врахувала обидва підтвердження. Другий платіж сьогодні скасовано. ",
    "ru": "Мы проверили платеж, который вы сделали в понедельник. Банк подтвердил его дважды, и "
    "наша система учла оба подтверждения. Второй платеж сегодня отменен. ",
}
ENDING = {
    "en": "You don't need to do anything: the money will be back on your card by Friday.",
    "zh": "总之，您无需任何操作，款项将在周五前退回。",
    "uk": "Отже, від вас нічого не потрібно: кошти повернуться на картку до п'ятниці.",
    "ru": "Итак, от вас ничего не требуется: деньги вернутся на карту до пятницы.",
}
WRAP = {
    "en": ("Hi Anna,\n\nThank you for writing.\n\n", "\n\nBest regards,\nOleh"),
    "zh": ("王女士，您好！\n\n感谢您的来信。\n\n", "\n\n祝好！\nMei"),
    "uk": ("Добрий день, Олено!\n\nДякуємо за лист.\n\n", "\n\nЗ повагою,\nОлег"),
    "ru": ("Здравствуйте, Андрей!\n\nСпасибо за письмо.\n\n", "\n\nС уважением,\nOleh"),
}


def long_reply(lang, ending=""):
    head, tail = WRAP[lang]
    body = "\n\n".join([LONG_BODY[lang] * 2] * 3)
    return head + body + ("\n\n" + ending if ending else "") + tail


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_long_reply_without_a_next_step_is_flagged(lang):
    found = findings(long_reply(lang), lang, RULE)
    assert len(found) == 1 and found[0]["severity"] == "warning"


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_summary_or_next_step_at_the_end_satisfies_it(lang):
    assert findings(long_reply(lang, ENDING[lang]), lang, RULE) == []


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_short_reply_needs_no_summary(lang):
    head, tail = WRAP[lang]
    assert findings(head + LONG_BODY[lang] + tail, lang, RULE) == []
