"""rude: insults, condescension, "calm down", shouting in capitals."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "rude"

FIRING = [
    ("en", "Please calm down and read the manual."),
    ("en", "THIS IS NOT A BUG IN OUR APP."),
    ("en", "That is a silly question."),
    ("zh", "请冷静一点，自己看说明书。"),
    ("zh", "爱用不用。"),
    ("uk", "Заспокойтеся, будь ласка."),
    ("uk", "Це ваші проблеми."),
    ("uk", "ЦЕ НЕ ПОМИЛКА НАШОГО ДОДАТКУ."),
    ("ru", "Успокойтесь, пожалуйста."),
    ("ru", "Это не моя проблема."),
    ("ru", "ЭТО НЕ ОШИБКА НАШЕГО ПРИЛОЖЕНИЯ."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_rudeness_is_an_error(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "error"


CLEAN = [
    ("en", "Your order number is ABC-123 and the PDF is attached."),
    ("en", "Please see the FAQ and the VAT note in the PDF."),
    ("zh", "您的订单号是ABC-123。"),
    ("uk", "Ваш номер замовлення ABC-123, PDF у вкладенні."),
    ("ru", "Ваш номер заказа ABC-123, PDF во вложении."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_acronyms_and_codes_are_not_shouting(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
