"""plain-language: jargon and sentences too long to read; the customer's own terms are fine."""

import pytest

from tests.etiquette.cases import findings, run
from tests.etiquette.rules.phrase_cases import wrap

RULE = "plain-language"

FIRING = [
    ("en", "The backend had a race condition after the deploy."),
    ("en", "Please be advised that the aforementioned charge was reversed."),
    ("zh", "后端缓存出现问题，我们已经回滚。"),
    ("uk", "На бекенді був таймаут після деплою."),
    ("uk", "Доводимо до вашого відома, що оплату повернуто."),
    ("ru", "На бэкенде был таймаут после деплоя."),
    ("ru", "Доводим до вашего сведения, что оплата возвращена."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_jargon_is_flagged(lang, sentence):
    found = findings(wrap(lang, sentence), lang, RULE)
    assert found and found[0]["severity"] == "warning"


def test_a_term_the_customer_used_is_not_jargon():
    draft = wrap("en", "The webhook now retries three times.")
    assert findings(draft, "en", RULE)
    message = "Hi, my webhook stopped firing yesterday. Can you check it?"
    result = run(draft, "en", message=message)
    assert [f for f in result["findings"] if f["rule"] == RULE] == []


LONG = {
    "en": "We looked at your account and found that the payment you made on Monday was "
    "counted twice because the bank sent the same confirmation two times and our system "
    "treated the second one as a new payment instead of recognising it as a copy of the first.",
    "zh": "我们检查了您的账户，发现您周一付款的那笔钱被计算了两次，原因是银行发送了两次相同的"
    "确认信息，而我们的系统把第二次确认当成了一笔新的付款，而不是识别为第一次确认的副本，"
    "所以才出现了重复扣费的情况，给您带来了困扰。",
    "uk": "Ми переглянули ваш рахунок і з'ясували, що платіж, який ви зробили в понеділок, "
    "врахувався двічі, тому що банк надіслав одне й те саме підтвердження два рази, а наша "
    "система сприйняла друге як новий платіж замість того, щоб розпізнати в ньому копію першого.",
    "ru": "Мы проверили ваш счет и выяснили, что платеж, который вы сделали в понедельник, "
    "учелся дважды, потому что банк отправил одно и то же подтверждение два раза, а наша "
    "система приняла второе за новый платеж вместо того, чтобы распознать в нем копию первого.",
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_very_long_sentence_is_flagged(lang):
    found = findings(wrap(lang, LONG[lang]), lang, RULE)
    assert any("sentence" in f["message"] for f in found)
