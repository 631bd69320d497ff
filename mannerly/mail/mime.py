"""The MIME tree of a message (RFC 2045-2049), read leniently from bytes.

Broken boundaries, missing closing delimiters, nested parts that reuse their parent's boundary,
bad base64 and unknown transfer encodings all still give a tree; what was wrong goes into
``defects``. Limits on depth and part count keep hostile input from costing more than its size.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

from mannerly.mail.decode import split_header_value
from mannerly.mail.headers import Headers, parse_headers

MAX_DEPTH = 40
MAX_PARTS = 2000

_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_UU_BEGIN = re.compile(rb"^begin(?:-base64)?\s+[0-7]{3,4}\s+(.*?)\s*$", re.MULTILINE)


@dataclass(slots=True)
class Part:
    headers: Headers
    content_type: str
    params: dict[str, str]
    disposition: str
    disposition_params: dict[str, str]
    cte: str
    body: bytes = field(repr=False)
    children: list[Part] = field(default_factory=list)
    _payload: bytes | None = field(default=None, repr=False)
    # The transfer encoding could not be undone; ``payload()`` returns the bytes as sent.
    undecodable: bool = False
    # A multipart whose boundaries were not found: read as one text leaf.
    broken_multipart: bool = False

    @property
    def maintype(self) -> str:
        return self.content_type.partition("/")[0]

    @property
    def subtype(self) -> str:
        return self.content_type.partition("/")[2]

    @property
    def is_multipart(self) -> bool:
        return bool(self.children)

    @property
    def filename(self) -> str:
        return self.disposition_params.get("filename") or self.params.get("name") or ""

    def payload(self, defects: list[str] | None = None) -> bytes:
        """The body with its Content-Transfer-Encoding undone (cached)."""
        if self._payload is None:
            data, problem = decode_transfer(self.body, self.cte)
            if problem and defects is not None:
                defects.append(f"{self.content_type} part: {problem}")
            self.undecodable = problem is not None and "kept as is" in problem
            self._payload = data
        return self._payload


class _Budget:
    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts = 0


def parse_entity(
    data: bytes,
    defects: list[str],
    hints: tuple[str, ...] = (),
    default_type: str = "text/plain",
    depth: int = 0,
    budget: _Budget | None = None,
    headers: Headers | None = None,
    body_start: int = 0,
) -> Part:
    """Parse one entity (a whole message or a body part) and everything inside it."""
    budget = budget or _Budget()
    budget.parts += 1
    if headers is None:
        headers, body_start, header_defects = parse_headers(data, 0, hints)
        defects.extend(header_defects)
    content_type, params = _content_type(headers, default_type, defects)
    disposition_value = headers.get("content-disposition")
    disposition = ""
    disposition_params: dict[str, str] = {}
    if disposition_value:
        disposition, disposition_params = split_header_value(disposition_value)
        disposition = disposition.strip().lower()
    cte = headers.get("content-transfer-encoding").strip().lower()
    body = data[body_start:] if body_start else data
    part = Part(headers, content_type, params, disposition, disposition_params, cte, body)
    if content_type.startswith("multipart/"):
        if depth >= MAX_DEPTH or budget.parts >= MAX_PARTS:
            defects.append("MIME nesting or part count over the limit; kept as one attachment")
            part.content_type = "application/octet-stream"
            return part
        chunks = _split_multipart(body, params.get("boundary", ""), defects)
        if chunks is None:
            # A multipart without usable boundaries: read what is there as plain text.
            part.broken_multipart = True
            return part
        child_default = "message/rfc822" if content_type == "multipart/digest" else "text/plain"
        for chunk in chunks:
            if budget.parts >= MAX_PARTS:
                defects.append("too many MIME parts; the rest were ignored")
                break
            part.children.append(
                parse_entity(chunk, defects, hints, child_default, depth + 1, budget)
            )
    return part


def _content_type(
    headers: Headers, default_type: str, defects: list[str]
) -> tuple[str, dict[str, str]]:
    value = headers.get("content-type")
    if not value:
        return default_type, {}
    main, params = split_header_value(value)
    main = main.strip().strip('"').lower()
    if _TYPE.fullmatch(main):
        if main == "multipart/alternative" or not main.startswith("multipart/"):
            return main, params
        return main, params
    if main in ("text", "plain", ""):
        fixed = "text/plain"
    elif main == "html":
        fixed = "text/html"
    elif main.startswith("multipart") and "boundary" in params:
        fixed = "multipart/mixed"
    else:
        fixed = default_type
    defects.append(f"invalid Content-Type {main[:60]!r}, read as {fixed}")
    return fixed, params


def _delimiters(body: bytes, marker: bytes, strict: bool) -> list[tuple[int, int, bool]]:
    """(start of the line, start of the next line, is closing) for each delimiter line, up to
    one more than the part limit allows."""
    found: list[tuple[int, int, bool]] = []
    pos = 0
    size = len(marker)
    while len(found) <= MAX_PARTS:
        i = body.find(marker, pos)
        if i == -1:
            return found
        pos = i + size
        if i and body[i - 1] != 10:
            continue
        close = body.startswith(b"--", pos)
        eol = body.find(b"\n", pos)
        if eol == -1:
            eol = len(body)
        rest = body[pos + 2 if close else pos : eol]
        if strict and rest.strip():
            continue
        found.append((i, eol + 1, close))
        pos = eol
    return found


# A delimiter line followed by a part header: how a boundary looks when the declared one is
# missing or wrong.
_GUESS_BOUNDARY = re.compile(
    rb"^--([^\s][^\r\n]{0,200}?)[ \t]*\r?\n(?=[A-Za-z-]+[ \t]*:)", re.MULTILINE
)


def _split_multipart(body: bytes, boundary: str, defects: list[str]) -> list[bytes] | None:
    found: list[tuple[int, int, bool]] = []
    if boundary:
        marker = b"--" + boundary.encode("utf-8", "replace")
        found = _delimiters(body, marker, strict=True)
        if not found:
            found = _delimiters(body, marker, strict=False)
            if found:
                defects.append("boundary lines with trailing text")
    if not found:
        guessed = _GUESS_BOUNDARY.search(body, 0, 65536)
        if guessed is None:
            defects.append("multipart boundary not found")
            return None
        defects.append("multipart boundary missing or wrong; guessed it from a delimiter line")
        found = _delimiters(body, b"--" + guessed.group(1), strict=True)
        if not found:
            return None
    if len(found) > MAX_PARTS:
        defects.append("too many MIME parts; the rest were ignored")
        found = found[:MAX_PARTS]
    chunks: list[bytes] = []
    closed = False
    for index, (_start, next_line, close) in enumerate(found):
        if closed and not close:
            defects.append("parts after the closing boundary")
            closed = False
        if index + 1 < len(found) and not close:
            end = found[index + 1][0]
            chunks.append(_strip_delimiter_newline(body, next_line, end))
        elif not close:
            defects.append("missing closing boundary")
            chunks.append(body[next_line:])
        if close:
            closed = True
    return chunks


def _strip_delimiter_newline(body: bytes, start: int, end: int) -> bytes:
    """The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)."""
    if end > start and body[end - 1] == 10:
        end -= 1
        if end > start and body[end - 1] == 13:
            end -= 1
    return body[start:end]


# --- Content-Transfer-Encoding ---------------------------------------------------------------


def decode_transfer(body: bytes, cte: str) -> tuple[bytes, str | None]:
    """Undo a Content-Transfer-Encoding leniently; return (bytes, defect or None)."""
    if cte in ("", "7bit", "8bit", "binary"):
        return body, None
    squeezed = cte.replace("-", "").replace(" ", "").replace("\t", "")
    if squeezed in ("7bit", "8bit", "7bits", "8bits", "6bit", "binary", "utf8", "none"):
        return body, None
    if cte == "base64":
        return _base64(body)
    if cte == "quoted-printable":
        try:
            return binascii.a2b_qp(body), None
        except (binascii.Error, ValueError):
            return body, "undecodable quoted-printable"
    if cte in ("x-uuencode", "uuencode", "x-uue", "uue"):
        return uudecode(body)
    if "base64" in cte:
        data, problem = _base64(body)
        return data, problem or f"transfer encoding {cte[:40]!r} read as base64"
    if "quoted" in cte:
        return binascii.a2b_qp(body), f"transfer encoding {cte[:40]!r} read as quoted-printable"
    return body, f"unknown transfer encoding {cte[:40]!r}, read as 8bit"


# Well-formed base64 lines, then anything (mailers append junk after the padding).
_BASE64_LINE = re.compile(rb"\s*(?:[A-Za-z0-9+/]{4,}={0,2}[ \t]*\r?\n)*[A-Za-z0-9+/]{4,}={0,2}")
_BASE64_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t"


def _base64(body: bytes) -> tuple[bytes, str | None]:
    stray = len(body.translate(None, _BASE64_BYTES))
    if stray and not _BASE64_LINE.match(body) and stray > len(body) // 50:
        # Not base64 at all (a placeholder text, a mislabelled part): decoding the letters in
        # it would invent bytes. Keep what was sent.
        return body, "part labelled base64 is not base64; kept as is"
    try:
        return binascii.a2b_base64(body), None
    except (binascii.Error, ValueError):
        pass
    data = _NOT_BASE64.sub(b"", body)
    rest = len(data) % 4
    if rest == 1:
        data = data[:-1]
    elif rest:
        data += b"=" * (4 - rest)
    try:
        return binascii.a2b_base64(data), "damaged base64 repaired"
    except (binascii.Error, ValueError):
        return body, "undecodable base64, kept as is"


def uudecode(body: bytes) -> tuple[bytes, str | None]:
    """Decode a uuencoded body (``begin 644 name`` … ``end``); tolerant of short lines."""
    begin = _UU_BEGIN.search(body)
    lines = body[begin.end() :].split(b"\n") if begin else body.split(b"\n")
    out = bytearray()
    problem = None
    for line in lines:
        line = line.rstrip(b"\r")
        if line.strip() == b"end":
            break
        if not line or line == b"`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Short or over-long lines from sloppy encoders: decode what the length byte says.
            size = (line[0] - 32) & 63
            padded = line[: 1 + (size * 4 + 2) // 3].ljust(1 + (size * 4 + 2) // 3, b" ")
            try:
                out += binascii.a2b_uu(padded)
            except binascii.Error:
                problem = "damaged uuencode"
    return bytes(out), problem if begin else (problem or "uuencode without a begin line")


def uuencoded_name(body: bytes) -> str:
    begin = _UU_BEGIN.search(body)
    return begin.group(1).decode("utf-8", "replace") if begin else ""
