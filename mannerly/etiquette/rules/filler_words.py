"""filler-words: words that add nothing ("just", "basically", "其实", "власне кажучи", "собственно говоря").

A suggestion, with a one-click fix that removes the words (and the comma or space they leave).
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding, fix, phrase, quoted

RULE = "filler-words"
SEVERITY = "suggestion"
CHECKLIST = "cut-extra-words"


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    out: list[Finding] = []
    last_end = -1
    for hit in sorted(doc.hits.get(RULE), key=lambda h: (h.start, -h.end)):
        if hit.start < last_end:
            continue
        word = doc.raw[hit.start : hit.end]
        if word[:1].isupper() and hit.start not in doc.sentence_starts and doc.lang != "zh":
            continue  # "Just Eat", a name, not filler
        last_end = hit.end
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                hit.start,
                hit.end,
                f"{quoted(doc.raw[hit.start : hit.end])} adds nothing.",
                suggestion="Leave it out.",
                fix=removal(ctx, hit.start, hit.end, hit.entry.replace),
                code="filler-words.phrase",
                params={"phrase": phrase(word)},
            )
        )
    return out


def removal(ctx: Context, start: int, end: int, shorter: str | None = None) -> dict:
    """The exact edit that removes the words (or puts the shorter wording in their place) and
    keeps the sentence well formed: no doubled space, no stray comma, a capital at the start."""
    text = ctx.draft.raw
    sentence_start = start in ctx.draft.sentence_starts
    if shorter:
        if sentence_start:
            shorter = shorter[:1].upper() + shorter[1:]
        return fix(start, end, shorter)
    if ctx.draft.lang == "zh":
        if text[end : end + 1] in ("，", ","):
            end += 1
        return fix(start, end, "")
    if text[end : end + 1] == ",":
        end += 1
        while text[end : end + 1] == " ":
            end += 1
    elif text[end : end + 1] == " ":
        end += 1
    elif start > 0 and text[start - 1] == " ":
        start -= 1
        sentence_start = False
    if sentence_start and end < len(text) and text[end].islower():
        return fix(start, end + 1, text[end].upper())
    return fix(start, end, "")
