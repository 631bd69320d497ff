"""triage(): language, emotion, flags, questions with offsets, guidance."""

import pytest

from mannerly.etiquette import triage


def test_spec_example_reads_two_questions_with_offsets():
    text = (
        "Hello, I was charged twice this month and nobody answers. Can you refund the second "
        "charge? Will my renewal date change?\n\nAnna Smith"
    )
    result = triage(text)
    assert result["language"] == "en"
    assert [q["text"] for q in result["questions"]] == [
        "Can you refund the second charge?",
        "Will my renewal date change?",
    ]
    for q in result["questions"]:
        assert text[q["start"] : q["end"]] == q["text"]
    assert "Answer both questions, in order." in result["guidance"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hi, where is my parcel?", "en"),
        ("你好，我的包裹在哪里？", "zh"),
        ("我們無法登入帳戶，請問怎麼辦？", "zh"),
        ("Дякую!", "uk"),
        ("Добрий день", "uk"),
        ("Спасибо", "ru"),
        ("Ну что там?", "ru"),
        ("Hello, 我的订单 still has not arrived and I am waiting since Monday", "en"),
        ("订单还没到 where is it", "zh"),
    ],
)
def test_language_is_detected_even_for_short_and_mixed_messages(text, lang):
    assert triage(text)["language"] == lang


QUESTIONS = [
    ("en", "Please tell me how to reset my password.", 1),
    ("en", "I'd like to know whether the plan renews automatically", 1),
    ("en", "Please send the PDF.", 1),
    ("en", "Does anyone read my emails?! I have waited a week.", 0),
    ("en", "When will the courier come", 1),
    ("zh", "请问什么时候发货", 1),
    ("zh", "有没有人管啊？！", 0),
    ("zh", "能不能帮我查一下订单？另外发票怎么开？", 2),
    ("uk", "Підкажіть, будь ласка, як змінити адресу доставки.", 1),
    ("uk", "Скільки можна чекати?!", 0),
    ("uk", "Поверніть гроші за замовлення.", 1),
    ("ru", "Подскажите, пожалуйста, как поменять адрес доставки.", 1),
    ("ru", "Сколько можно ждать?!", 0),
    ("ru", "Верните деньги за заказ. И когда придет новый?", 2),
]


@pytest.mark.parametrize(("lang", "text", "count"), QUESTIONS)
def test_questions_need_no_question_mark_and_rhetorical_anger_is_not_one(lang, text, count):
    result = triage(text, lang)
    assert len(result["questions"]) == count


def test_quoted_history_and_signature_are_not_the_customers_new_words():
    text = (
        "Thanks, that works.\n\n--\nAnna Smith\nCan you call me?\n\n"
        "On Mon, 2 Mar 2026 at 10:15, Support <help@example.org> wrote:\n"
        "> Could you send us the order number?\n> Is this urgent?\n"
    )
    result = triage(text)
    assert result["questions"] == []
    assert result["flags"] == []


@pytest.mark.parametrize(
    "header",
    [
        "-----Original Message-----\nFrom: Support",
        "在 2026年3月2日 10:15，客服 <help@example.org> 写道：",
        "пн, 2 бер. 2026 р. о 10:15 Support <help@example.org> пише:",
        "2 марта 2026 г., в 10:15, Support <help@example.org> писал(а):",
    ],
)
def test_reply_headers_in_every_language_cut_the_history(header):
    text = f"OK.\n\n{header}\nWhen will you refund me? This is urgent!\n"
    assert triage(text)["questions"] == []


FLAGS = [
    ("en", "I will contact my lawyer and take you to court.", "legal-threat"),
    ("en", "You are useless idiots.", "abuse"),
    ("en", "I want to speak to a manager.", "supervisor-request"),
    ("en", "This is the third time I write about this.", "repeat-contact"),
    ("en", "This is urgent, my shop is down.", "urgent"),
    ("zh", "我要找律师起诉你们。", "legal-threat"),
    ("zh", "你们这群白痴！", "abuse"),
    ("zh", "叫你们经理来。", "supervisor-request"),
    ("zh", "这已经是第三次联系你们了。", "repeat-contact"),
    ("zh", "非常紧急，请马上处理。", "urgent"),
    ("uk", "Я звернуся до юриста і подам до суду.", "legal-threat"),
    ("uk", "Ви ідіоти.", "abuse"),
    ("uk", "Хочу поговорити з вашим керівником.", "supervisor-request"),
    ("uk", "Пишу вже втретє.", "repeat-contact"),
    ("uk", "Терміново потрібна допомога.", "urgent"),
    ("ru", "Я обращусь к юристу и подам в суд.", "legal-threat"),
    ("ru", "Вы идиоты.", "abuse"),
    ("ru", "Хочу поговорить с вашим руководителем.", "supervisor-request"),
    ("ru", "Пишу уже в третий раз.", "repeat-contact"),
    ("ru", "Срочно нужна помощь.", "urgent"),
]


@pytest.mark.parametrize(("lang", "text", "flag"), FLAGS)
def test_each_flag_fires_in_every_language(lang, text, flag):
    assert flag in triage(text, lang)["flags"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "No rush at all, this is not urgent."),
        ("zh", "不着急，有空的时候看看就行。"),
        ("uk", "Не терміново, коли матимете час."),
        ("ru", "Не срочно, когда будет время."),
    ],
)
def test_not_urgent_is_not_urgent(lang, text):
    assert "urgent" not in triage(text, lang)["flags"]


@pytest.mark.parametrize(
    ("lang", "calm", "angry"),
    [
        (
            "en",
            "Hi, could you resend my invoice? Thanks!",
            "This is UNACCEPTABLE!!! Third time I write, you are useless. I want a manager NOW.",
        ),
        ("zh", "你好，能重新发一下发票吗？谢谢！", "太过分了！！第三次了，你们是骗子，我要投诉！"),
        (
            "uk",
            "Доброго дня, надішліть, будь ласка, рахунок ще раз. Дякую!",
            "Це неприпустимо!!! Пишу втретє, ви некомпетентні, вимагаю керівника!",
        ),
        (
            "ru",
            "Здравствуйте, пришлите, пожалуйста, счет еще раз. Спасибо!",
            "Это возмутительно!!! Пишу в третий раз, вы некомпетентны, требую руководителя!",
        ),
    ],
)
def test_emotion_separates_calm_from_angry(lang, calm, angry):
    assert triage(calm, lang)["emotion"]["label"] == "calm"
    hot = triage(angry, lang)["emotion"]
    assert hot["label"] == "angry" and hot["anger"] >= 0.7


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I'm quite disappointed that the parcel is late."),
        ("zh", "包裹迟迟没到，我很失望。"),
        ("uk", "Я розчарована, що посилка затримується."),
        ("ru", "Я расстроена, что посылка задерживается."),
    ],
)
def test_disappointment_is_upset(lang, text):
    assert triage(text, lang)["emotion"]["label"] == "upset"


def test_negation_turns_a_happy_word_around():
    assert triage("I am happy with the service.")["emotion"]["label"] == "calm"
    assert triage("I am not happy with the service at all.")["emotion"]["label"] != "calm"


def test_guidance_tells_the_agent_what_the_message_needs():
    result = triage("I want to speak to your manager. My lawyer is ready. Where is my refund?")
    codes = result["guidance_codes"]
    assert "legal-threat" in codes and "supervisor-request" in codes and "answer-question" in codes
    assert len(result["guidance"]) == len(codes)
