"""Bytes to text the way mail clients really send it: charset labels that lie or are missing,
RFC 2047 encoded-words that break the rules, RFC 2231 parameters.

Everything here is total: it returns text (and says what it had to guess), it never raises.
"""

from __future__ import annotations

import binascii
import codecs
import re
from functools import lru_cache

# Labels seen in the wild that Python does not know, or knows as a narrower charset than the
# sender meant. Superset choices follow the WHATWG Encoding Standard, which is what browsers
# and most mail clients do: "gb2312" mail is often GBK, "iso-8859-1" often windows-1252.
_ALIASES = {
    "utf8": "utf-8",
    "x-utf8": "utf-8",
    "x-utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "unicode-2-0-utf-7": "utf-7",
    "x-unicode-2-0-utf-7": "utf-7",
    "utf7": "utf-7",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-1:1987": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso646-us": "ascii",
    "us": "ascii",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "iso-gb2312": "gb18030",
    "csgb2312": "gb18030",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "chinese": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big-5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "csshiftjis": "cp932",
    "windows-31j": "cp932",
    "x-ms-cp932": "cp932",
    "euc-jp": "euc_jis_2004",
    "x-euc-jp": "euc_jis_2004",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "ksc_5601": "cp949",
    "korean": "cp949",
    "csksc56011987": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    # KOI8-U only differs from KOI8-R where KOI8-R has box-drawing characters, which real
    # mail does not contain; Ukrainian text labelled KOI8-R is common.
    "koi8-r": "koi8_u",
    "koi8r": "koi8_u",
    "cskoi8r": "koi8_u",
    "koi8-u": "koi8_u",
    "koi8-ru": "koi8_u",
    "koi8": "koi8_u",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
}

# Labels that say nothing about the bytes: treat as "not declared" and look at the bytes.
_UNKNOWN = {
    "",
    "unknown",
    "x-unknown",
    "unknown-8bit",
    "x-user-defined",
    "default",
    "charset",
    "none",
    "8bit",
    "7bit",
    "binary",
    "us-ascii",
}

# Codec families that are character encodings (Python's codec registry also holds
# transforms such as rot13 and base64 and escape decoders, which must never see mail bytes).
_TEXT_CODEC_PREFIXES = (
    "iso8859",
    "cp",
    "mac",
    "koi8",
    "utf",
    "latin",
    "ascii",
    "gb",
    "big5",
    "shift",
    "euc",
    "iso2022",
    "hz",
    "johab",
    "kz1048",
    "ptcp154",
    "tis",
    "hp_roman8",
)

_ASCII_TRANSPARENT_EXCEPTIONS = ("utf-16", "utf-32", "utf-7", "iso2022")

_MULTIBYTE = (
    "gb18030",
    "big5hkscs",
    "cp932",
    "euc_jis_2004",
    "cp949",
    "iso2022_jp_ext",
    "hz",
    "euc_jp",
    "shift_jis",
    "gbk",
    "gb2312",
    "big5",
    "johab",
    "euc_kr",
)


@lru_cache(maxsize=512)
def codec_for(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when the label is missing or unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").strip().lower()
    # "utf-8; format=flowed", "iso-8859-1*en", "windows-1252 (western)"
    name = re.split(r"[\s;*()]", name, maxsplit=1)[0] if name else name
    if name in _UNKNOWN:
        return None if name != "us-ascii" else "ascii"
    if name in _ALIASES:
        return _ALIASES[name]
    for candidate in (name, name.replace("_", "-"), name.removeprefix("x-"), _win(name)):
        if not candidate:
            continue
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        if not candidate.isascii() or not candidate.isprintable() or len(candidate) > 40:
            continue
        try:
            info = codecs.lookup(candidate)
        except (LookupError, ValueError):
            continue
        if info.name.startswith(_TEXT_CODEC_PREFIXES) and getattr(info, "_is_text_encoding", True):
            return _ALIASES.get(info.name.replace("_", "-"), info.name)
    return None


def _win(name: str) -> str:
    """windows1251, win-1251, cp-1251, x-cp1251 → cp1251."""
    m = re.fullmatch(r"(?:x-)?(?:windows|win|cp|ms)[-_]?(\d{3,4})", name)
    return f"cp{m.group(1)}" if m else ""


def _ascii_transparent(codec: str) -> bool:
    return not codec.startswith(_ASCII_TRANSPARENT_EXCEPTIONS) and codec != "hz"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as windows-1252 (text pasted from another source)."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", "replace"), error.end


