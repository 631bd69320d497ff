"""negative-language: negative framing, judged by framing, not keywords."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "negative-language"

FIRING = [
    ("en", "Unfortunately, we can't refund this order."),
    ("en", "That is not our policy."),
    ("en", "There's no way to change the date, I'm afraid."),
    ("zh", "很遗憾，我们无法为您退款。"),
    ("zh", "这个没法改。"),
    ("uk", "На жаль, ми не можемо повернути кошти."),
    ("uk", "Нажаль, це неможливо."),
    ("ru", "К сожалению, это невозможно."),
    ("ru", "Увы, мы не можем изменить дату."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_negative_framing_is_flagged(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and all(f["severity"] == "warning" for f in found)
    assert found[0]["suggestion"]


CLEAN = [
    ("en", "No problem at all, the new date is set."),
    ("en", "If you can't log in, use the reset link in this email."),
    ("en", 'You wrote that the app "unfortunately crashed", and I found why.'),
    ("en", "We can't wait to hear how the new plan works for you."),
    ("zh", "没问题，新的日期已经设置好了。"),
    ("zh", "您反馈的无法登录的问题已经解决。"),
    ("uk", "Не проблема, нову дату вже встановлено."),
    ("uk", "Якщо не можете увійти, скористайтеся посиланням у листі."),
    ("ru", "Не стесняйтесь писать нам в любое время."),
    ("ru", "Не проблема, новая дата уже установлена."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_positive_or_quoted_words_are_not_negative(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []


def test_offsets_point_at_the_phrase():
    draft = wrap("en", "Unfortunately, we can't refund this order.")
    first = findings(draft, "en", RULE)[0]
    assert draft[first["start"] : first["end"]] == "Unfortunately"
