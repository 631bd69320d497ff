"""vague-eta: a promise of a later answer that does not say when ("we'll get back to you soon").

A vague time word ("soon", "найближчим часом", "尽快") or a promise to come back ("we'll let you
know", "мы свяжемся с вами") fires unless the same or the next sentence gives a concrete time: a
day, a date, an hour, or a duration ("within 24 hours", "до п'ятниці", "两个工作日内").
"""

from __future__ import annotations

import re

from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document
from mannerly.etiquette.rules import Context, Finding, phrase, quoted

RULE = "vague-eta"
SEVERITY = "warning"
CHECKLIST = "understand-the-request"

TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)\b|\d+\s*(?:月|日|号|號|点|點|时|時|小时|小時|天|周|週|年|个工作日|個工作日"
    r"|工作日|分钟|分鐘|个小时|個小時)|(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]"
    r"|[一二两兩三四五六七八九十半]\s*(?:个|個)?\s*(?:小时|小時|工作日|天|周|週|分钟|分鐘|月|年)",
    re.IGNORECASE,
)
# Every TIME match begins with a digit or one of these Han characters.
_TIME_FIRST = re.compile(r"[\d一二两兩三四五六七八九十半周週星礼禮]")


def concrete_time(doc: Document, start: int, end: int) -> bool:
    """Whether the span names a day, a date, an hour or a duration."""
    if doc.hits_between("time", start, end):
        return True
    return tx.search_from(_TIME_FIRST, TIME, doc.prose, start, end)


_REQUEST = re.compile(r"^\W*(?:please|kindly|请您|请|麻烦您|建议您)", re.IGNORECASE)


def _asks_customer(doc: Document, start: int, end: int) -> bool:
    """ "Please change your password as soon as possible" asks the customer; it promises nothing."""
    if _REQUEST.search(doc.prose[start:end]):
        return True
    if doc.lang not in ("uk", "ru"):
        return False
    from mannerly.etiquette import morph

    for tok in doc.tokens_between(start, end)[:4]:
        if any({"impr", "plur"} <= tags for _, tags in morph.parses(doc.lang, tok.text)):
            return True
    return False


def check(ctx: Context) -> list[Finding]:
    return list(ctx.memo(RULE, lambda: _check(ctx)))


def _check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    out: list[Finding] = []
    hits = sorted(doc.hits.get(RULE) + doc.hits.get(RULE + ".promise"), key=lambda h: h.start)
    flagged: set[int] = set()
    for hit in hits:
        index = doc.sentence_at(hit.start)
        if index in flagged or not doc.sentences:
            continue
        start, end = doc.sentences[index]
        if index + 1 < len(doc.sentences):
            end = doc.sentences[index + 1][1]
        if concrete_time(doc, start, end) or _asks_customer(doc, *doc.sentences[index]):
            continue
        flagged.add(index)
        words = quoted(doc.raw[hit.start : hit.end])
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                hit.start,
                hit.end,
                f"{words} does not say when.",
                suggestion="Give a time the customer can hold you to: a day, a date or hours.",
                code="vague-eta.phrase",
                params={"phrase": phrase(doc.raw[hit.start : hit.end])},
            )
        )
    return out
