"""questions-answered readings: numbered answers, replies that only acknowledge a question, and
"it" in a question that follows another question."""

import pytest

from tests.etiquette.cases import run

LANGS = ["en", "zh", "uk", "ru"]
OPEN = {"en": "Hi Anna,\n\n", "zh": "王女士，您好！\n\n", "uk": "Добрий день, Олено!\n\n",
        "ru": "Здравствуйте, Андрей!\n\n"}  # fmt: skip
CLOSE = {"en": "\n\nBest regards,\nOleh", "zh": "\n\n祝好！\nMei",
         "uk": "\n\nЗ повагою,\nОлег", "ru": "\n\nС уважением,\nOleh"}  # fmt: skip


def unanswered(draft: str, lang: str, message: str) -> list[int]:
    result = run(OPEN[lang] + draft + CLOSE[lang], lang, message=message)
    return [n for n, q in enumerate(result["questions"], 1) if not q["answered"]]


NUMBERED = {
    "en": (
        "Three questions:\n1. Can we add two more seats?\n2. Is there a discount for schools?\n"
        "3. Can we pay by bank transfer?",
        [
            "1. Yes, new colleagues can join at any time from Settings.",
            "2. Schools get 30% off every plan.",
            "3. Yes, annual plans can be paid from the invoice details.",
        ],
    ),
    "zh": (
        "几个问题：\n1. 能不能分期付款？\n2. 保修期多久？\n3. 可以上门安装吗？",
        [
            "1. 支持信用卡分3期或6期，免手续费。",
            "2. 整机保两年，电机保五年。",
            "3. 我们提供免费上门服务，师傅48小时内联系您。",
        ],
    ),
    "uk": (
        "Маю кілька запитань:\n1. Чи можна додати ще двох користувачів?\n"
        "2. Чи є знижка для шкіл?\n3. Чи приймаєте оплату за рахунком?",
        [
            "1. Так, нових людей до команди можна додати будь-коли в налаштуваннях.",
            "2. Школи отримують знижку 30% на всі тарифи.",
            "3. Так, річні тарифи можна оплатити з рахунку організації.",
        ],
    ),
    "ru": (
        "У меня несколько вопросов:\n1. Можно ли добавить ещё двух пользователей?\n"
        "2. Есть ли скидка для школ?\n3. Принимаете ли вы оплату по счёту?",
        [
            "1. Да, новых людей в команду можно добавить в любой момент в настройках.",
            "2. Школы получают скидку 30% на все тарифы.",
            "3. Да, годовые тарифы можно оплатить с расчётного счёта организации.",
        ],
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_numbered_questions_are_answered_item_by_item(lang):
    message, items = NUMBERED[lang]
    assert unanswered("\n".join(items), lang, message) == []
    assert unanswered("\n".join([items[0], items[2]]), lang, message) == [2]


EVASIVE = {
    "en": (
        "How do I connect the printer to Wi-Fi? And can I scan documents with my phone?",
        "To connect the printer to Wi-Fi, hold the network button for three seconds and pick "
        "your network in the app.",
        "As for scanning with your phone, that's a great question.",
        "Scanning with your phone works too: open the app and tap Scan.",
    ),
    "zh": (
        "优惠券为什么用不了？还有，积分可以换现金吗？",
        "优惠券需要订单满200元才能使用，您这笔订单是168元，所以没有生效。",
        "关于积分换现金的问题，我们也收到了。",
        "积分可以换现金，100积分换1元，在账户页面兑换。",
    ),
    "uk": (
        "Як підключити принтер до Wi-Fi? І чи можна друкувати з телефона?",
        "Щоб підключити принтер до Wi-Fi, затисніть кнопку мережі на три секунди й виберіть "
        "свою мережу в застосунку.",
        "Щодо друку з телефона — слушне питання.",
        "Друкувати з телефона теж можна: встановіть застосунок і натисніть «Друк».",
    ),
    "ru": (
        "Как подключить принтер к Wi-Fi? И можно ли печатать с телефона?",
        "Чтобы подключить принтер к Wi-Fi, зажмите кнопку сети на три секунды и выберите свою "
        "сеть в приложении.",
        "По поводу печати с телефона — хороший вопрос, спасибо.",
        "Печатать с телефона тоже можно: установите приложение и нажмите «Печать».",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_sentence_that_only_acknowledges_a_question_does_not_answer_it(lang):
    message, first, evasive, answer = EVASIVE[lang]
    assert unanswered(f"{first} {evasive}", lang, message) == [2]
    assert unanswered(f"{first} {answer}", lang, message) == []


REFERS_BACK = {
    "en": (
        "How do I connect a second monitor to the dock? And does it support 4K?",
        "To connect a second monitor, plug the HDMI cable into the second port of the dock.",
        "It supports 4K at 60 Hz on both ports.",
    ),
    "zh": (
        "第二台显示器怎么接到扩展坞上？它支持4K吗？",
        "把HDMI线插到扩展坞背面的第二个接口，显示器就会自动点亮。",
        "两个接口都支持4K 60Hz。",
    ),
    "uk": (
        "Як підключити другий монітор до док-станції? І чи підтримує вона 4K?",
        "Щоб підключити другий монітор, вставте кабель HDMI у другий порт док-станції.",
        "Обидва порти підтримують 4K з частотою 60 Гц.",
    ),
    "ru": (
        "Как подключить второй монитор к док-станции? И поддерживает ли она 4K?",
        "Чтобы подключить второй монитор, вставьте кабель HDMI во второй порт док-станции.",
        "Оба порта поддерживают 4K с частотой 60 Гц.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_it_in_a_follow_up_question_does_not_borrow_the_first_questions_topic(lang):
    message, first, second = REFERS_BACK[lang]
    assert unanswered(first, lang, message) == [2]
    assert unanswered(f"{first} {second}", lang, message) == []


HOW_MUCH = {
    "en": (
        "How much does the Pro plan cost per month? Can I keep my old files?",
        "All your old files stay where they are when you switch.",
        "Pro costs £12 a month.",
    ),
    "zh": (
        "专业版每月多少钱？我的旧文件能保留吗？",
        "切换以后，您的旧文件都会原样保留。",
        "专业版每月12元。",
    ),
    "uk": (
        "Скільки коштує тариф Pro на місяць? Чи збережуться мої старі файли?",
        "Усі ваші старі файли залишаться на місці після переходу.",
        "Pro коштує 120 грн на місяць.",
    ),
    "ru": (
        "Сколько стоит тариф Pro в месяц? Сохранятся ли мои старые файлы?",
        "Все ваши старые файлы останутся на месте после перехода.",
        "Pro стоит 450 рублей в месяц.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_how_much_needs_an_amount(lang):
    message, files, price = HOW_MUCH[lang]
    assert unanswered(files, lang, message) == [1]
    assert unanswered(f"{price} {files}", lang, message) == []


WHY = {
    "en": (
        "Why was my card declined? Can I pay with Google Pay instead?",
        "Yes, Google Pay works: choose it on the payment page instead of the card.",
        "Your card was declined because it expired in February.",
        "We are checking the cause with the bank, and I will write to you by Friday 13 March.",
    ),
    "zh": (
        "我的银行卡为什么被拒了？可以用支付宝付款吗？",
        "可以用支付宝，在付款页面选择支付宝就行。",
        "银行卡被拒是因为它二月份已经过期。",
        "我们正在和银行核查原因，3月13日（周五）前给您答复。",
    ),
    "uk": (
        "Чому мою картку відхилено? Чи можна оплатити через Google Pay?",
        "Так, Google Pay у нас працює: на сторінці оплати виберіть його замість картки.",
        "Картку відхилено, тому що термін її дії закінчився в лютому.",
        "Причину ми з'ясовуємо з банком, і я напишу вам до п'ятниці, 13 березня.",
    ),
    "ru": (
        "Почему мою карту отклонили? Можно ли оплатить через Google Pay?",
        "Да, Google Pay у нас работает: на странице оплаты выберите его вместо карты.",
        "Карту отклонили, потому что срок её действия истёк в феврале.",
        "Причину мы выясняем с банком, и я напишу вам до пятницы, 13 марта.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_why_among_several_questions_needs_a_reason_given_or_being_found(lang):
    message, other, reason, finding_out = WHY[lang]
    assert unanswered(other, lang, message) == [1]
    assert unanswered(f"{reason} {other}", lang, message) == []
    assert unanswered(f"{other} {finding_out}", lang, message) == []


CAUSE_NAMED = {
    "en": (
        "When will you return my money? And why is my account still blocked?",
        "We will return the money to your card by Friday.",
        "The automatic payment check blocked the account, and today we unblocked it.",
    ),
    "zh": (
        "你们什么时候退钱？为什么我的账户到现在还被冻结？",
        "退款会在周五前退回到您的银行卡。",
        "账户是被系统的自动支付检查冻结的，今天我们已经解冻了。",
    ),
    "uk": (
        "Коли ви повернете мої гроші? І чому мій акаунт досі заблоковано?",
        "Гроші повернемо на вашу картку до п'ятниці.",
        "Акаунт заблокувала автоматична перевірка платежу, і сьогодні ми його розблокували.",
    ),
    "ru": (
        "Когда вы вернёте мои деньги? И почему мой аккаунт до сих пор заблокирован?",
        "Деньги вернём на вашу карту до пятницы.",
        "Аккаунт заблокировала автоматическая проверка платежа, и сегодня мы его разблокировали.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_why_is_answered_by_a_sentence_that_names_the_cause(lang):
    """No reason word ("because"), but a sentence about that question alone names what did it:
    an answer, not a passing mention."""
    message, money, cause = CAUSE_NAMED[lang]
    assert unanswered(money, lang, message) == [2]
    assert unanswered(f"{money} {cause}", lang, message) == []


DURATION = {
    "en": (
        "How many days does delivery to Poland take?",
        "Delivery to Poland takes three to five working days.",
        "We deliver to Poland with our usual courier.",
    ),
    "zh": (
        "寄到波兰要几天？",
        "寄到波兰需要三到五个工作日。",
        "我们用平常合作的快递寄到波兰。",
    ),
    "uk": (
        "Скільки днів іде доставка до Польщі?",
        "Доставка до Польщі триває від трьох до п'яти робочих днів.",
        "До Польщі ми доставляємо звичайною кур'єрською службою.",
    ),
    "ru": (
        "Сколько дней идёт доставка в Польшу?",
        "Доставка в Польшу занимает от трёх до пяти рабочих дней.",
        "В Польшу мы доставляем обычной курьерской службой.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_duration_in_words_answers_how_many_days(lang):
    message, duration, no_duration = DURATION[lang]
    assert unanswered(duration, lang, message) == []
    assert unanswered(no_duration, lang, message) == [1]
