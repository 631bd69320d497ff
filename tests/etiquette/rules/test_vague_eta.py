"""vague-eta: promising a later answer without saying when."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "vague-eta"

FIRING = [
    ("en", "We'll get back to you soon."),
    ("en", "Our team will look into it and update you as soon as possible."),
    ("zh", "我们会尽快回复您。"),
    ("zh", "稍后通知您。"),
    ("uk", "Ми зв'яжемося з вами найближчим часом."),
    ("ru", "Мы свяжемся с вами в ближайшее время."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_a_promise_without_a_time_is_flagged(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE)


CLEAN = [
    ("en", "We'll get back to you by Friday."),
    ("en", "I will update you within 24 hours."),
    ("en", "We'll let you know as soon as it ships."),
    ("en", "Please try again later if the page is slow."),
    ("zh", "我们会在两个工作日内回复您。"),
    ("zh", "明天下午3点前给您答复。"),
    ("uk", "Ми зв'яжемося з вами до п'ятниці."),
    ("uk", "Відповімо протягом 24 годин."),
    ("ru", "Мы свяжемся с вами завтра до 15:00."),
    ("ru", "Ответим в течение 2 рабочих дней."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_a_concrete_time_satisfies_the_rule(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
