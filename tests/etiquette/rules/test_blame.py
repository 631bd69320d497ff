"""blame: blaming the customer, including passive-aggressive reminders; expectations are fine."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "blame"

FIRING = [
    ("en", "You should have contacted us before the deadline."),
    ("en", "As I already told you, the plan renews monthly."),
    ("en", "As mentioned in our previous email, which you may have missed, the fee applies."),
    ("zh", "您应该早点联系我们。"),
    ("zh", "正如我之前说过的，套餐按月续费。"),
    ("uk", "Ви мали б уважніше читати умови."),
    ("uk", "Як я вже писав, тариф продовжується щомісяця."),
    ("ru", "Вы должны были предупредить нас заранее."),
    ("ru", "Как я уже писал, тариф продлевается ежемесячно."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_blaming_the_customer_is_an_error(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "error"


CLEAN = [
    ("en", "You should have received the code by now; I have sent it again."),
    ("en", "You should have access to the new plan right away."),
    ("zh", "您应该已经收到验证码了，我们又发送了一次。"),
    ("uk", "Ви мали б уже отримати код, ми надіслали його ще раз."),
    ("ru", "Вы должны были получить код, мы отправили его еще раз."),
    ("ru", "Как мы и обещали, деньги вернули сегодня."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_an_expectation_is_not_blame(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
