"""question-list: two or more questions in running text instead of a numbered list."""

import pytest

from tests.etiquette.cases import apply_fix, findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "question-list"

FIRING = [
    ("en", "Which plan are you on? Could you also tell me when the charge appeared?"),
    ("en", "Please let me know which card you used, and could you send a screenshot?"),
    ("zh", "您使用的是哪张卡？扣款是什么时候出现的？"),
    ("uk", "Якою карткою ви платили? Коли з'явилося списання?"),
    ("ru", "Какой картой вы платили? Когда появилось списание?"),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_two_questions_in_running_text_are_flagged(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert len(found) == 1 and found[0]["severity"] == "warning"


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_the_fix_makes_a_numbered_list(lang):
    draft = wrap(lang, FIRING[[f[0] for f in FIRING].index(lang)][1])
    (found,) = findings(draft, lang, RULE)
    fixed = apply_fix(draft, found["fix"])
    assert "\n1. " in fixed and "\n2. " in fixed
    assert findings(fixed, lang, RULE) == []


CLEAN = [
    ("en", "Could you send me the order number? I will check it right away."),
    ("en", "Why did this happen? A card update failed on our side, and it is fixed now."),
    ("en", "Is there anything else I can help you with?"),
    ("en", "To check:\n1. Which card did you use?\n2. When did the charge appear?"),
    ("zh", "请问您的订单号是多少？如有其他问题，欢迎随时联系我们。"),
    ("uk", "Надішліть, будь ласка, номер замовлення. Якщо виникнуть питання, пишіть."),
    ("ru", "Пришлите, пожалуйста, номер заказа. Если будут вопросы, пишите."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_one_question_a_list_or_rhetorical_qa_is_fine(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
