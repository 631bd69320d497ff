"""The header section of a message or a MIME part, read straight from bytes.

Reading the raw bytes ourselves (rather than through a parser that has already turned them into
``str``) is what lets 8-bit headers in GBK or windows-1251 come out right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mannerly.mail.decode import decode_text, decode_words, single_line

_NAME = re.compile(rb"[!-9;-~]+[ \t]*")
_MAX_HEADER_LINES = 20000
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


def parse_headers(
    data: bytes, start: int = 0, hints: tuple[str, ...] = ()
) -> tuple[Headers, int, list[str]]:
    """Parse the header section at ``start``; return (headers, body offset, defects).

    Lenient like the mail clients people use: an mbox ``From `` line is skipped, ``Name :``
    is accepted, a line that is not a header ends the section (the rest is body).
    """
    headers = Headers()
    defects: list[str] = []
    head_end, body_start = find_body(data, start)
    block = data[start:head_end]
    if not block:
        return headers, body_start, defects
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
        if line[:1] in (b" ", b"\t"):
            if name is not None:
                value_parts.append(line)
            elif number == 0 or not raw_fields:
                defects.append("header section starts with a continuation line")
            offset += line_len
            continue
        colon = line.find(b":")
        if colon > 0 and _NAME.fullmatch(line, 0, colon):
            if name is not None:
                raw_fields.append((name, b"".join(value_parts)))
            name = line[:colon].rstrip()
            value_parts = [line[colon + 1 :]]
        elif number == 0 and (line.startswith(b"From ") or line.startswith(b">From ")):
            pass  # mbox separator line
        elif not line.strip():
            pass
        else:
            # Not a header: RFC 5322 says the body starts here (stdlib does the same).
            defects.append("missing blank line between headers and body")
            body_start = offset
            break
        offset += line_len
        if len(raw_fields) > _MAX_HEADER_LINES:
            defects.append("too many header fields; the rest were ignored")
            break
    if name is not None:
        raw_fields.append((name, b"".join(value_parts)))
    if any(not value.isascii() for _, value in raw_fields):
        hints = _declared_charsets(raw_fields) + hints
        if not hints:
            # A multipart message declares its charsets in its parts; look there.
            hints = tuple(
                m.decode("ascii") for m in _CHARSET_PARAM.findall(data, start, start + 65536)
            )
    for raw_name, raw_value in raw_fields:
        text_name = raw_name.decode("ascii", "replace")
        if raw_value.isascii():
            text = raw_value.decode("ascii")
        else:
            headers.eight_bit = True
            text, problem = decode_text(raw_value, None, hints)
            if problem:
                defects.append(f"8-bit {text_name} header: {problem}")
        headers.add(text_name, text.strip(" \t\r\n"))
    return headers, body_start, defects


def _declared_charsets(raw_fields: list[tuple[bytes, bytes]]) -> tuple[str, ...]:
    """Charsets the entity declares: the best guess for raw 8-bit bytes in its own headers."""
    found: list[str] = []
    for name, value in raw_fields:
        if name.lower() == b"content-type":
            found += [m.decode("ascii") for m in _CHARSET_PARAM.findall(value)]
    return tuple(found)
