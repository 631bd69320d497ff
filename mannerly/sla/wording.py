"""What the desk says to customers on its own: the acknowledgement, when the answer will come,
and the update draft an agent starts from, in English, Chinese, Ukrainian and Russian.

These are customer-facing texts in the customer's language (not the agent's interface
language), so they are kept here as data; teams override the acknowledgement through
``AcknowledgementTemplate``. Month and weekday names come from Django's locale data, except where
a preposition needs its own case (Ukrainian and Russian "on Monday").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import dateformat, translation

LANGUAGES = ("en", "zh", "uk", "ru")
# Customer languages (tickets) to Django locale names.
DJANGO_LOCALE = {"en": "en", "zh": "zh-hans", "uk": "uk", "ru": "ru"}

DEFAULT_ACKNOWLEDGEMENTS = {
    "en": (
        "Hello {customer_name},\n\n"
        "thank you for writing to us. We have received your request and opened ticket "
        "#{ticket_id} (\u201c{ticket_subject}\u201d) for it.\n\n"
        "A member of our team will send you a full answer {answer_by}. If you have anything to "
        "add, simply reply to this email so that everything stays in one place.\n\n"
        "Kind regards,\n{team_name}"
    ),
    "zh": (
        "{customer_name}，您好！\n\n"
        "感谢您联系我们。我们已收到您的请求，并为其创建了工单 #{ticket_id}（\u201c{ticket_subject}\u201d）。\n\n"
        "我们的工作人员将于{answer_by}给您完整的答复。如需补充信息，请直接回复此邮件，以便所有内容都记录在同一工单中。\n\n"
        "此致\n{team_name}"
    ),
    "uk": (
        "Вітаємо, {customer_name}!\n\n"
        "Дякуємо, що звернулися до нас. Ми отримали ваш запит і створили для нього звернення "
        "#{ticket_id} («{ticket_subject}»).\n\n"
        "Повну відповідь ми надішлемо {answer_by}. Якщо захочете щось додати, просто дайте "
        "відповідь на цей лист — так усе збережеться в одному місці.\n\n"
        "З повагою,\n{team_name}"
    ),
    "ru": (
        "Здравствуйте, {customer_name}!\n\n"
        "Спасибо, что обратились к нам. Мы получили ваш запрос и создали для него обращение "
        "#{ticket_id} («{ticket_subject}»).\n\n"
        "Полный ответ мы пришлём {answer_by}. Если захотите что-то добавить, просто ответьте на "
        "это письмо — так всё сохранится в одном месте.\n\n"
        "С уважением,\n{team_name}"
    ),
}

DEFAULT_TEAM_NAME = {
    "en": "The support team",
    "zh": "客服团队",
    "uk": "Служба підтримки",
    "ru": "Служба поддержки",
}

# {time} is HH:MM in the customer's zone; {date} the day and month; {weekday} as the language
# needs it after its preposition.
ANSWER_BY = {
    "en": {
        "today": "by {time} your time today",
        "tomorrow": "by {time} your time tomorrow",
        "later": "by {time} your time on {weekday}, {date}",
        "soon": "very soon",
        "unknown": "as soon as we can",
    },
    "zh": {
        "today": "今天 {time}（您的当地时间）前",
        "tomorrow": "明天 {time}（您的当地时间）前",
        "later": "{date}（{weekday}）{time}（您的当地时间）前",
        "soon": "尽快",
        "unknown": "尽快",
    },
    "uk": {
        "today": "сьогодні до {time} за вашим часом",
        "tomorrow": "завтра до {time} за вашим часом",
        "later": "до {time} за вашим часом {weekday}, {date}",
        "soon": "найближчим часом",
        "unknown": "якнайшвидше",
    },
    "ru": {
        "today": "сегодня до {time} по вашему времени",
        "tomorrow": "завтра до {time} по вашему времени",
        "later": "до {time} по вашему времени {weekday}, {date}",
        "soon": "в ближайшее время",
        "unknown": "как можно скорее",
    },
}

# "on Monday" ... "on Sunday" with the preposition and the case it takes.
WEEKDAY_ON = {
    "uk": [
        "у понеділок",
        "у вівторок",
        "у середу",
        "у четвер",
        "у п\u2019ятницю",
        "у суботу",
        "у неділю",
    ],
    "ru": [
        "в понедельник",
        "во вторник",
        "в среду",
        "в четверг",
        "в пятницу",
        "в субботу",
        "в воскресенье",
    ],
}

# Day and month as each language writes them (Django's format characters; E = genitive month).
DATE_FORMAT = {"en": "F j", "zh": "n月j日", "uk": "j E", "ru": "j E"}

UPDATE_DRAFT = {
    "en": {
        "greeting": "Hello {customer_name},",
        "intro": "here is an update on your request #{ticket_id} (\u201c{ticket_subject}\u201d).",
        "since": "Since our last message:",
        "nothing": "We are still working on it and have not forgotten you.",
        "assigned": "{name} is now taking care of your request.",
        "priority": "We have raised the priority of your request.",
        "closing": "We will write to you again as soon as there is news.",
        "signoff": "Kind regards,",
    },
    "zh": {
        "greeting": "{customer_name}，您好！",
        "intro": "以下是您的请求 #{ticket_id}（\u201c{ticket_subject}\u201d）的最新进展。",
        "since": "自我们上次联系以来：",
        "nothing": "我们仍在处理中，并没有忘记您的请求。",
        "assigned": "现在由{name}负责处理您的请求。",
        "priority": "我们已提高了您的请求的优先级。",
        "closing": "一有新进展，我们会立即通知您。",
        "signoff": "此致",
    },
    "uk": {
        "greeting": "Вітаємо, {customer_name}!",
        "intro": "Ось новини щодо вашого звернення #{ticket_id} («{ticket_subject}»).",
        "since": "Від нашого останнього листа:",
        "nothing": "Ми й далі працюємо над ним і не забули про вас.",
        "assigned": "Тепер вашим зверненням опікується {name}.",
        "priority": "Ми підвищили пріоритет вашого звернення.",
        "closing": "Ми напишемо вам знову, щойно будуть новини.",
        "signoff": "З повагою,",
    },
    "ru": {
        "greeting": "Здравствуйте, {customer_name}!",
        "intro": "Сообщаем новости по вашему обращению #{ticket_id} («{ticket_subject}»).",
        "since": "С момента нашего последнего письма:",
        "nothing": "Мы продолжаем работать над ним и не забыли о вас.",
        "assigned": "Теперь вашим обращением занимается {name}.",
        "priority": "Мы повысили приоритет вашего обращения.",
        "closing": "Мы напишем вам снова, как только появятся новости.",
        "signoff": "С уважением,",
    },
}


def language_of(code: str) -> str:
    """A customer language we write in (``zh-hans`` is ``zh``); English when unknown."""
    code = (code or "en").lower()
    if code.startswith("zh"):
        return "zh"
    return code if code in LANGUAGES else "en"


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, LookupError):
        return ZoneInfo("UTC")


def answer_by(due: datetime | None, now: datetime, zone_name: str, language: str) -> str:
    """When the full answer will come, as the customer reads it in their own zone and language.

    "by 14:00 your time today", "завтра до 09:30 за вашим часом", "10月26日（星期一）10:00（您的当地时间）前".
    """
    language = language_of(language)
    phrases = ANSWER_BY[language]
    if due is None:
        return phrases["unknown"]
    if due <= now:
        return phrases["soon"]
    zone = zone_of(zone_name)
    local_due, local_now = due.astimezone(zone), now.astimezone(zone)
    time_text = f"{local_due:%H:%M}"
    if local_due.date() == local_now.date():
        return phrases["today"].format(time=time_text)
    if local_due.date() == local_now.date() + timedelta(days=1):
        return phrases["tomorrow"].format(time=time_text)
    with translation.override(DJANGO_LOCALE[language]):
        date_text = dateformat.format(local_due, DATE_FORMAT[language])
        if language in WEEKDAY_ON:
            weekday = WEEKDAY_ON[language][local_due.weekday()]
        else:
            weekday = dateformat.format(local_due, "l")
    return phrases["later"].format(time=time_text, weekday=weekday, date=date_text)
