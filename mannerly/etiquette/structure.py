"""The parts of a reply: its opening line, its body and its sign-off."""

from __future__ import annotations

from dataclasses import dataclass

from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document

MAX_SIGNOFF_LINES = 5
_SENTENCE_END = (".", "?", "。", "？", ":", "：", ";")


@dataclass(frozen=True)
class Layout:
    lines: tuple[tuple[int, int], ...]  # non-empty lines, trimmed
    opening: tuple[int, int] | None  # the first line (or its first sentence when it is long)
    greeting_line: bool  # the opening is a line of its own (a salutation), not body text
    signoff: int | None  # where the closing and signature begin
    body: tuple[int, int]  # between the salutation and the sign-off


def content_lines(text: str) -> list[tuple[int, int]]:
    out = []
    for s, e in tx.line_spans(text):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def layout(doc: Document) -> Layout:
    return _layout(doc)


def _layout(doc: Document) -> Layout:
    cached = doc.__dict__.get("_layout")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    text = doc.own_text
    lines = content_lines(text)
    if not lines:
        result = Layout((), None, False, None, (0, 0))
        doc.__dict__["_layout"] = result
        return result
    first_s, first_e = lines[0]
    opening = (first_s, first_e)
    tokens = doc.tokens_between(first_s, first_e)
    greeting_line = len(tokens) <= 12 and len(lines) > 1
    if len(tokens) > 15:
        sentence = doc.sentences[doc.sentence_at(first_s)] if doc.sentences else opening
        end = min(sentence[1], first_e)
        if len(doc.tokens_between(first_s, end)) > 20:
            end = tokens[19].end
        opening = (first_s, end)
    signoff = signoff_start(doc, lines)
    body_start = first_e if greeting_line else first_s
    body_end = signoff if signoff is not None and signoff >= body_start else len(text)
    result = Layout(tuple(lines), opening, greeting_line, signoff, (body_start, body_end))
    doc.__dict__["_layout"] = result
    return result


def is_closing_line(doc: Document, start: int, end: int) -> bool:
    """ "Best regards," / "З повагою," / "此致" (perhaps followed by a name on the same line)."""
    hits = doc.hits_between("signature.closing", start, end)
    if not hits:
        return False
    first = doc.tokens_between(start, end)
    if not first or hits[0].first != _index(doc, first[0].start):
        return False
    rest = doc.tokens_between(hits[-1].end, end)
    return len(rest) <= 3


def _index(doc: Document, offset: int) -> int:
    from bisect import bisect_left

    return bisect_left(doc.token_starts, offset)


def is_short_line(doc: Document, start: int, end: int) -> bool:
    """A signature-like line: a few words, no sentence punctuation at the end."""
    line = doc.own_text[start:end].rstrip()
    words = doc.tokens_between(start, end)
    if doc.lang == "zh" and tx.HAN_RE.search(line):
        size = sum(t.end - t.start for t in words if t.kind == "han") + sum(
            1 for t in words if t.kind != "han"
        )
        return size <= 12 and not line.endswith(_SENTENCE_END)
    return 0 < len(words) <= 6 and not line.endswith(_SENTENCE_END)


def signoff_start(doc: Document, lines: list[tuple[int, int]]) -> int | None:
    """The offset where the closing formula (or, without one, the signature lines) begins."""
    if len(lines) < 2:
        return None
    tail = lines[-MAX_SIGNOFF_LINES:]
    for s, e in tail:
        if (s, e) != lines[0] and is_closing_line(doc, s, e):
            return s
    # No closing formula: trailing short lines (a name, a title, a company) form the signature.
    start = None
    for s, e in reversed(lines[1:][-3:]):
        if is_short_line(doc, s, e):
            start = s
        else:
            break
    return start
