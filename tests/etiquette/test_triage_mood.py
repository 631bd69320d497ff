"""triage() mood readings: grievance stays upset, anger needs anger, ultimatums, shouting,
friendly nudges and formal notices, in all four languages."""

import pytest

from mannerly.etiquette import triage

LANGS = ["en", "zh", "uk", "ru"]

GRIEF = {  # worry, tears, a repeated contact and a manager: a lot of grievance, no anger
    "en": "I'm so worried and really disappointed, I'm in tears. This is the third time I write. "
    "Please pass this to your manager.",
    "zh": "我真的很失望，也很担心，都快哭了。这是我第三次来问了。请让你们主管处理。",
    "uk": "Я дуже засмучена і хвилююся, плачу вже. Звертаюся повторно. "
    "Прошу передати питання вашому керівнику.",
    "ru": "Я очень расстроена и волнуюсь, плачу уже. Обращаюсь повторно. "
    "Прошу передать вопрос вашему руководителю.",
}
ULTIMATUM = {
    "en": "My order never arrived. If the refund isn't on my card by Friday I will take you to "
    "court.",
    "zh": "货一直没收到。周五前再不退款，我就去法院起诉你们。",
    "uk": "Замовлення так і не прийшло. Поверніть гроші до п'ятниці, інакше подаю до суду.",
    "ru": "Заказ так и не пришёл. Верните деньги до пятницы, иначе подаю в суд.",
}
FORMAL_CLAIM = {  # the same ultimatum asked with "please": a formal claim
    "en": "The washing machine arrived broken. Please refund 499 EUR within 10 days, otherwise "
    "I will go to court.",
    "zh": "洗衣机到货就是坏的。请在10天内退款499元，否则我将向法院起诉。",
    "uk": "Пральна машина прийшла зламаною. Прошу протягом 10 днів повернути 4990 грн, інакше "
    "звернуся до суду.",
    "ru": "Стиральная машина пришла сломанной. Прошу в течение 10 дней вернуть 4990 рублей, "
    "иначе обращусь в суд.",
}
PLEA = {  # "help, please, urgently!" is a plea, not a demand
    "en": "Please help me urgently! My son paid for a subscription by mistake and I really need "
    "this money.",
    "zh": "请帮帮我，很着急！孩子不小心买了会员，这笔钱对我来说真的不少。",
    "uk": "Допоможіть, будь ласка, терміново! Син помилково оплатив підписку, а мені ці гроші "
    "дуже потрібні.",
    "ru": "Помогите, пожалуйста, срочно! Сын по ошибке оплатил подписку, а мне эти деньги "
    "очень нужны.",
}
SHOUTED = {  # Chinese has no capitals: there "！！！" and "？？？" shout
    "en": "YOU SENT ME THE WRONG PHONE AGAIN. WHAT IS WRONG WITH YOUR WAREHOUSE. Send the right "
    "one.",
    "zh": "第三次问了：我的订单到底在哪？？？周六婚礼要用，今天已经周四了！！！",
    "uk": "ВИ ЗНОВУ НАДІСЛАЛИ НЕ ТОЙ ТЕЛЕФОН. ЩО НЕ ТАК З ВАШИМ СКЛАДОМ. Надішліть правильний.",
    "ru": "ВЫ ОПЯТЬ ПРИСЛАЛИ НЕ ТОТ ТЕЛЕФОН. ЧТО НЕ ТАК С ВАШИМ СКЛАДОМ. Пришлите правильный.",
}
BANGS = {
    "en": "Third time I ask: where is my order??? I need it by Saturday for the wedding and "
    "today is Thursday!!!",
    "zh": "第三次问了：我的订单到底在哪？？？周六婚礼要用，今天已经周四了！！！",
    "uk": "Третій раз питаю: де моє замовлення??? Мені воно потрібне до суботи, а сьогодні вже "
    "четвер!!!",
    "ru": "Третий раз спрашиваю: где мой заказ??? Он нужен мне к субботе, а сегодня уже четверг!!!",
}
ONE_CAPS_WORD = {
    "en": "Hi, the PDF invoice shows the wrong VAT number. Could you send a corrected one?",
    "zh": "你好，发票PDF上的VAT号码写错了，能重新发一份吗？",
    "uk": "Добрий день, у рахунку PDF неправильний номер ПДВ. Надішліть, будь ласка, виправлений.",
    "ru": "Здравствуйте, в счёте PDF неверный номер НДС. Пришлите, пожалуйста, исправленный.",
}
NUDGE = {
    "en": "Hello, this is my second email about the invoice",
    "zh": "你好，这是我第二次来问发票的事",
    "uk": "Добрий день, нагадую про себе",
    "ru": "Добрый день, напоминаю о себе",
}
FORMAL_NOTICE = {
    "en": "Dear Sirs,\n\nWe formally dispute invoice 4471 and will pursue the matter in court if "
    "necessary.",
    "zh": "贵司：\n\n我司对第4471号发票有异议，必要时将通过诉讼途径解决。",
    "uk": "Шановні пані та панове,\n\nми офіційно оскаржуємо рахунок 4471 і в разі потреби "
    "звернемося до суду.",
    "ru": "Уважаемые господа,\n\nмы официально оспариваем счёт 4471 и при необходимости "
    "обратимся в суд.",
}
NO_APOLOGY = {
    "en": "I don't want another apology. Pass this to someone who can actually refund me.",
    "zh": "别再道歉了，换个人来处理，找能做主的人。",
    "uk": "Не потрібні мені ваші вибачення. Передайте це керівнику.",
    "ru": "Не нужны мне ваши извинения. Передайте это руководителю.",
}


