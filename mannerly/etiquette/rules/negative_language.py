"""negative-language: negative framing ("unfortunately", "we can't", "не можемо", "无法").

Rules judge framing, not keywords: "no problem", "не стесняйтесь", "没问题" are positive and no
list has them; a negation describing the customer's situation ("if you can't log in") is not the
agent's framing, so the lists name the agent's own refusals ("we can't", "我们无法"). Words the
agent quotes from the customer are theirs.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding, phrase, quoted

RULE = "negative-language"
SEVERITY = "warning"
CHECKLIST = "stay-positive"
SUGGESTION = "Say what you can do instead."


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    out: list[Finding] = []
    last_end = -1
    for hit in sorted(doc.hits.get(RULE), key=lambda h: (h.start, -h.end)):
        if hit.start < last_end:
            continue
        last_end = hit.end
        words = quoted(doc.raw[hit.start : hit.end])
        opens = doc.sentences and doc.sentences[doc.sentence_at(hit.start)][0] == hit.start
        message = (
            f"{words} opens on a negative note."
            if opens
            else f"{words} frames the answer negatively."
        )
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                hit.start,
                hit.end,
                message,
                suggestion=SUGGESTION,
                code="negative-language.opens" if opens else "negative-language.frames",
                params={"phrase": phrase(doc.raw[hit.start : hit.end])},
            )
        )
    return out
