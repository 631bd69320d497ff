"""Text as the rules see it: whose words they are, where sentences and paragraphs fall.

Every view of a text here has exactly the length of the input, so an offset found in any view is
an offset into what the agent or customer typed. Words that are not theirs (quoted history, a
mail client's footer, a quoted phrase, code, a URL) are blanked with spaces instead of cut out.
All patterns are linear: no nested quantifiers, bounded line lengths for the header searches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Characters that would break encoders or rules downstream; replaced one for one to keep offsets.
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
# A word: letters (not digits, not underscore, not Han) with inner apostrophes; hyphens split.
WORD = rf"[^\W\d_{HAN}]+(?:['’ʼ`][^\W\d_{HAN}]+)*"
NUMBER = r"\d+(?:[.,:]\d+)*%?"
TOKEN_RE = re.compile(rf"(?P<num>{NUMBER})|(?P<han>[{HAN}]+)|(?P<word>{WORD})")
# The same tokens without groups: findall() then gives plain strings, the fastest way to list them.
TOKEN_TEXT_RE = re.compile(rf"{NUMBER}|[{HAN}]+|{WORD}")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})

MAX_CHARS = 50_000  # what one reply or message can sensibly hold (about 8,000 words)


def analysed_part(text: str) -> tuple[str, bool]:
    """The prefix the engine reads, and whether anything was left out.

    Keeping a prefix keeps every offset valid for the whole text; the rest is reported as
    truncated, never silently dropped.
    """
    if len(text) <= MAX_CHARS:
        return text, False
    return text[:MAX_CHARS], True


def one_byte(text: str) -> bool:
    """Whether every character is below U+0100 (Latin-1), so the text holds no Han, Cyrillic or
    surrogate and a regex scan for them can be skipped: encoding such a string copies its bytes,
    far cheaper than testing a character class at each character."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def lower_for_search(text: str) -> str:
    """The text to search for lower-case words: text.lower(), except that in a Latin-1 text only
    A-Z are lowered. str.lower() of a text with one non-ASCII character (a "£") goes character by
    character through the Unicode tables; bytes.lower() does not, and no Latin-1 character lowers
    to an ASCII one, so an ASCII word is found at the same offsets (and a Cyrillic or Han one
    cannot occur in such a text)."""
    if one_byte(text):
        return text.encode("latin-1").lower().decode("latin-1")
    return text.lower()


def encodable(text: str) -> str:
    """The text with lone surrogates replaced (same length), so it can be written as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def clean(text: str) -> str:
    """The text with lone surrogates and control characters replaced, same length as given.

    A CRLF line end becomes " \n" and a lone CR "\n", so Windows mail breaks lines and
    paragraphs the way "\n" does while every offset still points into the text as given.
    """
    latin1 = one_byte(text)
    if not latin1:
        text = _SURROGATES.sub("\ufffd", text)
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if latin1 and not _has_latin1_control(text):
        return text  # most texts: nothing to replace
    return _CONTROLS.sub(" ", text)


# The characters of _CONTROLS below U+0100, as bytes.
_LATIN1_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _has_latin1_control(text: str) -> bool:
    """Whether a Latin-1 text holds one of _CONTROLS: deleting them from its bytes is a C loop
    over the bytes, several times cheaper than the pattern's search through the text."""
    data = text.encode("latin-1")
    return len(data.translate(None, _LATIN1_CONTROLS)) != len(data)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span with spaces (newlines kept, so lines and paragraphs stay where they are)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        # Line by line: far cheaper than a regex substitution per character.
        parts.append("\n".join(" " * len(line) for line in text[start:end].split("\n")))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# --- quoted history -------------------------------------------------------------------------