codecs.register_error("mannerly-cp1252", _cp1252_fallback)


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 multi-byte sequences outnumber the stray bytes that are not."""
    text = data[:65536].decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good > 0 and bad <= good


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(
    data: bytes, declared: str | None, hints: tuple[str, ...] = ()
) -> tuple[str, str | None]:
    """Decode ``data`` declared as charset ``declared``; return (text, defect or None).

    Order: the declaration when the bytes fit it; UTF-8 when the bytes are valid UTF-8 but the
    declaration is a legacy single-byte charset (a common lie); the ``hints`` (other charsets
    this message declares); then statistical detection. Never raises.
    """
    codec = codec_for(declared)
    if data.isascii() and (codec is None or _ascii_transparent(codec)):
        return data.decode("ascii"), None
    if codec and codec != "ascii":
        if codec == "iso2022_jp_ext":
            return _decode_iso2022jp(data)
        single_byte = codec not in _MULTIBYTE and not codec.startswith("utf")
        if single_byte and _is_utf8(data):
            return data.decode("utf-8"), f"charset {declared} declared, bytes are UTF-8"
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if codec.startswith(_LATIN_CODECS) and _implausible_latin(text):
                # Cyrillic or CJK bytes under a Latin label read as a run of accented letters.
                guess = detect(data, isolation=_DENSE_CANDIDATES)
                if guess:
                    return data.decode(guess, "replace"), (
                        f"charset {declared} declared, bytes are {guess}"
                    )
            return text, None
        if codec != "utf-8" and _is_utf8(data):
            return data.decode("utf-8"), f"charset {declared} declared, bytes are UTF-8"
        if _mostly_utf8(data):
            return data.decode("utf-8", "mannerly-cp1252"), "UTF-8 text with stray 8-bit bytes"
        guess = _guess(data, hints, exclude=codec)
        if guess:
            return data.decode(guess, "replace"), f"charset {declared} declared, bytes are {guess}"
        return data.decode(codec, "replace"), f"bytes do not fit charset {declared}"
    if _is_utf8(data):
        return data.decode("utf-8"), None
    if _mostly_utf8(data):
        return data.decode("utf-8", "mannerly-cp1252"), "UTF-8 text with stray 8-bit bytes"
    guess = _guess(data, hints)
    label = declared or "none"
    if guess:
        return data.decode(guess, "replace"), f"charset {label} declared, detected {guess}"
    return data.decode("cp1252", "replace"), f"charset {label} declared, undetectable bytes"


def _guess(data: bytes, hints: tuple[str, ...], exclude: str | None = None) -> str | None:
    """A codec that decodes ``data`` cleanly: a hint first, then charset detection."""
    for hint in hints:
        codec = codec_for(hint)
        if not codec or codec in ("ascii", "utf-8", exclude):
            continue
        try:
            data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return codec
    return detect(data)


_HIGH = re.compile(rb"[\x80-\xff]")
# Charsets our customers' legacy mail comes in when it contains no Latin script at all.
_DENSE_CANDIDATES = [
    "gb18030",
    "big5",
    "cp932",
    "euc_jp",
    "cp949",
    "cp1251",
    "koi8_u",
    "iso8859_5",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp874",
]
_LATIN_CODECS = ("cp125", "iso8859", "latin", "mac_roman", "ascii", "cp437", "cp850")


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LATIN1_LETTER = re.compile(r"[\u00c0-\u00ff]")


def _implausible_latin(text: str) -> bool:
    """Text in a Latin charset that is mostly accented letters is another script misread."""
    sample = text[:4000]
    accented = len(_LATIN1_LETTER.findall(sample))
    return accented >= 8 and accented > len(_ASCII_LETTER.findall(sample))


def legacy_header_codec(values: list[bytes], hints: tuple[str, ...]) -> str:
    """One charset for the raw 8-bit (non-UTF-8) header values of an entity.

    Short strings defeat statistical detection, so: a non-Latin charset the message declares
    elsewhere if it fits; detection among non-Latin charsets when most bytes are 8-bit (CJK or
    Cyrillic text); otherwise the Latin charset the message declares, else windows-1252.
    """
    joined = b"\n".join(values)
    codecs_hinted = [c for c in (codec_for(h) for h in hints) if c and c not in ("ascii", "utf-8")]
    letters = len(joined) - joined.count(b" ")
    dense = len(_HIGH.findall(joined)) > 0.3 * max(1, letters)
    for codec in codecs_hinted:
        if dense == (not codec.startswith(_LATIN_CODECS)):
            try:
                joined.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
            return codec
    if dense:
        guess = detect(joined, isolation=_DENSE_CANDIDATES)
        if guess:
            return guess
    return next((c for c in codecs_hinted if c.startswith(_LATIN_CODECS)), "cp1252")


# What undeclared mail to this desk is written in: our languages (en, zh, uk, ru), Japanese
# and Korean, and the European code pages. A short list keeps short texts from being read as a
# far-fetched code page that happens to decode them.
_LIKELY_CHARSETS = [
    "utf_8",
    "cp1252",
    "cp1250",
    "gb18030",
    "big5",
    "cp932",
    "euc_jp",
    "cp949",
    "cp1251",
    "koi8_u",
    "cp1253",
    "cp1254",
    "cp1257",
]


def detect(data: bytes, isolation: list[str] | None = None) -> str | None:
    """Statistical charset detection (charset-normalizer) on at most the first 32 KiB."""
    from charset_normalizer import from_bytes

    sample = data[:32768]
    try:
        best = from_bytes(sample, cp_isolation=isolation or _LIKELY_CHARSETS).best()
    except Exception:  # the detector is third-party code on hostile bytes; guessing is optional
        return None
    if best is None:
        return None
    codec = codec_for(best.encoding)
    if codec is None:
        return None
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        # Never guess a wide encoding for mail text; it turns stray bytes into CJK noise.
        return None
    return codec


# --- ISO-2022-JP, with the Microsoft/NEC extensions Japanese mail clients use -------------------

_ESC_SPLIT = re.compile(rb"(\x1b\$[@B]|\x1b\$\(D|\x1b\([BJI]|\x1b\$\(Q|\x1b\$\(O)")


def _decode_iso2022jp(data: bytes) -> tuple[str, str | None]:
    """ISO-2022-JP via Shift_JIS (cp932), so NEC row 13 and IBM extensions decode too.

    Japanese senders label cp932 text ISO-2022-JP (CP50220-style); Python's iso2022 codecs reject
    those characters. 8-bit bytes mean the sender sent Shift_JIS and labelled it wrong.
    """
    if not data.isascii():
        for codec in ("cp932", "euc_jis_2004"):
            try:
                return data.decode(codec), "charset iso-2022-jp declared, bytes are " + codec
            except UnicodeDecodeError:
                continue
        if _is_utf8(data):
            return data.decode("utf-8"), "charset iso-2022-jp declared, bytes are UTF-8"
    try:
        return data.decode("iso2022_jp_ext"), None
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    mode = b"\x1b(B"
    defect = None
    for chunk in _ESC_SPLIT.split(data):
        if chunk.startswith(b"\x1b"):
            mode = chunk
            continue
        if not chunk:
            continue
        if mode in (b"\x1b$B", b"\x1b$@", b"\x1b$(Q", b"\x1b$(O"):
            sjis = bytearray()
            i = 0
            while i < len(chunk):
                c1 = chunk[i]
                if c1 < 0x21 or c1 > 0x7E or i + 1 >= len(chunk):
                    sjis.append(c1 if c1 < 0x80 else 0x3F)
                    i += 1
                    continue
                c2 = chunk[i + 1]
                i += 2
                if c1 & 1:
                    s2 = c2 + 0x1F
                    if s2 >= 0x7F:
                        s2 += 1
                else:
                    s2 = c2 + 0x7E
                s1 = ((c1 + 1) >> 1) + (0x70 if c1 <= 0x5E else 0xB0)
                if s1 <= 0xFF and s2 <= 0xFF:
                    sjis += bytes((s1, s2))
            text = bytes(sjis).decode("cp932", "replace")
            if "\ufffd" in text:
                defect = "undecodable ISO-2022-JP characters"
            out.append(text)
        elif mode == b"\x1b(I":
            out.append(bytes(b + 0x80 for b in chunk if b < 0x80).decode("cp932", "replace"))
        else:
            out.append(chunk.decode("ascii", "replace"))
    return "".join(out), defect


# --- RFC 2047 encoded-words ------------------------------------------------------------------

# Lenient: the encoded text may contain spaces (broken encoders), the charset may carry an
# RFC 2231 language suffix, and the word may touch surrounding text.
ENCODED_WORD = re.compile(r"=\?([^?\s\"]{1,64}?)(?:\*[^?]*)?\?([bBqQ])\?([^?]*?)\?=")
_BETWEEN_WORDS = re.compile(r"\s*")


def _b_decode(text: str) -> bytes:
    data = re.sub(r"[^A-Za-z0-9+/]", "", text)
    rest = len(data) % 4
    if rest == 1:
        data = data[:-1]
    elif rest:
        data += "=" * (4 - rest)
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError):
        return b""


def _q_decode(text: str) -> bytes:
    raw = text.replace("_", " ").encode("latin-1", "replace")
    try:
        return binascii.a2b_qp(raw)
    except (binascii.Error, ValueError):
        return raw


def has_encoded_words(value: str) -> bool:
    return "=?" in value and ENCODED_WORD.search(value) is not None


def decode_words(value: str, hints: tuple[str, ...] = ()) -> str:
    """Decode RFC 2047 encoded-words anywhere in ``value``.

    Whitespace between adjacent encoded-words is dropped (RFC 2047 §6.2), and adjacent words in
    the same charset are joined as bytes before decoding, because encoders split multi-byte
    characters across words.
    """
    if "=?" not in value:
        return value
    out: list[str] = []
    pos = 0
    pending: list[tuple[str, bytes]] = []  # adjacent words not yet decoded: (charset, bytes)

    def flush() -> None:
        if not pending:
            return
        charset, buf = pending[0][0], b""
        for cs, chunk in pending:
            if cs != charset:
                out.append(decode_text(buf, charset, hints)[0])
                charset, buf = cs, b""
            buf += chunk
        out.append(decode_text(buf, charset, hints)[0])
        pending.clear()

    for match in ENCODED_WORD.finditer(value):
        between = value[pos : match.start()]
        if pending and (between == "" or between.isspace()):
            pass  # whitespace between encoded words is not part of the text
        else:
            flush()
            out.append(between)
        charset = match.group(1).lower()
        encoded = match.group(3)
        chunk = _b_decode(encoded) if match.group(2) in "bB" else _q_decode(encoded)
        pending.append((charset, chunk))
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out)


# --- RFC 2231 / RFC 2045 parameters ----------------------------------------------------------

_PARAM = re.compile(
    r"""\s*;?\s*([^=;\s"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)""",
    re.DOTALL,
)


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        value = value[1:-1] if len(value) > 1 and value.endswith('"') else value[1:]
        # Only \" and \\ are unescaped: Windows paths ("C:\dir\file") arrive unescaped.
        value = value.replace('\\"', '"').replace("\\\\", "\\")
    return value


_GLUED_PARAM = re.compile(r"\s*([^\s;=]+)\s+([\w-]+\*?[\w*]*\s*=.*)", re.DOTALL)


def split_header_value(value: str) -> tuple[str, dict[str, str]]:
    """``text/plain; charset="utf-8"; name*=utf-8''%E2%82%AC.txt`` → ("text/plain", params).

    Parameter names are lowercased; RFC 2231 continuations and charsets are decoded, and so are
    RFC 2047 encoded-words in quoted values (not allowed there, but universal).
    """
    main, _, rest = value.partition(";")
    glued = _GLUED_PARAM.match(main)
    if glued:  # "multipart/mixed boundary=x": a parameter without its semicolon
        main, rest = glued.group(1), glued.group(2) + ";" + rest
    params: dict[str, str] = {}
    if not rest:
        return main.strip(), params
    continued: dict[str, dict[int, tuple[bool, str]]] = {}
    extended: dict[str, str] = {}
    for match in _PARAM.finditer(rest):
        name = match.group(1).lower()
        raw = match.group(2)
        star = name.endswith("*")
        if star:
            name = name[:-1]
        if "*" in name:
            base, _, index = name.partition("*")
            if index.isdigit():
                continued.setdefault(base, {}).setdefault(int(index), (star, _unquote(raw)))
                continue
        if star:
            extended.setdefault(name, _rfc2231_value(_unquote(raw)))
        else:
            params.setdefault(name, _unquote(raw).strip())
    for name, pieces in continued.items():
        extended.setdefault(name, _join_continuation(pieces))
    params.update(extended)
    for name, val in params.items():
        if "=?" in val:
            params[name] = decode_words(val)
    return main.strip(), params


def _rfc2231_value(value: str) -> str:
    charset, sep, rest = value.partition("'")
    if not sep:
        return _decode_percent(value, None)
    _lang, sep, encoded = rest.partition("'")
    if not sep:
        return _decode_percent(rest, charset)
    return _decode_percent(encoded, charset)


def _decode_percent(value: str, charset: str | None) -> str:
    if "%" not in value:
        return value
    data = re.sub(
        rb"%([0-9A-Fa-f]{2})",
        lambda m: bytes((int(m.group(1), 16),)),
        value.encode("utf-8", "replace"),
    )
    return decode_text(data, charset or "utf-8")[0]


def _join_continuation(pieces: dict[int, tuple[bool, str]]) -> str:
    charset: str | None = None
    buf = b""
    for index in sorted(pieces):
        extended, text = pieces[index]
        if extended:
            if index == 0 or (charset is None and text.count("'") >= 2):
                cs, _, rest = text.partition("'")
                _lang, _, text = rest.partition("'")
                charset = cs or charset
            buf += re.sub(
                rb"%([0-9A-Fa-f]{2})",
                lambda m: bytes((int(m.group(1), 16),)),
                text.encode("utf-8", "replace"),
            )
        else:
            buf += text.encode("utf-8", "replace")
    return decode_text(buf, charset or "utf-8")[0]


# --- Single-line header text -----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\x85]")
_NEWLINES = re.compile(r"[\r\n]+")


def single_line(value: str) -> str:
    """A header value that cannot break out of its line: CR/LF (and Unicode line separators)
    become spaces, other control characters are dropped."""
    if value.isprintable():
        return value
    if "\r" in value or "\n" in value:
        value = _NEWLINES.sub(" ", value)
    return _CONTROL.sub(lambda m: " " if m.group() in "\u2028\u2029\x85" else "", value)
