"""wall-of-text: a paragraph too long to scan (over ~80 words, or ~200 Chinese characters).

Lists are read line by line, so a long numbered list is not a wall.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import is_list_item, line_spans

RULE = "wall-of-text"
SEVERITY = "warning"
CHECKLIST = "keep-it-simple"


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    zh = doc.lang == "zh"
    limit = ctx.config.threshold("wall-of-text.chars" if zh else "wall-of-text.words")
    body_start, body_end = layout(doc).body
    out: list[Finding] = []
    for start, end in doc.paragraphs:
        if end <= body_start or start >= body_end + 1:
            continue
        size = doc.size(start, end) if zh else doc.word_count(start, end)
        if size > limit and not _is_list(doc.own_text, start, end):
            unit = "characters" if zh else "words"
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    start,
                    end,
                    f"This paragraph has {size} {unit}; it is hard to scan.",
                    suggestion="Break it into short paragraphs or a list.",
                    code="wall-of-text.chars" if zh else "wall-of-text.words",
                    params={"count": size},
                )
            )
    return out


def _is_list(text: str, start: int, end: int) -> bool:
    """Whether most lines of a paragraph are list items (asked only of a long paragraph)."""
    lines = line_spans(text, start, end)
    return sum(is_list_item(text[s:e]) for s, e in lines) >= max(2, len(lines) // 2)
