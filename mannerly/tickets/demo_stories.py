"""The demo's conversations: a dozen hand-written stories and the everyday requests around them.

A story is a customer, a subject and steps. Each step is ``(hours after the first message, kind,
...)``: ``in`` a customer message, ``out`` an agent's reply, ``note`` an internal note, ``assign``
a change of owner (with its handover note), ``status`` a status change, ``flag`` a customer flag,
``auto`` an automatic reply from the customer's mailbox.
"""

STORIES = [
    {
        "customer": "anna@example.com",
        "subject": "Charged twice for the March invoice",
        "tags": ["billing", "refund"],
        "steps": [
            (
                0,
                "in",
                "Hello,\n\nI was charged twice for invoice INV-2291 this month (two payments of "
                "$49.00 on March 3). Can you refund the second charge? And will my renewal date "
                "change because of this?\n\nThanks,\nAnna",
            ),
            (
                0.5,
                "note",
                "mei",
                "Stripe shows two captures 40 seconds apart; the second one is a "
                "retry after a gateway timeout. Safe to refund.",
            ),
            (
                1,
                "out",
                "mei",
                "Hi Anna,\n\nThank you for letting us know, and sorry for the "
                "trouble. You are right: the second payment of $49.00 was a duplicate. I have "
                "refunded it today; your bank will show it within 5 business days.\n\nYour renewal "
                "date stays the same: April 3.\n\nIn short: the duplicate is refunded and nothing "
                "else changes. If the refund has not appeared by March 12, just reply to this email."
                "\n\nMei Lin\nMannerly Support",
                "solved",
            ),
            (30, "in", "Got it, thank you so much for the quick help!"),
        ],
    },
    {
        "customer": "james.carter@example.com",
        "subject": "Export still broken",
        "tags": ["bug", "export", "escalated"],
        "priority": 3,
        "steps": [
            (
                0,
                "in",
                "Your CSV export cuts off after 1,000 rows. Is there a limit I don't know about?",
            ),
            (
                2,
                "out",
                "mei",
                "Hi James,\n\nThank you for reporting this. There is no limit on "
                "exports; I have asked our engineers to look at it and will write to you by Thursday "
                "with what they find.\n\nMei Lin\nMannerly Support",
                "open",
            ),
            (
                70,
                "in",
                "This is the THIRD time I write about this. Still no answer and my "
                "quarterly report is due Friday. I want to talk to a manager, not another agent.",
            ),
            (71, "note", "mei", "Customer is angry and asked for a manager. Handing to Sofia."),
            (
                71.2,
                "assign",
                "mei",
                "sofia",
                "Promised an answer by Thursday (missed). Export "
                "truncation reproduced by engineering: fix ships Friday. Customer needs the full "
                "report before Friday noon; offer a manual export.",
            ),
            (
                72,
                "out",
                "sofia",
                "Hi James,\n\nI'm Sofia, I lead the support team. I'm sorry: "
                "we promised you an answer by Thursday and did not keep that promise. I understand "
                "how frustrating that is with your report due.\n\nHere is where things stand:\n"
                "1. The export problem is confirmed and the fix ships on Friday.\n2. Today I am "
                "sending you the full export as a file myself, so your report is not delayed.\n\n"
                "I will write again on Friday once the fix is live.\n\nSofia Brown\nSupport Lead",
                "open",
            ),
        ],
    },
    {
        "customer": "olena@example.ua",
        "subject": "Повернення коштів за скасоване замовлення",
        "tags": ["billing", "refund", "legal"],
        "priority": 3,
        "steps": [
            (
                0,
                "in",
                "Добрий день. Я скасувала замовлення №4471 ще 2 тижні тому, а гроші досі не "
                "повернули. Коли я отримаю свої 2 300 грн?",
            ),
            (
                5,
                "out",
                "oleh",
                "Добрий день, Олено!\n\nДякуємо, що написали. Повернення "
                "оформлене, кошти надійдуть на картку протягом 3 робочих днів.\n\nOleh Kovalenko\n"
                "Служба підтримки Mannerly",
                "pending",
            ),
            (
                100,
                "in",
                "Пишу вже втретє! Гроші так і не надійшли. Якщо до п'ятниці не поверне"
                "те кошти, я звернуся до Держспоживзахисту і до суду.",
            ),
            (
                100.5,
                "note",
                "oleh",
                "Повернення застрягло: банк відхилив транзакцію через "
                "закриту картку. Потрібні нові реквізити. Юридична погроза — повідомив Софію.",
            ),
            (
                101,
                "out",
                "oleh",
                "Олено, добрий день!\n\nЩиро перепрошую: ви чекаєте надто "
                "довго, і я розумію ваше обурення. Я з'ясував причину: банк повернув платіж, бо "
                "картка, з якої ви платили, закрита.\n\nЩоб повернути 2 300 грн сьогодні ж, "
                "надішліть, будь ласка, номер нової картки або IBAN у відповідь на цей лист.\n\n"
                "Щойно отримаю реквізити, надішлю кошти і підтвердження вам.\n\nOleh Kovalenko\n"
                "Служба підтримки Mannerly",
                "pending",
            ),
        ],
    },
    {
        "customer": "wang.fang@example.cn",
        "subject": "感谢你们的帮助",
        "tags": ["feedback"],
        "steps": [
            (
                0,
                "in",
                "你好，我们公司的账户昨天无法登录，今天早上你们的同事帮我们解决了。"
                "非常感谢！请问以后遇到类似问题，最快的联系方式是什么？",
            ),
            (
                1,
                "out",
                "mei",
                "王女士，您好！\n\n感谢您的反馈，很高兴问题已经解决。以后如遇到"
                "登录问题，最快的方式是直接回复本邮件或在客户门户提交请求，我们会在一小时内回复。"
                "\n\n祝工作顺利！\nMei Lin\nMannerly 客服团队",
                "solved",
            ),
        ],
    },
    {
        "customer": "andrey@example.ru",
        "subject": "Синхронизация склада останавливается ночью",
        "tags": ["bug", "integration", "long-job"],
        "steps": [
            (
                0,
                "in",
                "Здравствуйте! Каждую ночь около 03:00 синхронизация склада с 1С "
                "останавливается с ошибкой timeout. Подскажите, пожалуйста, в чём может быть "
                "причина?",
            ),
            (
                3,
                "out",
                "oleh",
                "Андрей, здравствуйте!\n\nСпасибо за подробное описание. Чтобы "
                "найти причину, нам нужны журналы синхронизации. Пожалуйста:\n1. Включите подробный "
                "журнал в настройках интеграции.\n2. Пришлите файл sync.log после следующей ночи.\n\n"
                "Как только получим журнал, разберём его в течение рабочего дня.\n\nOleh Kovalenko"
                "\nСлужба поддержки Mannerly",
                "pending",
            ),
            (
                50,
                "note",
                "oleh",
                "Ждём журнал от клиента. Если не пришлёт до понедельника — напомнить.",
            ),
            (
                75,
                "out",
                "oleh",
                "Андрей, добрый день!\n\nНапоминаю о журнале синхронизации: как "
                "только пришлёте sync.log, мы сразу возьмёмся за разбор.\n\nOleh Kovalenko\n"
                "Служба поддержки Mannerly",
                "pending",
            ),
        ],
    },
    {
        "customer": "s.smirnov@example.ru",
        "subject": "ВЕРНИТЕ ДЕНЬГИ",
        "tags": ["billing", "abuse"],
        "steps": [
            (
                0,
                "flag",
                "sofia",
                "abusive",
                "Оскорблял сотрудников по телефону 12 марта. "
                "Отвечать вежливо и по делу; при повторе — передать руководителю.",
            ),
            (
                0,
                "in",
                "Вы там совсем идиоты?! Третий раз пишу, верните деньги за подписку, бездельники.",
            ),
            (
                1,
                "out",
                "oleh",
                "Сергей, здравствуйте.\n\nМне жаль, что вам пришлось писать "
                "несколько раз. Подписка отменена, деньги за неиспользованный месяц (990 ₽) "
                "вернутся на карту в течение 3 рабочих дней.\n\nOleh Kovalenko\nСлужба поддержки "
                "Mannerly",
                "pending",
            ),
        ],
    },
    {
        "customer": "petro@example.ua",
        "subject": "Затримка доставки ноутбука",
        "tags": ["delivery"],
        "steps": [
            (
                0,
                "in",
                "Доброго дня! Замовив ноутбук 10 днів тому, трек-номер не оновлюється. "
                "Підкажіть, будь ласка, де моє замовлення?",
            ),
            (
                2,
                "out",
                "oleh",
                "Петре, доброго дня!\n\nДякую, що звернулися. Я написав до "
                "служби доставки і повідомлю вам відповідь до 17:00 завтра.\n\nOleh Kovalenko\n"
                "Служба підтримки Mannerly",
                "open",
            ),
            (
                20,
                "assign",
                "oleh",
                "mei",
                "Обіцяв відповідь до 17:00 завтра. Запит до Нової "
                "пошти надіслано, номер звернення NP-55821. Чекаємо на їхню відповідь.",
            ),
        ],
    },
    {
        "customer": "priya@example.co.uk",
        "subject": "Can I add a second admin to our account?",
        "tags": ["account"],
        "steps": [
            (
                0,
                "in",
                "Hi there, could you tell me how to add a second admin to our account? "
                "Our office manager needs access to invoices.\n\nPriya",
            ),
            (
                1.5,
                "out",
                "mei",
                "Hi Priya,\n\nThanks for asking. Go to Settings → Team, click "
                '"Invite", enter your office manager\'s email and choose the Admin role. They '
                "will see invoices as soon as they accept the invitation.\n\nMei Lin\nMannerly "
                "Support",
                "solved",
            ),
        ],
    },
    {
        "customer": "li.wei@example.cn",
        "subject": "需要开具增值税专用发票",
        "tags": ["billing", "invoice"],
        "steps": [
            (0, "in", "您好，请问三月份的订单能开增值税专用发票吗？需要提供哪些资料？"),
        ],
    },
    {
        "customer": "irina.petrova@example.ru",
        "subject": "Не приходит код подтверждения",
        "tags": ["account", "urgent"],
        "priority": 4,
        "steps": [
            (
                0,
                "in",
                "Срочно! Не приходит SMS с кодом, не могу войти, а через час отчёт для "
                "налоговой. Помогите, пожалуйста!",
            ),
        ],
    },
    {
        "customer": "niamh@example.ie",
        "subject": "Wrong VAT number on invoices",
        "tags": ["billing", "invoice"],
        "steps": [
            (
                0,
                "in",
                "Hello, our VAT number is IE6388047V but the last three invoices show an "
                "old one. Could you reissue them?",
            ),
            (
                4,
                "out",
                "oleh",
                "Hi Niamh,\n\nThank you for spotting this. I have updated the "
                "VAT number on your account and reissued the three invoices; you will find them in "
                "Billing → Invoices.\n\nOleh Kovalenko\nMannerly Support",
                "pending",
            ),
            (
                6,
                "auto",
                "Automatic reply: I am out of the office until Monday with limited "
                "access to email.",
            ),
        ],
    },
]

