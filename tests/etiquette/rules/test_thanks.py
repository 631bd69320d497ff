"""thanks: the reply thanks the customer."""

import pytest

from tests.etiquette.cases import fires

NO_THANKS = {
    "en": "Hi Anna,\n\nYour refund was sent today.\n\nBest regards,\nOleh",
    "zh": "王女士，您好！\n\n退款已于今天发出。\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nКошти повернули сьогодні.\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nДеньги вернули сегодня.\n\nС уважением,\nOleh",
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_reply_without_thanks_gets_a_warning(lang):
    assert fires(NO_THANKS[lang], lang, "thanks")


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Thanks for your patience."),
        ("en", "I appreciate your patience."),
        ("zh", "感谢理解。"),
        ("zh", "谢谢您的耐心。"),
        ("uk", "Дякуємо за терпіння."),
        ("uk", "Щиро вдячні вам за відгук."),
        ("ru", "Вам спасибо!"),
        ("ru", "Благодарим за терпение."),
    ],
)
def test_thanking_the_customer_passes(lang, sentence):
    draft = NO_THANKS[lang].replace("\n\n", f"\n\n{sentence} ", 1)
    assert not fires(draft, lang, "thanks")


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Thanks to the update, the page loads again."),
        ("ru", "Благодаря обновлению страница снова открывается."),
        ("uk", "Завдяки оновленню сторінка знову відкривається."),
        ("en", 'You wrote "thanks for nothing", and I understand why.'),
    ],
)
def test_thanks_to_meaning_because_of_is_not_thanks(lang, sentence):
    draft = NO_THANKS[lang].replace("\n\n", f"\n\n{sentence} ", 1)
    assert fires(draft, lang, "thanks")
