"""questions-answered: every question of the customer's message gets an answer in the reply.

Each question is paired with the stretch of the reply (two sentences) that shares most of its
topic words: lemmas in Ukrainian and Russian, words with synonyms folded ("refund" = "money
back"), and jieba words plus character pairs in Chinese; numbers count as topic words. A question
is answered when that stretch covers its topic and gives the kind of answer it wants: a time or
date for "when", an amount for "how much", steps or a link for "how", a reason for "why".
A bare nudge ("Any news?", "Ну что там?") is answered by any substantive reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mannerly.etiquette import lexicon as lx
from mannerly.etiquette.document import Document
from mannerly.etiquette.questions import Question
from mannerly.etiquette.rules import Context, Finding, quoted
from mannerly.etiquette.rules.vague_eta import concrete_time
from mannerly.etiquette.structure import layout

RULE = "questions-answered"
SEVERITY = "error"
CHECKLIST = "understand-the-request"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_AMOUNT = re.compile(
    r"[$€£¥₴₽]\s?\d|\d\s?(?:[$€£¥₴₽]|usd|eur|gbp|uah|rub|грн|гривень|гривні|руб|рублей|рубля|元|块"
    r"|美元|欧元|%|dollars|euros|pounds|cents)|\d|free|no charge|безкоштовно|бесплатно|免费",
    re.IGNORECASE,
)
_HAN_PAIR = re.compile("[\u3400-\u9fff]{2}")


@dataclass
class Answer:
    question: Question
    answered: bool


def topic_words(doc: Document, start: int, end: int) -> set[str]:
    """Words of a stretch that carry its topic, folded to a common form."""
    stop = lx.word_set(doc.lang, "stop")
    synonyms = lx.synonyms(doc.lang)
    out: set[str] = set()
    for tok in doc.tokens_between(start, end):
        if doc.in_quote(tok.start, tok.end) and doc.kind == "draft":
            continue
        if tok.kind == "num":
            out.add(tok.text)
            continue
        norm = tok.norm
        if norm in stop or (len(norm) < 2 and tok.kind != "han"):
            continue
        if tok.kind == "han":
            if len(norm) >= 2:
                out.add(synonyms.get(norm, norm))
                out.update("~" + norm[i : i + 2] for i in range(len(norm) - 1))
            continue
        out.add(synonyms.get(norm, norm))
    return out


def answers(ctx: Context) -> list[Answer]:
    """Whether the reply answers each of the customer's questions, in order."""
    if ctx.message is None:
        return []
    cached = ctx.__dict__.get("_answers")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    draft = ctx.draft
    body_start, body_end = layout(draft).body
    sentences = [s for s in draft.sentences if s[1] > body_start and s[0] < body_end] or list(
        draft.sentences
    )
    windows = []
    for i, (s, e) in enumerate(sentences):
        end = sentences[i + 1][1] if i + 1 < len(sentences) else e
        windows.append((s, end, topic_words(draft, s, end)))
    substantive = sum(draft.word_count(s, e) for s, e in sentences) >= 4 or draft.size() >= 8
    out = [Answer(q, _answered(ctx, q, windows, substantive)) for q in ctx.questions]
    ctx.__dict__["_answers"] = out
    return out


def _answered(
    ctx: Context, q: Question, windows: list[tuple[int, int, set[str]]], substantive: bool
) -> bool:
    message = ctx.message
    assert message is not None
    topic = topic_words(message, q.start, q.end)
    if not topic:
        return substantive
    best: tuple[int, int, int] | None = None
    for s, e, words in windows:
        shared = len(topic & words)
        if best is None or shared > best[0]:
            best = (shared, s, e)
    if best is None:
        return False
    shared, s, e = best
    han_pairs = {w for w in topic if w.startswith("~")}
    whole_words = len(topic) - len(han_pairs)
    if ctx.lang == "zh" and han_pairs:
        need = max(1, min(2, len(han_pairs) // 3))
    else:
        need = 1 if whole_words <= 2 else 2
    if shared < need:
        return False
    draft = ctx.draft
    if q.kind == "when":
        return concrete_time(draft, s, e) or _any_window(draft, windows, topic, concrete_time)
    if q.kind == "amount":
        return bool(_AMOUNT.search(draft.prose, s, e))
    return True


def _any_window(draft: Document, windows, topic: set[str], test) -> bool:  # type: ignore[no-untyped-def]
    return any(topic & words and test(draft, s, e) for s, e, words in windows)


def check(ctx: Context) -> list[Finding]:
    out = []
    for n, answer in enumerate(answers(ctx), 1):
        if answer.answered:
            continue
        text = answer.question.text
        shown = text if len(text) <= 120 else text[:117] + "…"
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                0,
                0,
                f"Question {n} is not answered: {quoted(shown)}",
                suggestion="Answer it, or say when you will.",
            )
        )
    return out
