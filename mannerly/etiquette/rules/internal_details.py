"""internal-details: the reply exposes the internal kitchen.

Staff illness or holidays, internal tools and ticket numbers ("our Jira DEV-4411"), and who is to
blame inside ("our developer forgot", "翻译生病了", "наш перекладач захворів"). Naming a team
("our billing team will refund you") is fine, and so is the company owning a mistake ("we made a
mistake"). A staff word and an absence or mistake word must meet in one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from mannerly.etiquette import morph
from mannerly.etiquette.lexicon import Entry, Hit
from mannerly.etiquette.rules import Context, Finding, phrase, quoted

RULE = "internal-details"
SEVERITY = "error"
CHECKLIST = "proofread"
SUGGESTION = "Tell the customer what happens next; keep who and why inside the team."

_PERSON = Entry(RULE + ".staff", "<a colleague's name>", tags=frozenset({"name"}))
_TICKET_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-\d{1,6}\b")
_INTERNAL_PREFIXES = frozenset(
    [
        "DEV",
        "BUG",
        "ENG",
        "OPS",
        "QA",
        "INFRA",
        "BE",
        "FE",
        "CORE",
        "PLAT",
        "JIRA",
        "INT",
        "TECH",
        "IT",
        "SEC",
        "DATA",
        "SRE",
        "API",
        "APP",
        "WEB",
        "MOB",
        "PROD",
        "SUP",
        "BACK",
        "FRONT",
    ]
)
_KEY_CONTEXT = re.compile(
    r"jira|internal|bug|tracker|backlog|engineering|developer|dev team|sprint|внутрішн|внутренн"
    r"|баг|розробник|разработчик|内部|开发|研发|工单|缺陷",
    re.IGNORECASE,
)


def _named_people(doc, start: int, end: int) -> list[Hit]:  # type: ignore[no-untyped-def]
    """Colleagues named by first name ("Марина зараз у відпустці"), as staff hits."""
    if doc.lang not in ("uk", "ru"):
        return []
    out = []
    first = bisect_left(doc.token_starts, start)
    for offset, tok in enumerate(doc.tokens_between(start, end)):
        readings = morph.parses(doc.lang, tok.text) if tok.text[:1].isupper() else ()
        if tok.kind == "word" and any("Name" in tags for _, tags in readings):
            out.append(Hit(_PERSON, first + offset, first + offset + 1, tok.start, tok.end))
    return out


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    out: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, message: str, *, code: str) -> None:
        """A finding naming draft[start:end]; ``message`` holds ``{phrase}``."""
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        words = phrase(doc.raw[start:end])
        message = message.format(phrase=quoted(words))
        params = {"phrase": words}
        out.append(
            ctx.finding(
                RULE, SEVERITY, start, end, message, suggestion=SUGGESTION, code=code, params=params
            )
        )

    for hit in doc.hits.get(RULE) + doc.hits.get(RULE + ".tools"):
        add(hit.start, hit.end, "{phrase} is internal detail.", code="internal-details.phrase")
    for start, end in doc.sentences:
        staff = doc.hits_between(RULE + ".staff", start, end) + _named_people(doc, start, end)
        if not staff:
            continue
        absence = doc.hits_between(RULE + ".absence", start, end)
        mistake = doc.hits_between(RULE + ".mistake", start, end)
        people = [h for h in staff if "self" not in h.entry.tags]
        pairs = [
            (s, a)
            for s in staff
            for a in absence
            if "self" not in s.entry.tags or 0 <= a.first - s.last <= 3
        ]
        pairs += [(s, m) for s in people for m in mistake]
        if pairs:
            who, what = pairs[0]
            lo, hi = min(who.start, what.start), max(who.end, what.end)
            add(
                lo,
                hi,
                "{phrase} tells the customer about your staff.",
                code="internal-details.staff",
            )
    for m in _TICKET_KEY.finditer(doc.prose) if "-" in doc.prose else ():
        index = doc.sentence_at(m.start())
        sentence = doc.sentences[index] if doc.sentences else (0, len(doc.prose))
        if m.group(1) in _INTERNAL_PREFIXES or _KEY_CONTEXT.search(doc.prose, *sentence):
            add(
                *m.span(),
                "{phrase} is an internal ticket number.",
                code="internal-details.ticket-number",
            )
    out.sort(key=lambda f: f.start)
    return out
