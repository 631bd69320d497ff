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

from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document
from mannerly.etiquette.lexicon import Hit

_ENDS_WITH_QUESTION = re.compile(
    r"[?？][?？!！\s\"'”’»)\]）」』\U0001F000-\U0001FFFF\u2600-\u27bf]*$"
)
_ANGRY_QUESTION = re.compile(r"(?:[?？]+[!！]+|[!！]+[?？]+)[?？!！]*[\s\"'”’»)\]）]*$")
_ANGRY_FIRST = re.compile(r"[?？!！]")  # where an _ANGRY_QUESTION match can begin
_ENDS_WITH_BANG = re.compile(r"[!！][\s\"'”’»)\]）\U0001F000-\U0001FFFF\u2600-\u27bf]*$")
_ZH_PARTICLE = re.compile(r"(?:吗|嗎|呢|么|麼)[\s。.，,~～…]*$")
_ANNOUNCES = re.compile(
    r"question|питан|вопрос|问题|几件事|两件事|几个问题|кілька|несколько|a few things|two things",
    re.IGNORECASE,
)
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
        if all(t.kind == "num" for t in doc.tokens_between(start, end)):
            continue
        q = classify(doc, start, end, sentence)
        if q is not None:
            out.extend(_split(doc, q))
    return out


_JOINS = re.compile(
    r",\s*(?:а також|а ще|а также|а еще|а ещё|and also|as well as|and|plus)\s+"
    r"|[，,]\s*(?:还有|另外|以及|并且|同时)|[；;]\s*"
    # "кому його надіслати і чи можна підписати…", "…и можно ли…", "…and whether…"
    r"|\s+(?:і|й|та|а)\s+(?=чи\s)|\s+(?:и|а)\s+(?=[^\W\d_]+\s+ли\s)|,?\s+and\s+(?=whether\s)",
    re.IGNORECASE,
)
_JOINS_FIRST = re.compile(r"[,，；;\s]")  # where a _JOINS match can begin


def _asks(doc: Document, start: int, end: int) -> bool:
    if re.search(r"[?？]", doc.prose[start:end]) or doc.hits_between(
        "question.particle", start, end
    ):
        return True
    for name in ("question.indirect", "question.request"):
        if any("start" not in h.entry.tags for h in doc.hits_between(name, start, end)):
            return True
    return bool(
        [h for h in doc.hits_between("question.request", start, end) if at_start(doc, h, start)]
        or [h for h in doc.hits_between("question.opener", start, end) if at_start(doc, h, start)]
    )


def _split(doc: Document, q: Question) -> list[Question]:
    """ "Пришлите инструкцию, а также скажите, нужно ли обновлять прошивку" asks twice."""
    cuts = list(tx.finditer_from(_JOINS_FIRST, _JOINS, doc.prose, q.start, q.end))
    if not cuts:
        return [q]
    bounds = [q.start] + [m.end() for m in cuts]
    ends = [m.start() for m in cuts] + [q.end]
    parts = [(s, e) for s, e in zip(bounds, ends, strict=True) if e > s]
    if len(parts) < 2 or not all(_asks(doc, s, e) for s, e in parts):
        return [q]
    out = []
    for s, e in parts:
        text = doc.raw[s:e].rstrip(" ,，")
        kind = question_type(doc, s, e, False)
        out.append(Question(text, s, s + len(text), kind, q.explicit, q.hits))
    return out


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
    if rhetorical_hits(doc, start, end):
        return None
    openers = [
        h for h in doc.hits_between("question.opener", start, end) if at_start(doc, h, start)
    ]
    if openers and not explicit and sentence.rstrip("\"'”’»)） ").endswith((".", "!", "。", "！")):
        openers = []  # "How I wish…!" / "Як я вже писав." are statements
    indirect = doc.hits_between("question.indirect", start, end)
    requests = command_requests(doc, start, end)
    asks = explicit or bool(openers) or bool(indirect) or bool(requests)
    if doc.lang == "zh" and not asks and _ZH_PARTICLE.search(sentence):
        asks = True
    if not asks:
        return None
    if sentence.rstrip().endswith((":", "：")) and _ANNOUNCES.search(sentence):
        return None  # "I have a few questions:" announces the questions that follow
    if not explicit and _ENDS_WITH_BANG.search(sentence) and not (indirect or requests):
        return None  # "How dare you!" / "What a mess!"
    text = doc.raw[start:end]
    kind = question_type(doc, start, end, bool(requests) and not explicit)
    return Question(text, start, end, kind, explicit, openers + indirect + requests)


def rhetorical_hits(doc: Document, start: int, end: int) -> list[Hit]:
    """Rhetorical anger in a sentence: "Скільки можна?!", "How many times do I have to ask?!".

    Entries tagged ``alone`` ("Hello?", "Серйозно?") are rhetorical only as a sentence of their
    own, not as the greeting of a longer one; entries tagged ``angry`` ("还要等多久", "how long do
    I have to wait") only with angry punctuation ("?!"), since with a plain "?" they ask for a
    time the reply should give.
    """
    found = doc.hits_between("question.rhetorical", start, end)
    if not found:
        return found  # most sentences: no need to count words or read the punctuation
    words = sum(1 for t in doc.tokens_between(start, end) if t.kind != "num")
    angry = angry_question(doc, start, end)
    return [
        h
        for h in found
        if ("alone" not in h.entry.tags or words <= 3) and ("angry" not in h.entry.tags or angry)
    ]


def rhetorical_weight(doc: Document) -> float:
    """Rhetorical anger questions in the customer's new words (see rhetorical_hits): one for
    each such sentence, one and a half when it ends in "?!"."""
    total = 0.0
    if not doc.hits.any("question.rhetorical"):
        return total  # most messages: no sentence to look at
    for start, end in doc.sentences:
        if rhetorical_hits(doc, start, end):
            total += 1.5 if angry_question(doc, start, end) else 1.0
    return total


def angry_question(doc: Document, start: int, end: int) -> bool:
    """Whether the sentence ends in "?!" or "!?" (and more marks, quotes, brackets)."""
    return tx.search_from(_ANGRY_FIRST, _ANGRY_QUESTION, doc.prose, start, end)


def command_requests(doc: Document, start: int, end: int) -> list[Hit]:
    """Requests phrased as commands: "please send…", "поверніть гроші", "请尽快发货"."""
    out = []
    for hit in doc.hits_between("question.request", start, end):
        if "start" in hit.entry.tags and not at_start(doc, hit, start):
            continue
        out.append(hit)
    return out


def question_type(doc: Document, start: int, end: int, request: bool) -> str:
    """What kind of answer the question wants: a time, an amount, a place, steps, a reason…"""
    found = [
        h
        for h in doc.hits_between("question.type", start, end)
        if h.entry.tags
        and ("start" not in h.entry.tags or at_start(doc, h, start))
        and not any(n.start <= h.start < n.end for n in doc.all_hits.get("flag.not-urgent"))
    ]
    if found:
        found.sort(key=lambda h: (h.start, h.start - h.end))
        return sorted(found[0].entry.tags - {"start"})[0]
    return "request" if request else "yesno"
