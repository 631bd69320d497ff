"""rude: rudeness, sarcasm, condescension and shouting (insults, "calm down", ALL-CAPS sentences)."""

from __future__ import annotations

import re

from mannerly.etiquette.rules import Context, Finding, phrase_findings

RULE = "rude"
SEVERITY = "error"
CHECKLIST = "stay-positive"

_LETTERS = re.compile(r"[^\W\d_]{2,}")
_BANGS = re.compile(r"[!！]{3,}")
_HAN = re.compile("[\u3400-\u9fff]")


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
    """Sentences of three or more words written entirely in capitals (acronyms alone aside)."""
    doc = ctx.draft
    found = []
    for start, end in doc.sentences:
        sentence = doc.prose[start:end]
        if _BANGS.search(sentence) and not doc.in_quote(start, end):
            found.append((start, end))  # "请先看说明书！！！" shouts in any script
            continue
        if _HAN.search(sentence):
            continue
        first = _LETTERS.search(sentence)
        if first is None or not first.group().isupper():
            continue  # a first word in lower case: not all of them are capitals
        words = _LETTERS.findall(sentence)
        if len(words) < 3:
            continue
        shouted = all(w.isupper() for w in words) and sum(len(w) >= 3 for w in words) >= 3
        if shouted and not doc.in_quote(start, end):
            found.append((start, end))
    return found
