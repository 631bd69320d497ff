"""question-list: two or more questions to the customer in running text instead of a numbered list.

Counts direct questions ("Which plan are you on?") and indirect ones ("please tell me which
team…"). Questions already in a list, courtesy formulas ("Is there anything else I can help
with?") and the draft's own rhetorical Q&A ("Why did this happen? A card update failed.") do
not count. The fix moves the questions into a numbered list.
"""

from __future__ import annotations

import re

from mannerly.etiquette.rules import Context, Finding, fix
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import is_list_item

RULE = "question-list"
SEVERITY = "warning"
CHECKLIST = "keep-it-simple"

_QUESTION_END = re.compile(r"[?？][\s\"'”’»)\]）]*$")
_CLAUSE = re.compile(r"[,;，；:：]")
# A second question joined into the same sentence: "which size … and whether …".
MORE_ASKED = {
    "en": re.compile(
        r"\b(?:and|or)\s+(?:whether|if|which|what|when|where|how|shall|will|would|could|can|do|does|"
        r"did|is|are)\b",
        re.IGNORECASE,
    ),
    "uk": re.compile(
        r"(?<!\w)(?:а також|а ще|і|та|або)\s+(?:чи|як|коли|де|який|яка|яке|які|скільки)(?!\w)",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:а также|а еще|и|или)\s+(?:[а-яё]+\s+ли|как|когда|где|какой|какая|какое|какие|сколько)(?!\w)",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"(?:以及|还有|并且|和)(?:是否|要不要|能否|是不是|需不需要|可不可以)"),
}
SECOND_PERSON = {
    "en": re.compile(r"\b(?:you|your|yours|you'd|you'll|you're|you've|u)\b", re.IGNORECASE),
    "zh": re.compile(r"[您你]"),
    "uk": re.compile(
        r"(?<!\w)(?:ви|вас|вам|вами|ваш\w*|ти|тебе|тобі|твій|твоє|твоя)(?!\w)", re.IGNORECASE
    ),
    "ru": re.compile(
        r"(?<!\w)(?:вы|вас|вам|вами|ваш\w*|ты|тебя|тебе|твой|твоя|твоё)(?!\w)", re.IGNORECASE
    ),
}


def _ends_as_question(sentence: str) -> bool:
    """Whether the sentence ends with a question mark (closing quotes and brackets aside). The
    pattern is searched only when there is a question mark: a search tries every character."""
    return ("?" in sentence or "？" in sentence) and bool(_QUESTION_END.search(sentence))


def questions_to_customer(ctx: Context) -> list[tuple[int, int]]:
    return list(ctx.memo(RULE + ".asked", lambda: _questions_to_customer(ctx)))


def _questions_to_customer(ctx: Context) -> list[tuple[int, int]]:
    doc = ctx.draft
    body_start, body_end = layout(doc).body
    sentences = [s for s in doc.sentences if body_start <= s[0] < body_end]
    found: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(sentences):
        line_start = doc.own_text.rfind("\n", 0, start) + 1
        if is_list_item(doc.own_text[line_start:end]):
            continue
        sentence = doc.prose[start:end]
        if doc.hits_between(RULE + ".skip", start, end):
            continue
        direct = _ends_as_question(sentence)
        if direct:
            follows = sentences[i + 1] if i + 1 < len(sentences) else None
            same_paragraph = follows is not None and "\n\n" not in doc.own_text[end : follows[0]]
            if (
                same_paragraph
                and follows is not None
                and not _ends_as_question(doc.prose[follows[0] : follows[1]])
                and not SECOND_PERSON[doc.lang].search(sentence)
            ):
                continue  # the draft asks itself and answers
            found.append((start, end))
            # "Please let me know which card, and could you send a screenshot?" asks twice.
            last_clause = max(
                (m.end() for m in _CLAUSE.finditer(doc.prose, start, end)), default=start
            )
            if any(h.end <= last_clause for h in doc.hits_between(RULE, start, end)):
                found.append((start, end))
        elif doc.hits_between(RULE, start, end):
            found.append((start, end))
        else:
            continue
        found.extend((start, end) for _ in MORE_ASKED[doc.lang].finditer(doc.prose, start, end))
    return found


def check(ctx: Context) -> list[Finding]:
    return list(ctx.memo(RULE, lambda: _check(ctx)))


def _check(ctx: Context) -> list[Finding]:
    asked = questions_to_customer(ctx)
    if len(asked) < 2:
        return []
    questions = sorted(set(asked))
    start, end = questions[0][0], questions[-1][1]
    return [
        ctx.finding(
            RULE,
            SEVERITY,
            start,
            end,
            f"{len(asked)} questions to the customer are in running text.",
            suggestion="Put them in a numbered list so each gets an answer.",
            fix=numbered(ctx, questions),
            code="question-list.running-text",
            params={"count": len(asked)},
        )
    ]


def numbered(ctx: Context, questions: list[tuple[int, int]]) -> dict:
    """Replace the stretch from the first to the last question with the other sentences, then
    the questions as a numbered list."""
    doc = ctx.draft
    text = doc.raw
    start, end = questions[0][0], questions[-1][1]
    others = []
    for s, e in doc.sentences:
        if start <= s and e <= end and (s, e) not in questions:
            others.append(text[s:e])
    items = "\n".join(f"{n}. {text[s:e]}" for n, (s, e) in enumerate(questions, 1))
    lead = " ".join(others)
    replacement = (lead + "\n\n" if lead else "") + items
    if start > 0 and text[start - 1] != "\n":
        replacement = "\n\n" + replacement
    return fix(start, end, replacement)
