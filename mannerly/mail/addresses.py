"""Address lists (From, To, Cc, Reply-To) as RFC 5322 means them, read leniently.

Structure is read before encoded-words are decoded, so a display name that decodes to
"Müller, Bernd" stays one mailbox. Comments, groups, obsolete routes, unquoted names with an
address in a comment and other real-world shapes are handled; nothing here raises.
"""

from __future__ import annotations

import re

from mannerly.mail.decode import ENCODED_WORD, decode_words, single_line

_TOKEN = re.compile(
    r"""(?P<ws>\s+)"""
    r"""|(?P<quoted>"(?:[^"\\]|\\.)*(?:"|\Z))"""
    r"""|(?P<angle><[^>]*(?:>|\Z))"""
    r"""|(?P<literal>\[[^\]]*(?:\]|\Z))"""
    r"""|(?P<special>[,;:])"""
    r"""|(?P<comment>\()"""
    r"""|(?P<atom>[^\s",;:<(\[]+|[\[])""",
    re.DOTALL,
)
_SPACE = re.compile(r"[ \t\r\n]+")
_AROUND_AT_DOT = re.compile(r"\s*([@.])\s*")
_ROUTE = re.compile(r"^(?:@[^:,]*[,:])+")
_MAX_ADDRESSES = 2000


