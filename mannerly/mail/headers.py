"""The header section of a message or a MIME part, read straight from bytes.

Reading the raw bytes ourselves (rather than through a parser that has already turned them into
``str``) is what lets 8-bit headers in GBK or windows-1251 come out right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mannerly.mail.decode import decode_words, legacy_header_codec, single_line

_NAME = re.compile(rb"[!-9;-~]+[ \t]*")
_KNOWN_HEADER = re.compile(
    rb"(?:from|to|cc|bcc|subject|date|message-id|mime-version|content-[a-z-]+|received|"
    rb"return-path|reply-to|sender|in-reply-to|references|delivered-to|x-[!-9;-~]+)[ \t]*:",
    re.IGNORECASE,
)
_MAX_HEADER_FIELDS = 5000
_WORD_CHARSET = re.compile(rb"=\?([-\w.:]+)(?:\*[^?]*)?\?[bBqQ]\?")
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?([-\w.:]+)""", re.IGNORECASE)


@dataclass(slots=True)
class Headers:
    """Header fields in order; values are unfolded ``str`` (encoded-words still encoded)."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    index: dict[str, list[str]] = field(default_factory=dict)
    eight_bit: bool = False

    def add(self, name: str, value: str) -> None:
        self.fields.append((name, value))
        self.index.setdefault(name.lower(), []).append(value)

    def get(self, name: str, default: str = "") -> str:
        values = self.index.get(name)
        return values[0] if values else default

    def get_all(self, name: str) -> list[str]:
        return self.index.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def decoded(self, name: str, hints: tuple[str, ...] = ()) -> str:
        """First value of ``name`` with encoded-words decoded, on one line, trimmed."""
        value = self.get(name)
        if not value:
            return ""
        return single_line(decode_words(value, hints)).strip()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def find_body(data: bytes, start: int = 0) -> tuple[int, int]:
    """(end of the header section, start of the body) for the entity beginning at ``start``."""
    if data.startswith(b"\n", start) or data.startswith(b"\r\n", start):
        return start, start + (1 if data[start] == 10 else 2)
    lf = data.find(b"\n\n", start)
    crlf = data.find(b"\n\r\n", start)
    if lf == -1 and crlf == -1:
        return len(data), len(data)
    if crlf != -1 and (lf == -1 or crlf < lf):
        return crlf + 1, crlf + 3
    return lf + 1, lf + 2


def _looks_like_boundary(line: bytes) -> bool:
    """``--boundary``: a MIME delimiter right after a part's headers (no blank line)."""
    return line.startswith(b"--") and b" " not in line.strip()


def _headers_follow(lines: list[bytes], index: int) -> bool:
    """Whether well-known header fields come after line ``index`` in this header block: then a
    line without a colon is damage inside the headers, not the start of the body."""
    return any(_KNOWN_HEADER.match(line) for line in lines[index + 1 : index + 200])


_FIELD = re.compile(rb"([!-9;-~]+)[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)(?:\n|\Z)")


def _fast_fields(block: bytes) -> list[tuple[bytes, bytes]] | None:
    """Split a well-formed header block with one regex; None when any line needs the careful
    reading below."""
    fields: list[tuple[bytes, bytes]] = []
    pos = 0
    size = len(block)
    if block.startswith((b"From ", b">From ")):
        pos = block.find(b"\n") + 1 or size
    match = _FIELD.match
    while pos < size:
        m = match(block, pos)
        if m is None:
            return None
        value = m.group(2)
        if b"\n" in value:
            value = value.replace(b"\r\n", b"").replace(b"\n", b"")
        fields.append((m.group(1), value))
        pos = m.end()
        if len(fields) > _MAX_HEADER_FIELDS:
            return None
    return fields


