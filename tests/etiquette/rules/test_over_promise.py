"""over-promise: promises nobody can keep; policies and deposits are not promises."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "over-promise"

FIRING = [
    ("en", "I guarantee this will never happen again."),
    ("en", "The fix is 100% certain to work."),
    ("zh", "我们保证永远不会再发生。"),
    ("zh", "百分之百不会再出问题。"),
    ("uk", "Гарантуємо, що це більше ніколи не повториться."),
    ("ru", "Гарантируем, что такое больше никогда не повторится."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_impossible_promises_are_flagged(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "warning"


CLEAN = [
    ("en", "Your purchase is covered by our 30-day money-back guarantee."),
    ("en", "We refunded 100% of the payment."),
    ("zh", "保证金将在三个工作日内退还。"),
    ("uk", "Ми не можемо гарантувати точну дату, але стежимо за доставкою."),
    ("ru", "Мы не можем гарантировать точную дату, но следим за доставкой."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_policies_deposits_and_honest_limits_are_not_over_promises(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