def label(text: str, lang: str) -> str:
    result = triage(text)
    assert result["language"] == lang
    return result["emotion"]["label"]


@pytest.mark.parametrize("lang", LANGS)
def test_grievance_alone_makes_a_customer_upset_never_angry(lang):
    assert label(GRIEF[lang], lang) == "upset"


@pytest.mark.parametrize("lang", LANGS)
def test_a_legal_threat_hung_on_a_demand_is_angry(lang):
    assert label(ULTIMATUM[lang], lang) == "angry"
    assert "legal-threat" in triage(ULTIMATUM[lang])["flags"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_ultimatum_asked_with_please_is_a_formal_claim(lang):
    assert label(FORMAL_CLAIM[lang], lang) == "upset"


@pytest.mark.parametrize("lang", LANGS)
def test_a_plea_for_help_with_please_and_an_exclamation_is_upset_not_angry(lang):
    assert label(PLEA[lang], lang) == "upset"


@pytest.mark.parametrize("lang", LANGS)
def test_shouted_sentences_are_angry_and_an_acronym_is_not_shouting(lang):
    assert label(SHOUTED[lang], lang) == "angry"
    assert label(ONE_CAPS_WORD[lang], lang) == "calm"


@pytest.mark.parametrize("lang", LANGS)
def test_runs_of_three_marks_shout_louder_than_two(lang):
    assert label(BANGS[lang], lang) == "angry"
    softer = BANGS[lang]
    for run, single in (("???", "?"), ("？？？", "？"), ("!!!", "."), ("！！！", "。")):
        softer = softer.replace(run, single)
    assert label(softer, lang) == "upset"


def test_an_intensifier_inside_a_chinese_phrase_still_intensifies():
    text = "太离谱了。我付了运费，快递一个星期都没动。把运费退给我。"
    assert label(text, "zh") == "angry"
    assert label(text.replace("太离谱了", "离谱"), "zh") == "upset"


@pytest.mark.parametrize("lang", LANGS)
def test_a_reminder_with_a_smile_is_a_calm_nudge(lang):
    assert label(NUDGE[lang] + " 🙂", lang) == "calm"
    assert label(NUDGE[lang] + ".", lang) == "upset"
    assert "repeat-contact" in triage(NUDGE[lang] + " 🙂")["flags"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_legal_step_in_business_register_is_a_calm_notice(lang):
    assert label(FORMAL_NOTICE[lang], lang) == "calm"
    assert "legal-threat" in triage(FORMAL_NOTICE[lang])["flags"]
    informal = FORMAL_NOTICE[lang].split("\n\n", 1)[1]
    assert label(informal, lang) == "upset"


@pytest.mark.parametrize("lang", LANGS)
def test_turning_away_apologies_while_asking_for_a_manager_is_angry(lang):
    assert label(NO_APOLOGY[lang], lang) == "angry"


@pytest.mark.parametrize(
    ("third_party", "accusation", "lang"),
    [
        (
            "Мені прийшло SMS про покупку, якої я не робила. Син каже, що це шахраї. "
            "Я дуже хвилююся. Чи можна скасувати замовлення?",
            "Ви шахраї! Списали гроші і нічого не надіслали.",
            "uk",
        ),
        (
            "Мне пришло СМС о покупке, которой я не делала. Сын говорит, что это мошенники. "
            "Я очень волнуюсь. Можно ли отменить заказ?",
            "Вы мошенники! Списали деньги и ничего не прислали.",
            "ru",
        ),
        (
            "我收到短信说买了东西，可我根本没买。儿子说可能是诈骗短信，我很担心。订单能取消吗？",
            "你们就是骗子，垃圾公司！扣了钱什么都没发。",
            "zh",
        ),
    ],
)
def test_fraudsters_named_as_a_third_party_are_worry_not_anger_at_us(third_party, accusation, lang):
    assert label(third_party, lang) == "upset"
    assert label(accusation, lang) == "angry"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Я дуже задоволена, нічого поганого сказати не можу. Дякую!", "uk"),
        ("Я очень довольна, ничего плохого сказать не могу. Спасибо!", "ru"),
    ],
)
def test_nothing_bad_is_praise(text, lang):
    assert label(text, lang) == "calm"
