"""internal-details: staff illness, internal tools and tickets, internal blame."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "internal-details"

FIRING = [
    ("en", "Our developer forgot to deploy the fix."),
    ("en", "The translator is sick this week, so the file is late."),
    ("en", "I have logged it in our Jira as DEV-4411."),
    ("zh", "翻译生病了，所以文件晚了。"),
    ("zh", "我们的开发忘了上线修复。"),
    ("uk", "Наш перекладач захворів, тому файл затримується."),
    ("uk", "Колега забув надіслати посилку."),
    ("ru", "Наш переводчик заболел, поэтому файл задерживается."),
    ("ru", "Разработчик забыл выложить исправление."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_internal_kitchen_is_an_error(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "error"


CLEAN = [
    ("en", "Our billing team will refund you today."),
    ("en", "We made a mistake with your order, and we have fixed it."),
    ("en", "Your order number is ORD-20931."),
    ("zh", "我们的财务团队今天会为您退款。"),
    ("uk", "Наша бухгалтерія поверне кошти сьогодні."),
    ("ru", "Наш отдел оплаты вернет деньги сегодня."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_naming_a_team_or_owning_a_mistake_is_fine(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []


def test_a_team_can_add_its_own_internal_tool():
    from mannerly.etiquette import TeamConfig
    from tests.etiquette.cases import run

    config = TeamConfig(phrases=(("internal-details", "*", "Gizmo Console"),))
    draft = wrap("en", "I checked your account in the Gizmo Console.")
    assert findings(draft, "en", RULE) == []
    rules = [f["rule"] for f in run(draft, "en", config=config)["findings"]]
    assert RULE in rules
