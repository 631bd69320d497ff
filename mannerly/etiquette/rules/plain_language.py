"""plain-language: jargon a customer may not know, and sentences too long to read easily.

The jargon list is per language plus the team's own (internal system names, product codes); a
term the customer used in their own message is theirs to know and is not flagged. Sentence length
counts words (Han characters in Chinese), thresholds in TeamConfig.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mannerly.etiquette import lexicon as lx
from mannerly.etiquette.rules import Context, Finding, phrase, quoted
from mannerly.etiquette.structure import layout

RULE = "plain-language"
SEVERITY = "warning"
CHECKLIST = "keep-it-simple"


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    out: list[Finding] = []
    theirs = {t.norm for t in ctx.message.tokens} if ctx.message is not None else set()
    theirs_text = ctx.message.prose.lower() if ctx.message is not None else ""
    last_end = -1
    for hit in sorted(doc.hits.get(RULE), key=lambda h: (h.start, -h.end)):
        if hit.start < last_end:
            continue
        norms = [t.norm for t in doc.tokens[hit.first : hit.last]]
        if (norms and all(n in theirs for n in norms)) or doc.raw[
            hit.start : hit.end
        ].lower() in theirs_text:
            continue
        last_end = hit.end
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                hit.start,
                hit.end,
                f"{quoted(doc.raw[hit.start : hit.end])} is jargon a customer may not know.",
                suggestion="Say it in everyday words.",
                code="plain-language.jargon",
                params={"phrase": phrase(doc.raw[hit.start : hit.end])},
            )
        )
    out.extend(acronym_soup(ctx, theirs_text, {(f.start, f.end) for f in out}))
    out.extend(long_sentences(ctx))
    return out


_ACRONYM = re.compile(r"[A-Z](?<![\w-][A-Z])(?:[A-Z]{1,5}s?|[a-z]?[A-Z]{1,4})(?![\w-])")
# = (?<![\w-])(?:[A-Z]{2,6}s?|[A-Z][a-z]?[A-Z]{1,4})(?![\w-]) with the capital first, so the
# engine jumps from capital to capital instead of trying every character


def acronym_soup(ctx: Context, theirs: str, taken: set[tuple[int, int]]) -> list[Finding]:
    """A sentence with two or more acronyms the customer did not use ("SSO", "IdP", "NTP")."""
    doc = ctx.draft
    known = _known_acronyms(doc.lang)
    out = []
    for start, end in doc.sentences:
        found = []
        for m in _ACRONYM.finditer(doc.prose, start, end):
            word = m.group(0)
            if word.lower() in known or word.rstrip("s").lower() in known:
                continue
            if re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", theirs):
                continue
            if word not in found:
                found.append(word)
        if len(found) >= 2 and not any(start <= s < end for s, _ in taken):
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    start,
                    end,
                    f"Acronyms a customer may not know: {', '.join(found)}.",
                    suggestion="Say what they mean in everyday words.",
                    code="plain-language.acronyms",
                    params={"acronyms": found},
                )
            )
    return out


@lru_cache(maxsize=8)
def _known_acronyms(lang: str) -> frozenset[str]:
    """Acronyms every reader knows, in any language and in this one (fixed per process)."""
    return lx.surface_words("common", "acronyms") | lx.surface_words(lang, "acronyms")


def long_sentences(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    zh = doc.lang == "zh"
    limit = ctx.config.threshold(
        "plain-language.sentence-chars" if zh else "plain-language.sentence-words"
    )
    body_start, body_end = layout(doc).body
    out = []
    for start, end in doc.sentences:
        if start < body_start or start >= body_end:
            continue
        size = doc.size(start, end) if zh else doc.word_count(start, end)
        if size > limit:
            unit = "characters" if zh else "words"
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    start,
                    end,
                    f"This sentence has {size} {unit}; it is hard to read in one go.",
                    suggestion="Split it into two or three shorter sentences.",
                    code="plain-language.sentence-chars" if zh else "plain-language.sentence-words",
                    params={"count": size},
                )
            )
    return out
