"""The demo's cast: a support team and forty customers writing in four languages."""

from mannerly.accounts.models import User

DEMO_LOGINS = [
    ("oleh", "oleh-demo-pass", "agent (Ukrainian, Russian, English)"),
    ("mei", "mei-demo-pass", "agent (Chinese, English)"),
    ("sofia", "sofia-demo-pass", "supervisor"),
    ("admin", "admin-demo-pass", "admin"),
    ("anna", "anna-demo-pass", "customer (Anna Smith, portal)"),
]

# username, display name, role, UI language, time zone, signature
STAFF = [
    (
        "oleh",
        "Oleh Kovalenko",
        User.Role.AGENT,
        "uk",
        "Europe/Kyiv",
        "Oleh Kovalenko\nMannerly Support",
    ),
    ("mei", "Mei Lin", User.Role.AGENT, "zh-hans", "Asia/Shanghai", "Mei Lin\nMannerly Support"),
    (
        "sofia",
        "Sofia Brown",
        User.Role.SUPERVISOR,
        "en",
        "Europe/London",
        "Sofia Brown\nSupport Lead",
    ),
    ("admin", "Desk Admin", User.Role.ADMIN, "en", "UTC", "Desk Admin"),
]

ORGANIZATIONS = [
    ("Northwind Traders", "northwind.example"),
    ("深圳星河科技", "xinghe.example.cn"),
    ("ТОВ Карпати Софт", "karpaty.example.ua"),
    ("ООО Волга Логистик", "volga.example.ru"),
]

# name, email, language, time zone, organisation index or None, how to greet them
CUSTOMERS = [
    ("Anna Smith", "anna@example.com", "en", "America/New_York", 0, "Anna"),
    ("James Carter", "james.carter@example.com", "en", "America/Chicago", 0, "James"),
    ("Priya Patel", "priya@example.co.uk", "en", "Europe/London", None, "Priya"),
    ("Niamh O'Brien", "niamh@example.ie", "en", "Europe/Dublin", None, "Niamh"),
    ("Tom Becker", "tom.becker@example.com", "en", "America/Los_Angeles", 0, "Tom"),
    ("Sarah Johnson", "sarah.j@example.com", "en", "America/New_York", None, "Sarah"),
    ("David Kim", "david.kim@example.com", "en", "Asia/Seoul", None, "David"),
    ("Emily Davis", "emily.davis@example.com", "en", "Australia/Sydney", None, "Emily"),
    ("Michael Brown", "m.brown@example.com", "en", "Europe/London", 0, "Michael"),
    ("Laura Nguyen", "laura.nguyen@example.com", "en", "America/Toronto", None, "Laura"),
    ("王芳", "wang.fang@example.cn", "zh", "Asia/Shanghai", 1, "王女士"),
    ("李伟", "li.wei@example.cn", "zh", "Asia/Shanghai", 1, "李先生"),
    ("张敏", "zhang.min@example.cn", "zh", "Asia/Shanghai", None, "张女士"),
    ("刘洋", "liu.yang@example.cn", "zh", "Asia/Shanghai", 1, "刘先生"),
    ("陈静", "chen.jing@example.cn", "zh", "Asia/Taipei", None, "陈女士"),
    ("杨磊", "yang.lei@example.cn", "zh", "Asia/Shanghai", None, "杨先生"),
    ("赵丽", "zhao.li@example.cn", "zh", "Asia/Shanghai", 1, "赵女士"),
    ("黄强", "huang.qiang@example.cn", "zh", "Asia/Hong_Kong", None, "黄先生"),
    ("周婷", "zhou.ting@example.cn", "zh", "Asia/Shanghai", None, "周女士"),
    ("吴军", "wu.jun@example.cn", "zh", "Asia/Shanghai", 1, "吴先生"),
    ("Олена Коваль", "olena@example.ua", "uk", "Europe/Kyiv", 2, "Олено"),
    ("Петро Шевченко", "petro@example.ua", "uk", "Europe/Kyiv", 2, "Петре"),
    ("Андрій Мельник", "andrii.melnyk@example.ua", "uk", "Europe/Kyiv", None, "Андрію"),
    ("Ірина Бондаренко", "iryna.b@example.ua", "uk", "Europe/Kyiv", 2, "Ірино"),
    ("Тарас Ткаченко", "taras@example.ua", "uk", "Europe/Kyiv", None, "Тарасе"),
    ("Наталія Кравченко", "natalia.k@example.ua", "uk", "Europe/Kyiv", None, "Наталіє"),
    ("Оксана Литвин", "oksana@example.ua", "uk", "Europe/Kyiv", 2, "Оксано"),
    ("Богдан Савченко", "bohdan@example.ua", "uk", "Europe/Kyiv", None, "Богдане"),
    ("Марія Руденко", "maria.r@example.ua", "uk", "Europe/Kyiv", None, "Маріє"),
    ("Юрій Поліщук", "yurii@example.ua", "uk", "Europe/Kyiv", 2, "Юрію"),
    ("Андрей Иванов", "andrey@example.ru", "ru", "Europe/Moscow", 3, "Андрей"),
    ("Ирина Петрова", "irina.petrova@example.ru", "ru", "Europe/Moscow", 3, "Ирина"),
    ("Сергей Смирнов", "s.smirnov@example.ru", "ru", "Asia/Yekaterinburg", None, "Сергей"),
    ("Наталья Кузнецова", "natalia@example.ru", "ru", "Europe/Moscow", None, "Наталья"),
    ("Дмитрий Попов", "d.popov@example.ru", "ru", "Asia/Novosibirsk", 3, "Дмитрий"),
    ("Елена Соколова", "elena.s@example.ru", "ru", "Europe/Moscow", None, "Елена"),
    ("Алексей Лебедев", "alexey@example.ru", "ru", "Europe/Samara", 3, "Алексей"),
    ("Ольга Новикова", "olga.n@example.ru", "ru", "Europe/Moscow", None, "Ольга"),
    ("Михаил Морозов", "m.morozov@example.ru", "ru", "Europe/Moscow", None, "Михаил"),
    ("Татьяна Волкова", "t.volkova@example.ru", "ru", "Asia/Vladivostok", 3, "Татьяна"),
]
