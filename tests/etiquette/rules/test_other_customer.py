"""other-customer: mentioning another customer or their case."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "other-customer"

FIRING = [
    ("en", "Another client of ours, Acme, had the same problem last week."),
    ("en", "One of our customers reported this yesterday."),
    ("zh", "另一位客户上周也遇到了同样的问题。"),
    ("uk", "Інший клієнт мав таку саму проблему минулого тижня."),
    ("ru", "Другой клиент столкнулся с такой же проблемой на прошлой неделе."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_mentioning_another_customer_is_an_error(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "error"


CLEAN = [
    ("en", "Our customer service team is here on weekdays."),
    ("zh", "我们的客户服务团队工作日在线。"),
    ("uk", "Наша служба підтримки клієнтів працює у будні."),
    ("ru", "Наша служба поддержки клиентов работает по будням."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_customer_service_is_not_another_customer(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