_HEADER = re.compile(
    r"""^[ \t]*(?:
      -{2,}[ \t]*(?:original[ \t]+message|forwarded[ \t]+message|исходное[ \t]+сообщение
          |пересылаемое[ \t]+сообщение|пересланное[ \t]+сообщение|оригінальне[ \t]+повідомлення
          |переслане[ \t]+повідомлення|原始邮件|原始郵件|转发邮件|轉寄郵件)[ \t]*-{2,}
    | -{5,}[ \t]*(?:原始邮件|原始郵件)
    | _{10,}[ \t]*$
    | begin[ \t]+forwarded[ \t]+message[ \t]*:
    | on[ \t][^\n]{0,300}(?:\n[^\n]{0,200})?[ \t]wrote[ \t]*:[ \t]*$
    | [^\n]{0,300}(?:在|于)[^\n]{0,300}写道[ \t]*[:：]?[ \t]*$
    | [^\n]{0,300}(?:於)[^\n]{0,300}寫道[ \t]*[:：]?[ \t]*$
    | (?P<cyr>[^\n]{0,300}[ \t](?:пише|написав|написала|написав\(ла\)|написала?\(а\)|пишет|писал
          |писала|писал\(а\)|написал|написала|написал\(а\)|писав|писала?\(а\)))[ \t]*:[ \t]*$
    | (?P<outlook>(?:from|от|від|发件人|寄件者|寄件人)[ \t]*[:：][^\n]{0,300}\n
          (?:[^\n]{0,300}\n){0,3}?[ \t]*(?:sent|date|отправлено|дата|надіслано|відправлено
          |发送时间|日期|寄件日期|時間)[ \t]*[:：])
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)


_HEADER_HINTS = (
    "wrote", "写道", "寫道", "пише", "писал", "написал", "написав", "писав", "original",
    "forwarded", "исходн", "пересла", "оригінальн", "переслан", "原始", "转发", "轉寄", "from:",
    "от:", "від:", "发件人", "寄件者", "寄件人", "__________",
)  # fmt: skip


def _first_hint(low: str) -> int:
    """Where the first of the header hints occurs, or -1. One str.find per hint: a hint with a
    character wider than any of the text's (Cyrillic or Han in an English reply) is refused at
    once, and the others are found by C string search, which costs a fraction of a pass of an
    Aho-Corasick automaton over the text."""
    first = -1
    for hint in _HEADER_HINTS:
        at = low.find(hint)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


def history_start(text: str) -> int | None:
    """Where quoted history begins (a reply header such as "On … wrote:"), or None."""
    first = _first_hint(lower_for_search(text))
    if first < 0:
        return None  # the header pattern is costly; most replies have no history at all
    # A header may start up to two lines before the word that gives it away.
    begin = text.rfind("\n", 0, max(0, text.rfind("\n", 0, first)))
    for m in _HEADER.finditer(text, max(begin, 0)):
        if m.group("cyr"):
            # "… пише:" is also an ordinary phrase; trust it when it looks like a mail header.
            line = m.group(0)
            rest = text[m.end() : m.end() + 400].lstrip("\r\n \t")
            if not (re.search(r"[\d@<]", line) or rest.startswith(">") or len(line.strip()) < 60):
                continue
        return m.start()
    return None


_UNSET = -1


def history_spans(text: str, cut: int | None = _UNSET) -> list[tuple[int, int]]:
    """Spans of quoted history: ">" lines and everything after a reply header (``cut``, when
    the caller has already found it with history_start())."""
    spans = [(m.start(), m.end()) for m in _QUOTED_LINE.finditer(text)] if ">" in text else []
    if cut == _UNSET:
        cut = history_start(text)
    if cut is not None:
        spans.append((cut, len(text)))
    return spans


# --- signatures of customer messages ----------------------------------------------------------

_SIG_DELIMITER = re.compile(r"^-- ?$|^—{1,2}$|^_{3,9}$", re.MULTILINE)
_MOBILE_FOOTER = re.compile(
    r"^[ \t]*(?:sent from my [^\n]{1,40}|get outlook for [^\n]{1,30}|sent from (?:mail|outlook)"
    r"[^\n]{0,30}|отправлено с [^\n]{1,40}|надіслано з [^\n]{1,40}|发自我的[^\n]{1,20}"
    r"|从我的[^\n]{1,20}发送|寄自我的[^\n]{1,20})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_CLOSING = re.compile(
    r"^[ \t]*(?:(?:best|kind|warm|warmest|many|with)?[ \t]*(?:regards|wishes|thanks)"
    r"|thanks?(?: you)?(?: (?:so|very) much)?(?: in advance)?|cheers|sincerely|yours(?: truly| sincerely)?"
    r"|br|respectfully|с уважением|с наилучшими пожеланиями|всего доброго|всего хорошего"
    r"|спасибо(?: заранее)?|заранее спасибо|благодарю|з повагою|дякую(?: заздалегідь)?"
    r"|заздалегідь дякую|щиро|на все добре|всього найкращого|此致(?:敬礼)?|祝好|谢谢|谢谢您|多谢"
    r"|顺祝商祺|敬上|感谢)[ \t]*[,.!！。，]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NAME_LINE = re.compile(
    rf"^[ \t]*(?:[A-ZА-ЯЁІЇЄҐ][^\W\d_{HAN}]+\.?(?:[ \t]+[A-ZА-ЯЁІЇЄҐ][^\W\d_{HAN}]*\.?){{0,3}}"
    rf"|[{HAN}]{{2,4}})[ \t]*$"
)


def signature_spans(text: str, history: int | None = None) -> list[tuple[int, int]]:
    """Spans of a customer's sign-off: "-- " blocks, mobile footers, a closing and the name after.

    Only the last lines are considered, so a "Thanks" in the middle of a message stays.
    """
    end = len(text) if history is None else history
    spans = [(m.start(), m.end()) for m in _MOBILE_FOOTER.finditer(text, 0, end)]
    delim = None
    for m in _SIG_DELIMITER.finditer(text, 0, end):
        delim = m.start()
    if delim is not None and end - delim < 1500:
        spans.append((delim, end))
        end = delim
    lines = _lines(text, 0, end)
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    tail = content[-6:]
    for s, e in tail:
        if (s, e) != content[0] and _CLOSING.match(text, s, e):
            spans.append((s, end))
            return spans
    if len(content) > 1:
        s, e = content[-1]
        if _NAME_LINE.match(text[s:e]):
            spans.append((s, e))
    return spans


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            out.append((pos, end))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


# --- the agent's own prose -------------------------------------------------------------------

_CODE = re.compile(
    r"```[\s\S]{0,20000}?```|`[^`\n]{1,500}`|(?:^|(?<=\n))(?: {4,}|\t)[^\n]{1,500}"
)  # fenced, inline, and lines indented as a code block
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'«»“”（）]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_QUOTES = re.compile(
    r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|„[^“”\n]{1,300}[“”]|«[^»\n]{1,300}»|「[^」\n]{1,300}」'
    r"|『[^』\n]{1,300}』|‘[^’\n]{1,300}’|'(?<![\w']')[^'\n]{1,300}'(?!\w)"
)  # every alternative starts with its quote mark, so the engine skips to those (the lookbehind
# after the apostrophe is the same test as "no letter or apostrophe before it")


def code_spans(text: str) -> list[tuple[int, int]]:
    if "`" not in text and "\t" not in text and "    " not in text:
        return []  # nothing any alternative of the pattern could start with
    return [(m.start(), m.end()) for m in _CODE.finditer(text)]


def link_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    low = lower_for_search(text)
    if "http" in low or "www." in low or "ftp:" in low:
        spans += [(m.start(), m.end()) for m in _URL.finditer(text)]
    if "@" in text:
        spans += [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    return spans


_QUOTE_MARKS = "\"“„«「『‘'"  # what every _QUOTES alternative starts with


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Inline quotations: the customer's words (or a button label) the agent repeats."""
    found = matches_at(_QUOTES, text, char_positions(text, _QUOTE_MARKS, 0, len(text)), len(text))
    return [(m.start(), m.end()) for m in found]


# --- sentences and paragraphs ------------------------------------------------------------------

# Every sentence end starts with one of these: the pattern is tried only there (matches_at), not
# with each alternative at every character.
_SENTENCE_END_CHARS = ".!?…。！？；\n"
_SENTENCE_END = re.compile(
    r"(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？；]+[”’」』)）]*|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:[-*•·]|\d+[.)]|[A-ZА-ЯЁІЇЄҐ]|[{HAN}])))".replace("{HAN}", HAN)
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|prof|st|approx|incl|dept|tel|fig|jr|sr|т\.е|т\.к|т\.д"
    r"|т\.п|т\.ч|напр|див|грн|руб|коп|тел|ул|вул|г|гг|стр|рис|см|пп|п|ст|им|им\.|д|кв|буд)"
    r"|\b[A-ZА-ЯЁІЇЄҐ])\.$",
    re.IGNORECASE,
)
# Only "approx" of the abbreviations above is five letters or longer: after a word of five or
# more, it is the one to look for (a far cheaper search than the whole list).
_FIVE_WORD_CHARS = re.compile(r"\w{5}")
_APPROX = re.compile(r"\bapprox\.$", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LIST_ITEM = re.compile(
    r"^[ \t]*(?:[-*•·–]|\d{1,3}[.)]|[a-z][.)]|[①-⑩]|[一二三四五六七八九十]、)[ \t]*"
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences between start and end, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    ends = char_positions(text, _SENTENCE_END_CHARS, start, end)
    for m in matches_at(_SENTENCE_END, text, ends, end):
        stop = m.end()
        dot = m.start()
        if m.group(0)[:1] == ".":
            long_word = _FIVE_WORD_CHARS.match(text, dot - 5, dot)
            if (_APPROX if long_word else _ABBREVIATION).search(text, max(pos, dot - 8), dot + 1):
                continue
        if m.group(0)[:1] == "\n":
            stop = m.start()
        _add_trimmed(text, pos, stop, out)
        pos = m.end() if m.group(0)[:1] != "\n" else m.start() + 1
    _add_trimmed(text, pos, end, out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines, trimmed; blank (masked) blocks left out."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in PARAGRAPH_BREAK.finditer(text):
        _add_trimmed(text, pos, m.start(), out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


# What a list item's marker can start with (_LIST_ITEM's alternatives), digits aside: most lines
# start with something else, and this test is a fraction of a pattern match.
_LIST_ITEM_FIRST = frozenset(
    "-*•·–abcdefghijklmnopqrstuvwxyz一二三四五六七八九十" + "".join(map(chr, range(0x2460, 0x246A)))
)


def is_list_item(line: str) -> bool:
    marker = line.lstrip(" \t")[:2]
    first = marker[:1]
    if first not in _LIST_ITEM_FIRST and not first.isdecimal():  # \d is a decimal digit
        return False
    if "a" <= first <= "z" and marker[1:] not in (".", ")"):
        return False  # a line of wrapped text that starts with a word, not "a)" or "b."
    return bool(_LIST_ITEM.match(line))


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    return _lines(text, start, len(text) if end is None else end)


def search_from(
    first: re.Pattern[str], pattern: re.Pattern[str], text: str, start: int, end: int
) -> bool:
    """Whether ``pattern.search(text, start, end)`` finds a match, trying ``pattern`` only where
    ``first`` (a class of the characters every match begins with) matches. For an alternation of
    many branches sre has no prefix to skip by and tries every branch at every character; the
    class search is cheap. match() at a position sees the text before it for \\b and
    look-behinds, as search() does, so the answer is the same."""
    find, match = first.search, pattern.match
    pos = start
    while (found := find(text, pos, end)) is not None:
        if match(text, found.start(), end):
            return True
        pos = found.end()
    return False


def char_positions(text: str, chars: str, start: int, end: int) -> list[int]:
    """The offsets of the given characters in text[start:end], in order. One str.find per
    occurrence (a character wider than the text's own is refused at once): where they are few,
    as sentence ends or quote marks are, far cheaper than a regex class tried at every
    character."""
    out: list[int] = []
    find = text.find
    for ch in chars:
        at = find(ch, start, end)
        while at >= 0:
            out.append(at)
            at = find(ch, at + 1, end)
    out.sort()
    return out


def matches_at(
    pattern: re.Pattern[str], text: str, positions: list[int], end: int
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text, positions[0], end)`` for a pattern whose every
    match starts at one of ``positions`` (in order; see char_positions) and is never empty:
    match() is tried at each of them that no earlier match covers."""
    match = pattern.match
    pos = 0
    for at in positions:
        if at < pos:
            continue
        m = match(text, at, end)
        if m is not None:
            yield m
            pos = m.end()


def finditer_from(
    first: re.Pattern[str], pattern: re.Pattern[str], text: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text, start, end)``, trying ``pattern`` only where
    ``first`` (a class of the characters every match begins with) matches, as search_from()
    does. For a pattern that cannot match the empty string."""
    find, match = first.search, pattern.match
    pos = start
    while (found := find(text, pos, end)) is not None:
        m = match(text, found.start(), end)
        if m is None:
            pos = found.end()
        else:
            yield m
            pos = m.end()
