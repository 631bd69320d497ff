"""acknowledge-emotion: an upset or angry customer first hears that their feeling is understood."""

import pytest

from tests.etiquette.cases import fires

ANGRY = {
    "en": "This is the third time I write! Unacceptable. When will you refund me?",
    "zh": "这已经是第三次了！太过分了！什么时候给我退款？",
    "uk": "Пишу вже втретє! Це неприпустимо. Коли ви повернете гроші?",
    "ru": "Пишу уже в третий раз! Это возмутительно. Когда вы вернете деньги?",
}
NO_ACK = {
    "en": "Hi Anna,\n\nThank you for your patience. Your refund was sent today.\n\nBest,\nOleh",
    "zh": "王女士，您好！\n\n感谢您的耐心。退款已于今天发出。\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nДякуємо за терпіння. Кошти повернули сьогодні.\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nСпасибо за терпение. Деньги вернули сегодня.\n\nС уважением,\nOleh",
}
ACK = {
    "en": "Hi Anna,\n\nI'm sorry you had to write three times; I understand how frustrating that is. Your refund was sent today.\n\nBest,\nOleh",
    "zh": "王女士，您好！\n\n非常抱歉让您多次联系我们，完全理解您的心情。退款已于今天发出。\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nПерепрошуємо, що вам довелося писати тричі, розуміємо ваше обурення. Кошти повернули сьогодні.\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nПриносим извинения, что вам пришлось писать трижды, понимаем ваше возмущение. Деньги вернули сегодня.\n\nС уважением,\nOleh",
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_thanks_for_patience_alone_does_not_acknowledge_anger(lang):
    assert fires(NO_ACK[lang], lang, "acknowledge-emotion", message=ANGRY[lang])


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_an_apology_first_acknowledges_it(lang):
    assert not fires(ACK[lang], lang, "acknowledge-emotion", message=ANGRY[lang])


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_calm_customer_needs_no_acknowledgement(lang):
    calm = {
        "en": "Hi, could you resend the invoice?",
        "zh": "你好，能重新发一下发票吗？",
        "uk": "Доброго дня, надішліть, будь ласка, рахунок ще раз.",
        "ru": "Здравствуйте, пришлите, пожалуйста, счет еще раз.",
    }[lang]
    assert not fires(NO_ACK[lang], lang, "acknowledge-emotion", message=calm)


def test_an_apology_only_after_the_solution_is_too_late():
    late = (
        "Hi Anna,\n\nYour refund was sent today. It will reach your card by Friday. The "
        "renewal date is unchanged. The invoice is attached. I'm sorry for the trouble.\n\nBest,\nOleh"
    )
    assert fires(late, "en", "acknowledge-emotion", message=ANGRY["en"])
