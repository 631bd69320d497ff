"""wall-of-text: a paragraph too long to scan."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "wall-of-text"

SENTENCE = {
    "en": "We checked the order and the payment, and everything is in place now. ",
    "zh": "我们检查了您的订单和付款信息，现在一切都已经处理好了，请您放心。",
    "uk": "Ми перевірили замовлення та оплату, і тепер усе гаразд. ",
    "ru": "Мы проверили заказ и оплату, и теперь все в порядке. ",
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_long_paragraph_is_a_wall(lang):
    draft = wrap(lang, SENTENCE[lang] * 12)
    found = findings(draft, lang, RULE)
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert found[0]["end"] - found[0]["start"] > 200


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_the_same_text_in_short_paragraphs_is_fine(lang):
    draft = wrap(lang, ("\n\n".join([SENTENCE[lang] * 3] * 4)))
    assert findings(draft, lang, RULE) == []


def test_a_long_numbered_list_is_not_a_wall():
    steps = "\n".join(
        f"{n}. Open the settings page and check the payment section again." for n in range(1, 12)
    )
    assert findings(wrap("en", "Here is what to do:\n" + steps), "en", RULE) == []
