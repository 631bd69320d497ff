"""Questions a customer asks in their new words, with offsets, and what kind of answer each wants.

A question needs no question mark: "Please tell me how to…", "I'd like to know whether…", "请问…",
"підкажіть, будь ласка…", "подскажите…", a sentence opening with an interrogative ("When will my
order ship"), and a request phrased as a command ("please send the PDF", "поверніть гроші") all
ask for an answer. Rhetorical anger ("Does anyone read my emails?!", "Сколько можно?!") does not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from mannerly.etiquette.document import Document
from mannerly.etiquette.lexicon import Hit

_ENDS_WITH_QUESTION = re.compile(
    r"[?？][?？!！\s\"'”’»)\]）」』\U0001F000-\U0001FFFF\u2600-\u27bf]*$"
)
_ANGRY_QUESTION = re.compile(r"(?:[?？]+[!！]+|[!！]+[?？]+)[?？!！]*[\s\"'”’»)\]）]*$")
_ENDS_WITH_BANG = re.compile(r"[!！][\s\"'”’»)\]）\U0001F000-\U0001FFFF\u2600-\u27bf]*$")
_ZH_PARTICLE = re.compile(r"(?:吗|嗎|呢|么|麼)[\s。.，,~～…]*$")
QUESTION_TYPES = (
    "when",
    "amount",
    "where",
    "how",
    "why",
    "which",
    "who",
    "yesno",
    "request",
    "what",
)


@dataclass
class Question:
    text: str
    start: int
    end: int
    kind: str = "yesno"
    explicit: bool = True  # ends with a question mark
    hits: list[Hit] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end}


def customer_questions(doc: Document) -> list[Question]:
    """Every question of a customer message, in order."""
    if doc.empty:
        return []
    out: list[Question] = []
    for start, end in doc.sentences:
        sentence = doc.prose[start:end]
        words = [t for t in doc.tokens_between(start, end) if t.kind != "num"]
        if not words:
            continue
        q = classify(doc, start, end, sentence)
        if q is not None:
            out.append(q)
    return out


def _sentence_hits(doc: Document, name: str, start: int, end: int) -> list[Hit]:
    return doc.hits_between(name, start, end)


def at_start(doc: Document, hit: Hit, start: int) -> bool:
    """Whether a hit opens its sentence, allowing a few lead words ("Also,", "And", "Hi Anna,")."""
    before = doc.tokens_between(start, hit.start)
    if not before:
        return True
    if len(before) > 4:
        return False
    leads = doc.hits_between("question.lead", start, hit.start)
    covered = {i for h in leads for i in range(h.first, h.last)}
    first = bisect_left(doc.token_starts, before[0].start)
    return all((first + i) in covered for i in range(len(before)))


def classify(doc: Document, start: int, end: int, sentence: str) -> Question | None:
    """A Question when the sentence asks something the agent must answer, else None."""
    explicit = bool(_ENDS_WITH_QUESTION.search(sentence)) or "?" in sentence or "？" in sentence
    words = sum(1 for t in doc.tokens_between(start, end) if t.kind != "num")
    rhetorical = [
        h
        for h in _sentence_hits(doc, "question.rhetorical", start, end)
        if "alone" not in h.entry.tags or words <= 3
    ]
    angry = bool(_ANGRY_QUESTION.search(sentence))
    if rhetorical and (angry or explicit or doc.lang == "zh"):
        return None
    openers = [
        h for h in _sentence_hits(doc, "question.opener", start, end) if at_start(doc, h, start)
    ]
    if openers and not explicit and sentence.rstrip("\"'”’»)） ").endswith((".", "!", "。", "！")):
        openers = []  # "How I wish…!" / "Як я вже писав." are statements
    indirect = _sentence_hits(doc, "question.indirect", start, end)
    requests = _requests(doc, start, end)
    asks = explicit or bool(openers) or bool(indirect) or bool(requests)
    if doc.lang == "zh" and not asks and _ZH_PARTICLE.search(sentence):
        asks = True
    if not asks:
        return None
    if not explicit and _ENDS_WITH_BANG.search(sentence) and not (indirect or requests):
        return None  # "How dare you!" / "What a mess!"
    text = doc.raw[start:end]
    kind = question_type(doc, start, end, bool(requests) and not explicit)
    return Question(text, start, end, kind, explicit, openers + indirect + requests)


def _requests(doc: Document, start: int, end: int) -> list[Hit]:
    """Requests phrased as commands: "please send…", "поверніть гроші", "请尽快发货"."""
    out = []
    for hit in _sentence_hits(doc, "question.request", start, end):
        if "start" in hit.entry.tags and not at_start(doc, hit, start):
            continue
        out.append(hit)
    return out


def question_type(doc: Document, start: int, end: int, request: bool) -> str:
    """What kind of answer the question wants: a time, an amount, a place, steps, a reason…"""
    found = [h for h in doc.hits_between("question.type", start, end) if h.entry.tags]
    if found:
        found.sort(key=lambda h: (h.start, h.start - h.end))
        return sorted(found[0].entry.tags)[0]
    return "request" if request else "yesno"
