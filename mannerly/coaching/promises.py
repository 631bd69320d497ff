"""Promises an agent made in replies: sentences that name a day, a date, a time or a deadline.

"We'll refund it by Thursday", "надішлю до п'ятниці", "明天下午给您回电" — the handover brief shows
them to the agent who takes the ticket over, with the day a weekday or "tomorrow" meant at the
time the reply was written, so "by Thursday" written on a Monday reads as a date.

A small matcher per language, deliberately narrow: a sentence is a promise when it names a
concrete time. The engine's vague-eta rule already pushes agents to write times this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

APOSTROPHE = "['’ʼ`]"

# weekday index (Monday = 0) -> the forms each language writes it in
WEEKDAYS = {
    "en": [
        # Abbreviations only capitalised: "sat", "wed" and "sun" are words too.
        r"monday|(?-i:Mon)",
        r"tuesday|(?-i:Tue|Tues)",
        r"wednesday|(?-i:Wed)",
        r"thursday|(?-i:Thu|Thurs)",
        r"friday|(?-i:Fri)",
        r"saturday|(?-i:Sat)",
        r"sunday|(?-i:Sun)",
    ],
    "uk": [
        r"понеділ(?:ок|ка|ку)",
        r"вівтор(?:ок|ка|ку)",
        r"серед(?:а|и|у|ою)",
        r"четвер(?:га|гу)?",
        rf"п{APOSTROPHE}?ятниц(?:я|і|ю|ею)",
        r"субот(?:а|и|у|ою)",
        r"неділ(?:я|і|ю|ею)",
    ],
    "ru": [
        r"понедельник(?:а|у)?",
        r"вторник(?:а|у)?",
        r"сред(?:а|ы|у|ой)",
        r"четверг(?:а|у)?",
        r"пятниц(?:а|ы|у|ей)",
        r"суббот(?:а|ы|у|ой)",
        r"воскресень(?:е|я|ю)",
    ],
}
ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

RELATIVE = {
    # phrase pattern -> days after the reply
    "en": [
        (r"today|tonight|this (?:morning|afternoon|evening)", 0),
        (r"tomorrow", 1),
        (r"the day after tomorrow", 2),
    ],
    "uk": [(r"сьогодні", 0), (r"завтра", 1), (r"післязавтра", 2)],
    "ru": [(r"сегодня", 0), (r"завтра", 1), (r"послезавтра", 2)],
    "zh": [(r"今天|今晚|今日|今早", 0), (r"明天|明早|明晚|明日", 1), (r"后天|後天", 2)],
}

MONTHS_EN = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
MONTHS_UK = (
    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)
MONTHS_RU = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"

# Other concrete times: durations, dates, clock times, ends of periods.
CONCRETE = {
    "en": [
        r"(?:within|in|under) (?:\d+|an?|one|two|three|four|five|24|48|72) (?:business |working )?(?:hours?|days?|minutes?|weeks?)",
        r"(?:by|before|until|on) (?:the )?end of (?:the )?(?:day|week|month|business day)|\bEOD\b|end of (?:the )?(?:day|week|month)",
        r"(?:next|this) (?:week|month)",
        rf"\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS_EN})|(?:{MONTHS_EN}) \d{{1,2}}(?:st|nd|rd|th)?",
        r"\d{1,2}[:.]\d{2}\s?(?:am|pm)?|\d{1,2}\s?(?:am|pm)|\bnoon\b|\bmidnight\b",
        r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?",
    ],
    "uk": [
        r"(?:протягом|впродовж|за|через) (?:\d+|одн\w+|дв\w+|тр\w+|кільк\w+|пів) ?(?:робоч\w+ )?(?:годин\w*|дн\w+|день|хвилин\w*|тижн\w+|тиждень)",
        r"до кінця (?:дня|тижня|місяця|робочого дня)",
        r"(?:наступного|цього) (?:тижня|місяця)|на (?:наступному|цьому) тижні",
        rf"\d{{1,2}} (?:{MONTHS_UK})",
        r"(?:о|до|після|з) \d{1,2}(?:[:.]\d{2})?(?: год\w*)?|\d{1,2}:\d{2}",
        r"\d{1,2}\.\d{1,2}(?:\.\d{2,4})?",
    ],
    "ru": [
        r"(?:в течение|за|через) (?:\d+|одн\w+|дв\w+|тр\w+|нескольк\w+|пол) ?(?:рабоч\w+ )?(?:час\w*|дн\w+|день|минут\w*|недел\w+)",
        r"до конца (?:дня|недели|месяца|рабочего дня)",
        r"(?:на )?(?:следующей|этой) неделе|(?:в )?(?:следующем|этом) месяце",
        rf"\d{{1,2}} (?:{MONTHS_RU})",
        r"(?:в|до|после|с) \d{1,2}(?:[:.]\d{2})?(?: час\w*)?|\d{1,2}:\d{2}",
        r"\d{1,2}\.\d{1,2}(?:\.\d{2,4})?",
    ],
    "zh": [
        r"(?:\d+|[一二两三四五六七八九十半])\s*(?:个|個)?\s*(?:工作日|小时|小時|天|周|週|分钟|分鐘)(?:内|內|之内|以内)?",
        r"(?:上午|下午|晚上|中午|早上)?\s*\d{1,2}\s*[点點時时](?:\d{1,2}分|半)?",
        r"\d{1,2}\s*月\s*\d{1,2}\s*[日号號]",
        r"(?:下|本|这|這)(?:周|週|星期|个月|個月)(?:[一二三四五六日天])?",
        r"月底|周末|週末|本周内|今天之内",
    ],
}

SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


@dataclass
class Promise:
    sentence: str
    phrase: str
    written_at: datetime
    due: date | None = None  # the day a weekday or "tomorrow" meant when it was written

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def _weekday_pattern(lang: str) -> re.Pattern[str]:
    forms = "|".join(f"(?P<d{i}>{p})" for i, p in enumerate(WEEKDAYS[lang]))
    return re.compile(rf"\b(?:{forms})\b", re.IGNORECASE)


_WEEKDAY = {lang: _weekday_pattern(lang) for lang in WEEKDAYS}
_ZH_WEEKDAY = re.compile(r"(下)?(?:周|週|星期|礼拜|禮拜)([一二三四五六日天])")
_RELATIVE = {
    lang: [(re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE), days) for p, days in items]
    if lang != "zh"
    else [(re.compile(p), days) for p, days in items]
    for lang, items in RELATIVE.items()
}
_CONCRETE = {
    lang: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    for lang, patterns in CONCRETE.items()
}


def _next_weekday(start: date, weekday: int, next_week: bool = False) -> date:
    days = (weekday - start.weekday()) % 7 or 7
    if next_week and days < 7 - start.weekday():
        days += 7
    return start + timedelta(days=days)


def find_promises(text: str, written_at: datetime, lang: str) -> list[Promise]:
    """Sentences of one reply that commit to a time, in order."""
    out = []
    for match in SENTENCE.finditer(text or ""):
        sentence = match.group().strip()
        if not sentence or sentence.startswith(">"):
            continue
        found = _promise_in(sentence, written_at, lang)
        if found is not None:
            out.append(found)
    return out


def _promise_in(sentence: str, written_at: datetime, lang: str) -> Promise | None:
    day = (
        timezone.localtime(written_at).date()
        if timezone.is_aware(written_at)
        else written_at.date()
    )
    langs = [lang] + [lg for lg in ("en", "uk", "ru", "zh") if lg != lang]
    for lg in langs:
        if lg == "zh":
            m = _ZH_WEEKDAY.search(sentence)
            if m:
                due = _next_weekday(day, ZH_WEEKDAY[m.group(2)], next_week=bool(m.group(1)))
                return Promise(sentence, _around(sentence, m), written_at, due)
        elif lg in _WEEKDAY:
            m = _WEEKDAY[lg].search(sentence)
            if m:
                index = int(next(k for k, v in m.groupdict().items() if v)[1:])
                phrase = _with_preposition(sentence, m)
                return Promise(sentence, phrase, written_at, _next_weekday(day, index))
        for pattern, days in _RELATIVE[lg]:
            m = pattern.search(sentence)
            if m:
                return Promise(
                    sentence, _around(sentence, m), written_at, day + timedelta(days=days)
                )
        m = _CONCRETE[lg].search(sentence)
        if m:
            phrase = m.group().strip()
            return Promise(sentence, phrase, written_at, _after_days(day, phrase))
    return None


_PREPOSITION = re.compile(
    r"(?:\b(?:by|before|until|till|on|next|this|до|у|в|во|на|к|ко|наступного|цього|следующего|этого)\s+)$",
    re.IGNORECASE,
)
_DAYS = re.compile(
    r"(\d+)\s*(?:(business|working|робоч\w*|рабоч\w*|个工作|個工作)\s*)?"
    r"(?:days?|дн\w*|день|天|日)",
    re.IGNORECASE,
)


def _with_preposition(sentence: str, m: re.Match[str]) -> str:
    """ "by Thursday", "до п'ятниці": the word that makes a weekday a deadline, when written."""
    before = _PREPOSITION.search(sentence[: m.start()])
    return (before.group() if before else "") + m.group()


def _after_days(day: date, phrase: str) -> date | None:
    """The day "within 3 days" or "3个工作日内" ends, counted from the day it was written."""
    m = _DAYS.search(phrase)
    if not m or int(m.group(1)) > 60:
        return None
    count, business = int(m.group(1)), bool(m.group(2))
    if not business:
        return day + timedelta(days=count)
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _around(sentence: str, m: re.Match[str]) -> str:
    """The matched phrase with a following time of day (明天下午, tomorrow afternoon)."""
    tail = re.match(
        r"\s*(?:上午|下午|晚上|中午|早上|morning|afternoon|evening|вранці|ввечері|вдень|утром|вечером|днём)",
        sentence[m.end() :],
        re.IGNORECASE,
    )
    return (m.group() + (tail.group() if tail else "")).strip()