def _careful_fields(
    block: bytes, start: int, body_start: int, defects: list[str]
) -> tuple[list[tuple[bytes, bytes]], int]:
    """Line by line, repairing what real mail gets wrong (see ``parse_headers``)."""
    lines = block.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    name: bytes | None = None
    value_parts: list[bytes] = []
    offset = start
    raw_fields: list[tuple[bytes, bytes]] = []
    for number, line in enumerate(lines):
        line_len = len(line) + 1
        if line.endswith(b"\r"):
            line = line[:-1]
        offset += line_len
        if line[:1] in (b" ", b"\t"):
            if name is not None:
                value_parts.append(line)
            else:
                defects.append("header section starts with an indented line")
            continue
        colon = line.find(b":")
        if colon > 0 and _NAME.fullmatch(line, 0, colon):
            if name is not None:
                raw_fields.append((name, b"".join(value_parts)))
                if len(raw_fields) > _MAX_HEADER_FIELDS:
                    defects.append("too many header fields; the rest were ignored")
                    name = None
                    break
            name = line[:colon].rstrip()
            value_parts = [line[colon + 1 :]]
        elif number == 0 and line.startswith((b"From ", b">From ")):
            continue  # mbox separator line
        elif not line.strip():
            continue
        elif not _looks_like_boundary(line) and _headers_follow(lines, number):
            if name is not None:
                defects.append("folded header line without indentation")
                value_parts.append(b" " + line)
            else:
                defects.append("text before the header fields was skipped")
        else:
            # Not a header and no headers after it: RFC 5322 says the body starts here.
            defects.append("missing blank line between headers and body")
            body_start = offset - line_len
            break
    if name is not None:
        raw_fields.append((name, b"".join(value_parts)))
    return raw_fields, body_start


def parse_headers(
    data: bytes, start: int = 0, hints: tuple[str, ...] = ()
) -> tuple[Headers, int, list[str]]:
    """Parse the header section at ``start``; return (headers, body offset, defects).

    Lenient like the mail clients people use: an mbox ``From `` line is skipped, ``Name :``
    is accepted, a folded line that lost its indentation is joined to its field, a stray line
    before the headers is skipped. A line that is not a header and is not followed by headers
    ends the section (the rest is body).
    """
    headers = Headers()
    defects: list[str] = []
    head_end, body_start = find_body(data, start)
    block = data[start:head_end]
    if not block:
        return headers, body_start, defects
    raw_fields = _fast_fields(block)
    if raw_fields is None:
        raw_fields, body_start = _careful_fields(block, start, body_start, defects)
    legacy: str | None = None
    if any(not value.isascii() for _, value in raw_fields):
        headers.eight_bit = True
        broken = [v for _, v in raw_fields if not v.isascii() and not _is_utf8(v)]
        if broken:
            hints = _declared_charsets(raw_fields, data, start) + hints
            legacy = legacy_header_codec(broken, hints)
            defects.append(f"8-bit headers not in UTF-8; read as {legacy}")
    fields = headers.fields
    index = headers.index
    for raw_name, raw_value in raw_fields:
        text_name = raw_name.decode("ascii", "replace")
        if raw_value.isascii():
            text = raw_value.decode("ascii")
        elif legacy is None or _is_utf8(raw_value):
            text = raw_value.decode("utf-8", "replace")
        else:
            text = raw_value.decode(legacy, "replace")
        text = text.strip(" \t\r\n")
        fields.append((text_name, text))
        key = text_name.lower()
        if key in index:
            index[key].append(text)
        else:
            index[key] = [text]
    return headers, body_start, defects


def _declared_charsets(
    raw_fields: list[tuple[bytes, bytes]], data: bytes, start: int
) -> tuple[str, ...]:
    """Charsets the message declares (encoded-words in its headers first, then Content-Type
    parameters here and in the parts): the best guess for raw 8-bit header bytes."""
    found: list[str] = []
    for _, value in raw_fields:
        found += [m.decode("ascii", "replace") for m in _WORD_CHARSET.findall(value)]
    for name, value in raw_fields:
        if name.lower() == b"content-type":
            found += [m.decode("ascii", "replace") for m in _CHARSET_PARAM.findall(value)]
    found += [
        m.decode("ascii", "replace") for m in _CHARSET_PARAM.findall(data, start, start + 65536)
    ]
    return tuple(dict.fromkeys(f.lower() for f in found))
