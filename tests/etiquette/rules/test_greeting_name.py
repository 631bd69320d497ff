"""greeting-name: open by greeting the customer by name, in the form the language uses."""

import pytest

from tests.etiquette.cases import apply_fix, findings, fires

BODY = {
    "en": "\n\nThank you for your message. Your refund was sent today.\n\nBest regards,\nOleh",
    "zh": "\n\n感谢您的来信。退款已于今天发出。\n\n祝好！\nMei",
    "uk": "\n\nДякуємо за лист. Кошти повернули сьогодні.\n\nЗ повагою,\nОлег",
    "ru": "\n\nСпасибо за письмо. Деньги вернули сегодня.\n\nС уважением,\nOleh",
}

ACCEPTED = [
    ("en", "Anna Smith", "Hi Anna,"),
    ("en", "Anna Smith", "Dear Ms Smith,"),
    ("en", "Anna Smith", "Hello Anna Smith,"),
    ("en", "Anna Smith", "Good morning, Anna!"),
    ("zh", "王芳", "王女士，您好！"),
    ("zh", "王芳", "王芳，您好！"),
    ("zh", "王芳", "尊敬的王先生："),
    ("zh", "欧阳娜娜", "欧阳女士，您好！"),
    ("uk", "Олена Коваль", "Добрий день, Олено!"),
    ("uk", "Ковальчук Андрій Петрович", "Доброго дня, пане Андрію!"),
    ("uk", "Ковальчук Андрій Петрович", "Вітаю, пане Ковальчуку!"),
    ("uk", "Петро Іваненко", "Добрий день, Петре!"),
    ("uk", "Ірина Шевченко", "Шановна Ірино, доброго дня!"),
    ("ru", "Анна Петрова", "Здравствуйте, Анна!"),
    ("ru", "Иванова Ирина Павловна", "Добрый день, Ирина Павловна!"),
    ("ru", "Андрей Иванов", "Уважаемый господин Иванов,"),
    ("ru", "Андрей Иванов", "Андрей, добрый день!"),
]


@pytest.mark.parametrize(("lang", "customer", "greeting"), ACCEPTED)
def test_greeting_with_an_accepted_name_form_passes(lang, customer, greeting):
    assert not fires(greeting + BODY[lang], lang, "greeting-name", customer=customer)


FIRING = [
    ("en", "Anna Smith", "Hello,", "does not use"),
    ("en", "Anna Smith", "Hi John,", "John"),
    ("en", "Anna Smith", "Thank you for writing.", "does not open"),
    ("zh", "王芳", "芳，您好！", "too familiar"),
    ("zh", "王芳", "李女士，您好！", "李女士"),
    ("zh", "王芳", "您好！", "does not use"),
    ("uk", "Олена Коваль", "Добрий день, Олена!", "vocative"),
    ("uk", "Олена Коваль", "Добрий день, Петре!", "Петре"),
    ("uk", "Олена Коваль", "Доброго дня!", "does not use"),
    ("ru", "Андрей Иванов", "Здравствуйте, Сергей!", "Сергей"),
    ("ru", "Андрей Иванов", "Добрый день!", "does not use"),
    ("ru", "Андрей Иванов", "Спасибо за письмо.", "does not open"),
]


@pytest.mark.parametrize(("lang", "customer", "greeting", "said"), FIRING)
def test_missing_wrong_or_ungrammatical_name_is_an_error(lang, customer, greeting, said):
    found = findings(greeting + BODY[lang], lang, "greeting-name", customer=customer)
    assert len(found) == 1
    assert found[0]["severity"] == "error"
    assert said in found[0]["message"]


@pytest.mark.parametrize(
    ("lang", "customer", "draft_start", "fixed_start"),
    [
        ("en", "Anna Smith", "Hello,", "Hello Anna,"),
        ("uk", "Олена Коваль", "Добрий день, Олена!", "Добрий день, Олено!"),
        ("zh", "王芳", "您好！", "王芳，您好！"),
        ("ru", "Андрей Иванов", "Добрый день!", "Добрый день, Андрей!"),
    ],
)
def test_fix_inserts_the_right_name_form(lang, customer, draft_start, fixed_start):
    draft = draft_start + BODY[lang]
    (found,) = findings(draft, lang, "greeting-name", customer=customer)
    assert apply_fix(draft, found["fix"]).startswith(fixed_start)


def test_fix_adds_a_greeting_when_there_is_none():
    draft = "Thank you for writing." + BODY["en"]
    (found,) = findings(draft, "en", "greeting-name", customer="Anna Smith")
    fixed = apply_fix(draft, found["fix"])
    assert fixed.startswith("Hi Anna,\n\nThank you")
    assert not fires(fixed, "en", "greeting-name", customer="Anna Smith")


def test_without_a_stored_name_any_greeting_will_do():
    assert not fires("Hello," + BODY["en"], "en", "greeting-name", customer=None)
    assert fires("Thanks for writing." + BODY["en"], "en", "greeting-name", customer=None)


def test_latin_name_in_another_script_is_recognised():
    assert not fires("Hi Olena," + BODY["en"], "en", "greeting-name", customer="Олена Коваль")


def test_misspelled_greeting_word_with_the_right_name_is_not_a_greeting_error():
    assert not fires("Helo Anna," + BODY["en"], "en", "greeting-name", customer="Anna Smith")
