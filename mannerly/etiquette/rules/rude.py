"""rude: rudeness, sarcasm, condescension and shouting (insults, "calm down", ALL-CAPS sentences)."""

from __future__ import annotations

import re

from mannerly.etiquette.rules import Context, Finding, phrase_findings

RULE = "rude"
SEVERITY = "error"
CHECKLIST = "stay-positive"

_BANGS = re.compile(r"[!！]{3,}")


def check(ctx: Context) -> list[Finding]:
    out = phrase_findings(
        ctx,
        RULE,
        SEVERITY,
        RULE,
        "{phrase} sounds rude or condescending.",
        suggestion="Say it the way you would to a customer you respect.",
        code="rude.phrase",
    )
    taken = [(f.start, f.end) for f in out]
    for start, end in shouted_sentences(ctx):
        if any(s < end and start < e for s, e in taken):
            continue
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                start,
                end,
                "A sentence in capitals reads as shouting.",
                suggestion="Write it in normal case; use bold or a short list for what matters.",
                code="rude.shouting",
            )
        )
    return out


def shouted_sentences(ctx: Context) -> list[tuple[int, int]]:
    """Sentences in capitals, and sentences with "!!!" ("请先看说明书！！！" shouts in any
    script), in text order."""
    doc = ctx.draft
    capitals = set(doc.capital_sentences)
    # _BANGS has no first character sre can skip to: it is tried at every character, so not at
    # all in a reply without an exclamation mark.
    bangs = "!" in doc.prose or "！" in doc.prose
    return [
        (start, end)
        for start, end in doc.sentences
        if (start, end) in capitals
        or (bangs and _BANGS.search(doc.prose, start, end) and not doc.in_quote(start, end))
    ]