# Everyday requests per language: (subject, customer message, agent reply, customer follow-up).
# Placeholders: {greet} how the agent greets this customer, {agent} the agent's name,
# {order} an order number, {amount} a sum, {day} a day of the month.
EVERYDAY = {
    "en": [
        (
            "Invoice copy for order {order}",
            "Hi, could you send me a copy of the invoice for "
            "order {order}? Our accountant needs it.",
            "Hi {greet},\n\nThank you for your "
            "message. I have attached the invoice for order {order}; you can also download it any "
            "time under Billing → Invoices.\n\n{agent}\nMannerly Support",
            "Perfect, thanks!",
        ),
        (
            "Password reset email not arriving",
            "I asked for a password reset three times but no email arrives. What should I do?",
            "Hi {greet},\n\nThanks for letting us know. The "
            "reset emails were blocked by your company's spam filter; I have sent a new link to "
            "you directly. It works for 24 hours.\n\n{agent}\nMannerly Support",
            "",
        ),
        (
            "Change of billing address",
            "Hello, we moved offices. Please update our billing "
            "address to 12 Harbour Street, Leeds LS1 4AB.",
            "Hi {greet},\n\nThank you. Your "
            "billing address is now 12 Harbour Street, Leeds LS1 4AB, and the next invoice will "
            "show it.\n\n{agent}\nMannerly Support",
            "",
        ),
        (
            "Refund status",
            "Hi, I returned my order {order} on the {day}th. When will I get the {amount} back?",
            "Hi {greet},\n\nThank you for your patience. We received your "
            "return and refunded {amount} today; it reaches your card within 5 business days."
            "\n\n{agent}\nMannerly Support",
            "Thanks a lot.",
        ),
        (
            "App crashes on startup",
            "The mobile app crashes as soon as I open it since the last update. iPhone 13, iOS 18.",
            "Hi {greet},\n\nThank you for the details, they helped. "
            "Version 4.2.1, out today, fixes this crash: please update from the App Store.\n\n"
            "{agent}\nMannerly Support",
            "Updated, works again!",
        ),
        (
            "Upgrade to annual plan",
            "Can we switch to the annual plan mid-cycle? Will we get credit for this month?",
            "Hi {greet},\n\nThanks for asking. Yes: you can switch "
            "any time under Billing → Plan, and the unused part of this month is credited "
            "automatically.\n\n{agent}\nMannerly Support",
            "",
        ),
    ],
    "zh": [
        (
            "订单 {order} 的发票",
            "您好，请问订单 {order} 的发票什么时候能开好？",
            "{greet}，您好！"
            "\n\n感谢您的耐心等待。订单 {order} 的电子发票已经开好，已发送到您的邮箱，也可以在"
            "“账单 → 发票”中下载。\n\n{agent}\nMannerly 客服团队",
            "收到，谢谢！",
        ),
        (
            "退款进度查询",
            "你好，我{day}号退的货，{amount}什么时候能退回？",
            "{greet}，您好！\n\n"
            "感谢您的来信。我们已收到退货，{amount}已于今天退回，预计 5 个工作日内到账。\n\n"
            "{agent}\nMannerly 客服团队",
            "好的，谢谢。",
        ),
        (
            "无法登录账户",
            "在吗？我的账户突然登录不了，提示密码错误，但密码没改过。",
            "{greet}，您好！\n\n感谢您联系我们。为了账户安全，系统在多次尝试后暂时锁定了登录。"
            "我已经为您解锁，请用原密码重新登录即可。\n\n{agent}\nMannerly 客服团队",
            "",
        ),
        (
            "修改收货地址",
            "您好，订单 {order} 还没发货，能帮我改一下收货地址吗？新地址是上海市"
            "浦东新区世纪大道 100 号。",
            "{greet}，您好！\n\n感谢您及时告知。订单 {order} 的收货"
            "地址已改为上海市浦东新区世纪大道 100 号，预计明天发货。\n\n{agent}\nMannerly 客服团队",
            "太好了，谢谢！",
        ),
        (
            "App 闪退",
            "更新以后 App 一打开就闪退，手机是华为 Mate 60。",
            "{greet}，您好！\n\n"
            "感谢您的反馈。今天发布的 4.2.1 版本已经修复了这个问题，请在应用商店更新后再试。"
            "\n\n{agent}\nMannerly 客服团队",
            "",
        ),
    ],
    "uk": [
        (
            "Рахунок до замовлення {order}",
            "Доброго дня! Надішліть, будь ласка, рахунок до "
            "замовлення {order}, він потрібен бухгалтерії.",
            "{greet}, доброго дня!\n\nДякуємо "
            "за звернення. Рахунок до замовлення {order} надіслав вам на пошту; також його можна "
            "завантажити в розділі «Оплата → Рахунки».\n\n{agent}\nСлужба підтримки Mannerly",
            "Отримала, дякую!",
        ),
        (
            "Коли повернуть кошти?",
            "Добрий день. Повернула товар {day} числа. Коли повернуть {amount}?",
            "{greet}, добрий день!\n\nДякуємо за терпіння. Повернення отримали, "
            "{amount} відправили сьогодні, кошти надійдуть протягом 5 робочих днів.\n\n{agent}\n"
            "Служба підтримки Mannerly",
            "Дякую.",
        ),
        (
            "Не можу змінити пароль",
            "Підкажіть, будь ласка, як змінити пароль, бо кнопка «Зберегти» неактивна.",
            "{greet}, вітаю!\n\nДякую, що написали. Кнопка стає "
            "активною, коли новий пароль має щонайменше 10 символів. Спробуйте, будь ласка, "
            "довший пароль.\n\n{agent}\nСлужба підтримки Mannerly",
            "Вийшло, дякую!",
        ),
        (
            "Зміна тарифу",
            "Чи можна перейти на річний тариф посеред місяця?",
            "{greet}, "
            "доброго дня!\n\nДякую за питання. Так, перейти можна будь-коли в розділі «Оплата → "
            "Тариф»; невикористані дні цього місяця зарахуємо автоматично.\n\n{agent}\nСлужба "
            "підтримки Mannerly",
            "",
        ),
        (
            "Не приходить лист підтвердження",
            "Реєструюся вже втретє, а листа з підтвердженням так і немає.",
            "{greet}, добрий день!\n\nПерепрошую за незручності. Лист потрапляв "
            "у фільтр вашого поштового сервера; я підтвердив вашу адресу вручну, можна входити."
            "\n\n{agent}\nСлужба підтримки Mannerly",
            "",
        ),
    ],
    "ru": [
        (
            "Счёт к заказу {order}",
            "Здравствуйте! Пришлите, пожалуйста, счёт к заказу {order} для бухгалтерии.",
            "{greet}, здравствуйте!\n\nСпасибо за обращение. Счёт к заказу "
            "{order} отправил вам на почту, также его можно скачать в разделе «Оплата → Счета»."
            "\n\n{agent}\nСлужба поддержки Mannerly",
            "Получила, спасибо!",
        ),
        (
            "Возврат денег",
            "Добрый день. Вернул товар {day} числа, когда вернут {amount}?",
            "{greet}, добрый день!\n\nСпасибо за терпение. Возврат получили, {amount} отправили "
            "сегодня, деньги придут в течение 5 рабочих дней.\n\n{agent}\nСлужба поддержки "
            "Mannerly",
            "Спасибо.",
        ),
        (
            "Не работает выгрузка в Excel",
            "Подскажите, пожалуйста, почему выгрузка отчёта в Excel зависает на 90%?",
            "{greet}, здравствуйте!\n\nСпасибо, что сообщили. Выгрузка "
            "зависала на отчётах больше 50 000 строк; исправление вышло сегодня, попробуйте ещё "
            "раз.\n\n{agent}\nСлужба поддержки Mannerly",
            "Заработало!",
        ),
        (
            "Смена e-mail в аккаунте",
            "Как поменять адрес почты в аккаунте? Старый ящик больше не работает.",
            "{greet}, добрый день!\n\nСпасибо за вопрос. Откройте «Профиль → "
            "Почта», введите новый адрес и подтвердите его по ссылке из письма.\n\n{agent}\n"
            "Служба поддержки Mannerly",
            "",
        ),
        (
            "Двойное списание",
            "Здравствуйте, с карты дважды списали {amount} за один заказ "
            "{order}. Верните, пожалуйста, лишнее.",
            "{greet}, здравствуйте!\n\nСпасибо, что "
            "написали, и извините за неудобство. Второе списание {amount} было ошибкой; деньги "
            "уже возвращены и придут в течение 3 рабочих дней.\n\n{agent}\nСлужба поддержки "
            "Mannerly",
            "",
        ),
    ],
}

AMOUNTS = {"en": "${n}.00", "zh": "{n} 元", "uk": "{n} грн", "ru": "{n} ₽"}
