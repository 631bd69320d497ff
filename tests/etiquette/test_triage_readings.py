"""triage() regressions: calm billing questions, rhetorical anger, offsets after emoji and CRLF."""

import pytest

from mannerly.etiquette import lint, triage

CALM_BILLING = {
    "en": "Hello, I was charged twice for my March invoice, could you check please? Thanks, Anna",
    "zh": "您好，我三月份的账单被扣了两次款，麻烦帮忙查一下，谢谢！安娜",
    "uk": "Добрий день, з мене двічі списали гроші за березневий рахунок, перевірте, будь ласка. "
    "Дякую, Анна",
    "ru": "Здравствуйте, с меня дважды списали деньги за мартовский счёт, проверьте, пожалуйста. "
    "Спасибо, Анна",
}
COURTEOUS_REPLY = {
    "en": "Hi Anna,\n\nThank you for letting us know. I checked your March invoice: the second "
    "charge was a duplicate, and I refunded it today.\n\nBest,\nOleh",
    "zh": "安娜，您好：\n\n感谢您告诉我们。我查了您三月份的账单，第二笔扣款是重复扣的，今天已经退回。\n\n祝好！\nOleh",
    "uk": "Добрий день, Анно!\n\nДякую, що написали. Я перевірив березневий рахунок: друге списання "
    "було помилковим, сьогодні я повернув ці гроші.\n\nЗ повагою,\nOleh",
    "ru": "Здравствуйте, Анна!\n\nСпасибо, что написали. Я проверил мартовский счёт: второе "
    "списание было ошибочным, сегодня я вернул эти деньги.\n\nС уважением,\nOleh",
}
CUSTOMER = {"en": "Anna Smith", "zh": "安娜", "uk": "Анна Коваль", "ru": "Анна Смирнова"}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_polite_billing_question_is_calm_and_no_repeat_contact(lang):
    result = triage(CALM_BILLING[lang])
    assert result["language"] == lang
    assert result["emotion"]["label"] == "calm"
    assert "repeat-contact" not in result["flags"]  # "charged twice" is not "wrote twice"
    assert len(result["questions"]) == 1


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_a_courteous_reply_to_it_is_not_blocked_by_acknowledge_emotion(lang):
    result = lint(
        COURTEOUS_REPLY[lang], message=CALM_BILLING[lang], customer=CUSTOMER[lang], agent="Oleh"
    )
    assert "acknowledge-emotion" not in [f["rule"] for f in result["findings"]]


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice and nobody answers my emails. This is a disgrace!!",
        "Мене двічі списали гроші, і ніхто не відповідає. Це неподобство!!",
    ],
)
def test_an_incident_in_an_angry_message_still_reads_as_not_calm(text):
    assert triage(text)["emotion"]["label"] != "calm"


# Rhetorical anger is not a question to answer. "还要等多久？！" is borderline: with angry
# punctuation it is exasperation like "Скільки ще чекати?!" (the list tags such phrases
# "angry"); with a plain "？" it asks for a wait time the reply should give, so it counts.
RHETORICAL = [
    ("Скільки можна чекати?! Де моє замовлення?", "uk", "Де моє замовлення?"),
    ("Доки це триватиме?! Де моє замовлення?", "uk", "Де моє замовлення?"),
    ("Сколько можно?! Где мой заказ?", "ru", "Где мой заказ?"),
    ("Доколе?! Где мой заказ?", "ru", "Где мой заказ?"),
    ("How many times do I have to ask?! Where is my order?", "en", "Where is my order?"),
    ("How long do I have to wait?! Where is my order?", "en", "Where is my order?"),
    ("还要等多久？！我的订单到底在哪里？", "zh", "我的订单到底在哪里？"),
]


@pytest.mark.parametrize(("text", "lang", "question"), RHETORICAL)
def test_rhetorical_anger_is_not_listed_as_a_question(text, lang, question):
    result = triage(text)
    assert result["language"] == lang
    assert [q["text"] for q in result["questions"]] == [question]


@pytest.mark.parametrize(
    "text",
    ["还要等多久？", "Скільки ще чекати на посилку?", "How long do I have to wait for the refund?"],
)
def test_the_same_words_with_a_plain_question_mark_ask_for_a_time(text):
    assert len(triage(text)["questions"]) == 1


def test_a_greeting_word_does_not_count_as_rhetorical_anger():
    # "Hello" alone ("Hello?!") is rhetorical; opening a polite sentence it is a greeting.
    assert triage("Hello, could you tell me when the shop opens?")["emotion"]["label"] == "calm"


OFFSETS = {
    "en": (
        "Hi 😀👍\r\n\r\nwhere is my order? 🙏\r\nAnd when will it ship?",
        ["where is my order?", "And when will it ship?"],
        "Hi Anna 😀,\r\n\r\nUnfortunately 🙏 the order is late.\r\n\r\nBest,\r\nOleh",
        "Unfortunately",
    ),
    "zh": (
        "你好😀👍\r\n\r\n我的订单在哪里？🙏\r\n什么时候发货？",
        ["我的订单在哪里？", "什么时候发货？"],
        "王女士😀，您好：\r\n\r\n很遗憾🙏，订单延迟了。\r\n\r\n李娜",
        "很遗憾",
    ),
    "uk": (
        "Привіт 😀👍\r\n\r\nде моє замовлення? 🙏\r\nІ коли його відправлять?",
        ["де моє замовлення?", "І коли його відправлять?"],
        "Анно 😀,\r\n\r\nНа жаль 🙏, замовлення затримується.\r\n\r\nЗ повагою,\r\nОлег",
        "На жаль",
    ),
    "ru": (
        "Привет 😀👍\r\n\r\nгде мой заказ? 🙏\r\nИ когда его отправят?",
        ["где мой заказ?", "И когда его отправят?"],
        "Анна 😀,\r\n\r\nК сожалению 🙏, заказ задерживается.\r\n\r\nС уважением,\r\nОлег",
        "К сожалению",
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_offsets_are_code_points_after_emoji_and_crlf(lang):
    message, questions, draft, negative = OFFSETS[lang]
    result = triage(message)
    assert [q["text"] for q in result["questions"]] == questions
    for q in result["questions"]:
        assert message[q["start"] : q["end"]] == q["text"]
    findings = lint(draft, lang=lang)["findings"]
    spans = [draft[f["start"] : f["end"]] for f in findings if f["rule"] == "negative-language"]
    assert spans == [negative]
