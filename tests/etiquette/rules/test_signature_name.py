"""signature-name: end with the agent's own name."""

import pytest

from tests.etiquette.cases import apply_fix, findings, fires

OPEN = {
    "en": "Hi Anna,\n\nThank you for your message. Your refund was sent today.\n\n",
    "zh": "王女士，您好！\n\n感谢您的来信。退款已于今天发出。\n\n",
    "uk": "Добрий день, Олено!\n\nДякуємо за лист. Кошти повернули сьогодні.\n\n",
    "ru": "Здравствуйте, Андрей!\n\nСпасибо за письмо. Деньги вернули сегодня.\n\n",
}

SIGNED = [
    ("en", "Oleh Kovalenko", "Best regards,\nOleh"),
    ("en", "Oleh Kovalenko", "Best,\nOleh Kovalenko\nCustomer Support"),
    ("en", "Niamh Byrne", "Niamh / Customer Support"),
    ("zh", "林梅", "祝好！\n林梅"),
    ("zh", "Mei Lin", "祝好！\nMei"),
    ("uk", "Олег Коваленко", "З повагою,\nОлег"),
    ("uk", "Oleh Kovalenko", "З повагою,\nОлег Коваленко, служба підтримки"),
    ("ru", "Oleh Kovalenko", "С уважением,\nОлег"),
    ("ru", "Мария Соколова", "С уважением,\nМария Соколова\nСлужба поддержки"),
]


@pytest.mark.parametrize(("lang", "agent", "signature"), SIGNED)
def test_signature_with_the_agents_name_passes(lang, agent, signature):
    assert not fires(OPEN[lang] + signature, lang, "signature-name", agent=agent)


UNSIGNED = [
    ("en", "Oleh Kovalenko", "Best regards,\nSupport Team"),
    ("en", "Oleh Kovalenko", "Best regards"),
    ("en", "Oleh Kovalenko", "Best regards,\nMaria"),
    ("zh", "林梅", "祝好！\n客服"),
    ("zh", "林梅", "客服团队"),
    ("uk", "Олег Коваленко", "З повагою,\nКоманда підтримки"),
    ("uk", "Олег Коваленко", "З повагою,\nслужба турботи про клієнтів"),
    ("ru", "Oleh Kovalenko", "С уважением,\nСлужба поддержки"),
    ("ru", "Oleh Kovalenko", "Всего доброго!"),
]


@pytest.mark.parametrize(("lang", "agent", "signature"), UNSIGNED)
def test_team_title_or_someone_elses_name_alone_is_an_error(lang, agent, signature):
    (found,) = findings(OPEN[lang] + signature, lang, "signature-name", agent=agent)
    assert found["severity"] == "error"
    assert found["start"] == found["end"] == 0


def test_fix_appends_a_closing_and_the_agents_given_name():
    draft = OPEN["en"].rstrip()
    (found,) = findings(draft, "en", "signature-name", agent="Oleh Kovalenko")
    fixed = apply_fix(draft, found["fix"])
    assert fixed.endswith("\n\nBest regards,\nOleh")
    assert not fires(fixed, "en", "signature-name", agent="Oleh Kovalenko")


def test_fix_after_an_existing_closing_adds_only_the_name():
    draft = OPEN["uk"] + "З повагою,"
    (found,) = findings(draft, "uk", "signature-name", agent="Олег Коваленко")
    assert apply_fix(draft, found["fix"]).endswith("З повагою,\nОлег")


def test_without_a_stored_agent_name_a_personal_name_will_do():
    assert not fires(OPEN["en"] + "Thanks,\nMaria", "en", "signature-name", agent=None)
    assert fires(OPEN["en"] + "Thanks,\nThe Support Team", "en", "signature-name", agent=None)
