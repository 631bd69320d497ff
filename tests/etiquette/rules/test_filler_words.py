"""filler-words: a suggestion with a fix that removes the words cleanly."""

import pytest

from tests.etiquette.cases import apply_fix, findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "filler-words"


@pytest.mark.parametrize(
    ("lang", "sentence", "fixed"),
    [
        ("en", "Basically, your refund is on its way.", "Your refund is on its way."),
        ("en", "I just wanted to confirm the new date.", "I wanted to confirm the new date."),
        ("zh", "其实，您的退款已经发出。", "您的退款已经发出。"),
        ("uk", "Власне кажучи, кошти вже повернуто.", "Кошти вже повернуто."),
        ("ru", "Собственно говоря, деньги уже вернули.", "Деньги уже вернули."),
    ],
)
def test_filler_is_a_suggestion_and_the_fix_removes_it(lang, sentence, fixed):
    draft = wrap(lang, sentence)
    found = findings(draft, lang, RULE)
    assert found and found[0]["severity"] == "suggestion"
    result = draft
    for f in sorted(found, key=lambda f: -f["fix"]["start"]):
        result = apply_fix(result, f["fix"])
    assert fixed in result


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Your order has just shipped."),
        ("en", "It takes just 2 minutes."),
        ("uk", "Це просто зробити в налаштуваннях."),
        ("ru", "Это просто сделать в настройках."),
    ],
)
def test_just_meaning_recently_or_only_is_not_filler(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