def _comment_end(value: str, start: int) -> int:
    """Index just past the comment opening at ``start`` (comments nest, backslash escapes)."""
    depth = 0
    i = start
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _tokens(value: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    n = len(value)
    while pos < n:
        match = _TOKEN.match(value, pos)
        if match is None:  # pragma: no cover - the atom alternative matches any other character
            pos += 1
            continue
        kind = match.lastgroup or "atom"
        if kind == "comment":
            end = _comment_end(value, pos)
            out.append(
                ("comment", value[pos + 1 : end - 1 if value[end - 1 : end] == ")" else end])
            )
            pos = end
            continue
        out.append((kind, match.group()))
        pos = match.end()
    return out


def _unquote(text: str) -> str:
    inner = text[1:-1] if len(text) > 1 and text.endswith('"') else text[1:]
    return re.sub(r"\\(.)", r"\1", inner)


def _clean_name(text: str, hints: tuple[str, ...]) -> str:
    name = single_line(decode_words(text, hints))
    if "  " in name or "\t" in name or "\n" in name or "\r" in name:
        name = _SPACE.sub(" ", name)
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
        name = name[1:-1].strip()
    return name


def _clean_addr(text: str) -> str:
    addr = text.strip()
    if "(" in addr:
        addr = "".join(t for k, t in _tokens(addr) if k != "comment")
    if addr.startswith("@"):
        addr = _ROUTE.sub("", addr)
    if " " in addr or "\t" in addr or "\n" in addr or "\r" in addr:
        addr = _AROUND_AT_DOT.sub(r"\1", addr)
        addr = _SPACE.sub(" ", addr).strip()
    if addr.startswith('"') and addr.endswith('"') and addr.count('"') == 2 and "@" in addr:
        addr = addr[1:-1].strip()
    addr = addr.strip("<>").strip()
    return single_line(addr)


class _Mailbox:
    __slots__ = ("angle", "comments", "words")

    def __init__(self) -> None:
        self.words: list[tuple[str, str]] = []  # (kind, text) of phrase / addr-spec tokens
        self.comments: list[str] = []
        self.angle: str | None = None

    def empty(self) -> bool:
        return not self.words and self.angle is None and not self.comments


def _finish(box: _Mailbox, hints: tuple[str, ...]) -> tuple[str, str] | None:
    if box.empty():
        return None
    comment_name = " ".join(c for c in box.comments if c.strip())
    if box.angle is not None:
        inner = box.angle[1:-1] if box.angle.endswith(">") else box.angle[1:]
        phrase = _phrase(box.words)
        name = phrase if phrase.strip() else comment_name
        return _clean_name(name, hints), _clean_addr(inner)
    # No angle brackets: an addr-spec, perhaps with a comment for a name.
    texts = [(k, t) for k, t in box.words if k != "ws"]
    if not texts:
        return None
    joined = "".join(
        t
        if k == "quoted" and re.search(r"[\s@,;:<>()\[\]]", t[1:-1])
        else (_unquote(t) if k == "quoted" else t)
        for k, t in texts
    )
    spaced = _phrase(box.words)
    has_at = "@" in joined
    words_with_at = [t for k, t in texts if "@" in t]
    if not has_at:
        addr_in_comment = [c.strip() for c in box.comments if "@" in c and " " not in c.strip()]
        if addr_in_comment:  # "Namedyński (hans@example.com)"
            return _clean_name(spaced, hints), _clean_addr(addr_in_comment[0])
        if len(texts) > 1 and any(k == "ws" for k, _ in box.words):
            return _clean_name(spaced, hints), ""  # a bare name: no address to reply to
        return _clean_name(comment_name, hints), _clean_addr(joined)
    if len(words_with_at) == 1 and " " in spaced.strip() and not _looks_like_addr_spec(box.words):
        # "Anna Smith anna@example.com": a name followed by an address without brackets.
        addr = words_with_at[0]
        rest = " ".join(_unquote(t) if k == "quoted" else t for k, t in texts if t != addr)
        return _clean_name(rest or comment_name, hints), _clean_addr(addr)
    return _clean_name(comment_name, hints), _clean_addr(joined)


def _looks_like_addr_spec(words: list[tuple[str, str]]) -> bool:
    """True for ``local @ domain`` with whitespace only around ``@`` and ``.`` (obsolete
    syntax), false for ``Name name@domain``."""
    text = "".join("q" if k == "quoted" else t for k, t in words)
    return _AROUND_AT_DOT.sub(r"\1", text).strip().count(" ") == 0


def _phrase(words: list[tuple[str, str]]) -> str:
    parts: list[str] = []
    for kind, text in words:
        if kind == "ws":
            parts.append(" ")
        elif kind == "quoted":
            parts.append(_unquote(text))
        else:
            parts.append(text)
    return "".join(parts)


def _protect_specials(match: re.Match[str]) -> str:
    """Quote an encoded-word that (wrongly) contains a comma or other special, so that
    ``=?iso-8859-1?Q?B=FCrling, Andreas?=`` stays one display name."""
    word = match.group()
    inside_quotes = match.string.count('"', 0, match.start()) % 2 == 1
    if not inside_quotes and any(ch in word for ch in ',;:<>"()'):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


# The shapes nearly all real headers take: "Name <a@b>", "\"Name\" <a@b>", "a@b", "<a@b>".
_SIMPLE = re.compile(
    r"""\s*(?:"([^"\\]*)"|([^"<>,;:@()\\\[\]=]*?))\s*<([^<>()\s,;:"\\\[\]]+@[^<>()\s,;:"\\\[\]]+)>\s*"""
    r"""|\s*([^<>()\s,;:"\\\[\]]+@[^<>()\s,;:"\\\[\]]+)\s*"""
)


def _simple_list(value: str) -> list[tuple[str, str]] | None:
    """Fast path for plain lists (no comments, groups, quotes with commas, encoded-words)."""
    if "(" in value or ":" in value or "=?" in value or ('"' in value and "," in value):
        return None
    result: list[tuple[str, str]] = []
    for piece in value.split(","):
        if not piece.strip():
            continue
        m = _SIMPLE.fullmatch(piece)
        if m is None:
            return None
        if m.group(4):
            result.append(("", single_line(m.group(4))))
        else:
            name = m.group(1) if m.group(1) is not None else m.group(2)
            result.append((_clean_name(name, ()), single_line(m.group(3))))
    return result


def parse_addresses(value: str, hints: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``'"Müller, Bernd" <b@x>, anna@y (Anna)'`` → [("Müller, Bernd", "b@x"), ("Anna", "anna@y")].

    Mailboxes inside groups are listed in place of the group. Entries without an address
    (a bare name, ``<>``) come back with an empty address; callers decide whether to keep them.
    """
    simple = _simple_list(value)
    if simple is not None:
        return simple[:_MAX_ADDRESSES]
    result: list[tuple[str, str]] = []
    box = _Mailbox()
    if "=?" in value:
        value = ENCODED_WORD.sub(_protect_specials, value)
    for kind, text in _tokens(value):
        if kind == "special":
            if text == ":" and box.angle is None and box.words:
                box = _Mailbox()  # "Team: a@x, b@y;" — the group name is not a mailbox
                continue
            if text in ",;":
                done = _finish(box, hints)
                if done is not None:
                    result.append(done)
                box = _Mailbox()
                if len(result) >= _MAX_ADDRESSES:
                    break
                continue
            box.words.append(("atom", text))
        elif kind == "comment":
            box.comments.append(text)
        elif kind == "angle":
            if box.angle is None:
                box.angle = text
            else:  # "a <x@y> <z@w>": a second address without a comma
                done = _finish(box, hints)
                if done is not None:
                    result.append(done)
                box = _Mailbox()
                box.angle = text
        else:
            if box.angle is not None and kind != "ws":
                # Text after <addr> with no comma: "<a@x> b@y". Start a new mailbox.
                done = _finish(box, hints)
                if done is not None:
                    result.append(done)
                box = _Mailbox()
            if kind == "ws" and not box.words:
                continue
            box.words.append((kind, text))
    done = _finish(box, hints)
    if done is not None:
        result.append(done)
    return result
