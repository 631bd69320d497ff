"""Turn raw RFC 5322 bytes into a ``ParsedMail``. Never raises: problems become ``defects``.

Our own reader on bytes (``headers``, ``mime``) rather than the standard library's or
fast-mail-parser's, because the hard cases are all about bytes: 8-bit headers in legacy
charsets, charsets that lie, broken boundaries and base64, exact attachment bytes. It is measured
against 448 messages from other projects' test suites (``mannerly.mail.conformance``) and on the
synthetic bench corpus (``bench/mail_parse.py``).
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz

from mannerly.mail import autoreply, bounces, quoting
from mannerly.mail.addresses import parse_addresses
from mannerly.mail.decode import decode_text, decode_words, single_line
from mannerly.mail.headers import Headers, find_body, parse_headers
from mannerly.mail.html import html_title, html_to_text, sanitize, text_to_html
from mannerly.mail.mime import Part, parse_entity, uuencoded_name
from mannerly.mail.parsed import Address, Bounce, ParsedAttachment, ParsedMail

_MSG_ID = re.compile(r"<\s*([^<>\s]+?)\s*>")
_BARE_ID = re.compile(r"[^\s<>,;\"()]+@[^\s<>,;\"()]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([-\w.:]+)""", re.IGNORECASE)
_BODY_TEXT = ("text/plain", "text/html")
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MAX_REFERENCES = 100
_MAX_HEADER_CHARS = 16384


def parse(raw: bytes, *, own_addresses: Iterable[str] = ()) -> ParsedMail:
    """Parse one raw message. ``own_addresses`` are the desk's mailboxes: mail from them is
    marked ``from_own_address`` and ``auto_reply`` (never answered automatically)."""
    mail = ParsedMail()
    try:
        if not isinstance(raw, bytes):
            raw = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
        _parse_into(raw, mail, {a.strip().lower() for a in own_addresses if a})
    except Exception as exc:  # the contract: never raise; the caller keeps the raw bytes
        mail.defects.append(f"parser failure: {type(exc).__name__}: {single_line(str(exc))[:200]}")
    return mail


@dataclass
class _Body:
    """Body parts in reading order, and every other part."""

    segments: list[tuple[str | None, str | None]] = field(default_factory=list)  # (plain, html)
    attachments: list[tuple[Part, bool]] = field(default_factory=list)  # (part, inline)


def _parse_into(raw: bytes, mail: ParsedMail, own: set[str]) -> None:
    defects = mail.defects
    headers, body_start, header_defects = parse_headers(raw)
    defects.extend(header_defects)
    hints = _declared_charsets(headers, raw)
    _read_headers(headers, mail, hints)
    root = parse_entity(raw, defects, hints, headers=headers, body_start=body_start)
    mail.content_type = root.content_type
    body = _Body()
    _collect(root, body, hints, defects, depth=0)
    if not body.segments:
        _inline_text_as_body(body, hints, defects)
    _fill_body(body, mail, hints, defects)
    mail.new_text = quoting.new_text(mail.text)
    _classify(headers, root, mail, own, defects)


def _declared_charsets(headers: Headers, raw: bytes) -> tuple[str, ...]:
    """Charsets declared in the message: the best guess for undeclared 8-bit text in it."""
    found = re.findall(rb"""charset\s*=\s*["']?([-\w.:]+)""", raw[:65536], re.IGNORECASE)
    seen: list[str] = []
    for label in found:
        text = label.decode("ascii", "replace").lower()
        if text not in seen and text not in ("us-ascii", "utf-8"):
            seen.append(text)
    return tuple(seen[:5])


# --- Headers ---------------------------------------------------------------------------------


def _text(headers: Headers, name: str, hints: tuple[str, ...]) -> str:
    value = headers.get(name)
    if not value:
        return ""
    if len(value) > _MAX_HEADER_CHARS:
        value = value[:_MAX_HEADER_CHARS]
    # Whitespace inside the decoded text is the sender's (RFC 2047 words may end in a space).
    return single_line(decode_words(value.strip(), hints))


def _addresses(headers: Headers, name: str, hints: tuple[str, ...]) -> list[Address]:
    """Mailboxes we could write to (an address with an ``@``), in order, from every
    occurrence of header ``name``."""
    result: list[Address] = []
    for value in headers.get_all(name):
        for display, email in parse_addresses(value[: _MAX_HEADER_CHARS * 4], hints):
            if "@" in email:
                result.append(Address(display, email))
    return result


def sender_addresses(headers: Headers, hints: tuple[str, ...] = ()) -> list[Address]:
    """The From mailboxes: the first From field that holds a real address (spam and broken
    gateways add a second, garbled From), else whatever From names (``MAILER-DAEMON``)."""
    fallback: list[Address] = []
    for value in headers.get_all("from"):
        found = [
            Address(display, email)
            for display, email in parse_addresses(value[: _MAX_HEADER_CHARS * 4], hints)
            if email
        ]
        if any("@" in a.email for a in found):
            return found
        fallback = fallback or found
    return fallback


def _message_ids(value: str) -> list[str]:
    value = single_line(value)
    ids = [f"<{m}>" for m in _MSG_ID.findall(value)]
    if not ids:
        ids = [f"<{m.strip('<>')}>" for m in _BARE_ID.findall(value)]
    return ids


def _read_headers(headers: Headers, mail: ParsedMail, hints: tuple[str, ...]) -> None:
    mail.headers = [
        (name, value)
        if "=?" not in value and value.isprintable() and len(value) <= _MAX_HEADER_CHARS
        else (name, single_line(decode_words(value[:_MAX_HEADER_CHARS], hints)).strip())
        for name, value in headers.fields
    ]
    ids = _message_ids(headers.get("message-id"))
    if ids:
        mail.message_id = ids[0]
    elif headers.get("message-id").strip():
        token = single_line(headers.get("message-id")).strip()[:500]
        mail.message_id = f"<{token.strip('<>')}>" if " " not in token else ""
        mail.defects.append("malformed Message-ID")
    reply_ids = _message_ids(headers.get("in-reply-to"))
    mail.in_reply_to = reply_ids[0] if reply_ids else ""
    # One References field by RFC 5322; a second one (broken clients) is ignored, as by others.
    references = _message_ids(headers.get("references"))
    if len(references) > _MAX_REFERENCES:
        references = references[:1] + references[-(_MAX_REFERENCES - 1) :]
    mail.references = references
    mail.subject = _text(headers, "subject", hints)
    mail.date = parse_date(headers.get("date"), mail.defects)
    senders = sender_addresses(headers, hints)
    if not senders:
        for fallback in ("sender", "reply-to", "return-path"):
            senders = _addresses(headers, fallback, hints)
            if senders:
                mail.defects.append(f"no From address; used {fallback.title()}")
                break
    mail.from_ = next((a for a in senders if "@" in a.email), senders[0] if senders else None)
    mail.to = _addresses(headers, "to", hints)
    mail.cc = _addresses(headers, "cc", hints)
    mail.reply_to = _addresses(headers, "reply-to", hints)


_TZ_NAMES = {
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "CET": 1,
    "CEST": 2,
    "MSK": 3,
    "JST": 9,
}


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_RFC5322_DATE = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+([+-])(\d{2})(\d{2})(?:\s*\([^)]*\))?\s*"
)


def parse_date(value: str, defects: list[str]) -> datetime | None:
    """RFC 5322 date (and the usual deviations) as an aware datetime; None if unreadable."""
    value = single_line(value).strip()
    if not value:
        return None
    m = _RFC5322_DATE.fullmatch(value)
    if m and m.group(2).lower() in _MONTHS:
        try:
            minutes = int(m.group(8)) * 60 + int(m.group(9))
            shift = timedelta(minutes=-minutes if m.group(7) == "-" else minutes)
            return datetime(
                int(m.group(3)),
                _MONTHS[m.group(2).lower()],
                int(m.group(1)),
                int(m.group(4)),
                int(m.group(5)),
                int(m.group(6) or 0),
                tzinfo=timezone(shift),
            )
        except ValueError:
            pass  # fall through to the lenient reader
    parsed = parsedate_tz(value)
    if parsed is None:
        iso = re.search(
            r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?", value
        )
        if iso:
            try:
                stamp = datetime.fromisoformat(
                    f"{iso.group(1)}T{iso.group(2)}{(iso.group(3) or '+00:00').replace('Z', '+00:00')}"
                )
                return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
            except ValueError:
                pass
        defects.append("unreadable Date header")
        return None
    *fields, offset = parsed
    year, month, day, hour, minute, second = fields[:6]
    if offset is None:
        zone = re.search(r"\b([A-Z]{1,4})\s*$", value)
        offset = _TZ_NAMES.get(zone.group(1), 0) * 3600 if zone else 0
    try:
        tz = timezone(timedelta(seconds=offset))
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except (ValueError, OverflowError):
        defects.append("unreadable Date header")
        return None


# --- Body ------------------------------------------------------------------------------------


def _is_body_text(part: Part, depth: int = 0) -> bool:
    if part.broken_multipart:
        # The message itself: show what is there. A nested one: keep its bytes aside.
        return depth == 0
    return (
        part.content_type in _BODY_TEXT
        and part.disposition != "attachment"
        and not part.filename
        and part.cte not in ("x-uuencode", "uuencode", "x-uue", "uue")
    )


def _collect(
    part: Part,
    body: _Body,
    hints: tuple[str, ...],
    defects: list[str],
    depth: int,
    inline: bool = False,
) -> None:
    if not part.children:
        if part.broken_multipart and depth and not part.body.strip():
            return  # an empty container with a boundary that never comes: nothing to keep
        if _is_body_text(part, depth):
            part.payload(defects)
            if part.undecodable:  # corrupt text: keep the bytes, do not show noise as text
                body.attachments.append((part, inline))
                return
            text = _part_text(part, hints, defects)
            if part.content_type == "text/html":
                body.segments.append((None, text))
            else:
                body.segments.append((text, None))
        else:
            body.attachments.append((part, inline or part.disposition == "inline"))
        return
    subtype = part.subtype
    if subtype == "alternative":
        _collect_alternative(part, body, hints, defects, depth)
    elif subtype == "related":
        root = _related_root(part)
        for child in part.children:
            if child is root:
                _collect(child, body, hints, defects, depth + 1)
            elif child.children:
                _collect(child, body, hints, defects, depth + 1, inline=True)
            else:  # resources of the root document (images, style sheets)
                body.attachments.append((child, True))
    else:
        for child in part.children:
            if _is_inline_image(child) and body.segments:
                # Apple Mail and phones put screenshots between text parts: show them in place.
                cid = child.headers.get("content-id").strip().strip("<>").strip()
                body.segments.append((None, f'<img src="cid:{htmllib.escape(cid)}">'))
            _collect(child, body, hints, defects, depth + 1)


def _is_inline_image(part: Part) -> bool:
    return (
        not part.children
        and part.maintype == "image"
        and part.disposition == "inline"
        and bool(part.headers.get("content-id").strip())
    )


def _inline_text_as_body(body: _Body, hints: tuple[str, ...], defects: list[str]) -> None:
    """No body part, but an inline text part with a file name (some clients send the message
    that way): show its text too, and keep it as an attachment."""
    for part, _inline in body.attachments:
        if part.content_type in _BODY_TEXT and part.disposition == "inline":
            text = _part_text(part, hints, defects)
            if part.content_type == "text/html":
                body.segments.append((None, text))
            else:
                body.segments.append((text, None))
            return


def _related_root(part: Part) -> Part:
    start = part.params.get("start", "").strip().strip("<>")
    if start:
        for child in part.children:
            if child.headers.get("content-id").strip().strip("<>") == start:
                return child
    return part.children[0]


def _collect_alternative(
    part: Part, body: _Body, hints: tuple[str, ...], defects: list[str], depth: int
) -> None:
    """Pick the last plain and the last HTML rendering (RFC 2046: best is last); keep the
    attachments of the chosen ones (inline images) and every non-text alternative (calendar
    invitations) as attachments."""
    options: list[_Body] = []
    for child in part.children:
        option = _Body()
        _collect(child, option, hints, defects, depth + 1)
        options.append(option)
    plain_options = [o for o in options if o.segments and all(h is None for _, h in o.segments)]
    html_choice = next(
        (o for o in reversed(options) if any(h is not None for _, h in o.segments)), None
    )
    # Several plain "alternatives" are not renditions of one text (RFC 8621 keeps them all).
    plain = (
        "\n\n".join(p for o in plain_options for p, _ in o.segments if p is not None)
        if plain_options
        else None
    )
    html = None
    if html_choice:
        html = "\n".join(
            h if h is not None else text_to_html(p or "") for p, h in html_choice.segments
        )
        if plain is None and any(p is not None for p, _ in html_choice.segments):
            plain = "\n\n".join(
                p if p is not None else html_to_text(sanitize(h or ""))
                for p, h in html_choice.segments
            )
    if plain is not None or html is not None:
        body.segments.append((plain, html))
    for option in options:
        body.attachments.extend(option.attachments)


def _part_text(part: Part, hints: tuple[str, ...], defects: list[str]) -> str:
    data = part.payload(defects)
    charset = part.params.get("charset")
    if not charset and part.content_type == "text/html":
        meta = _META_CHARSET.search(data, 0, 4096)
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    text, problem = decode_text(data, charset, hints)
    if problem:
        defects.append(f"{part.content_type} part: {problem}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "").removeprefix("\ufeff")
    if part.content_type == "text/plain" and part.params.get("format", "").lower() == "flowed":
        text = unflow(text, part.params.get("delsp", "").lower() == "yes")
    return text


def unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: join soft-broken lines, undo space-stuffing."""
    out: list[str] = []
    current = ""
    joining = False
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if line == "-- ":
            if joining:
                out.append(current)
            out.append(line)
            current, joining = "", False
            continue
        piece = line[:-1] if delsp and line.endswith(" ") else line
        current = current + piece if joining else piece
        joining = line.endswith(" ") and not line.startswith(">")
        if not joining:
            out.append(current)
            current = ""
    if joining:
        out.append(current)
    return "\n".join(out)


def _fill_body(body: _Body, mail: ParsedMail, hints: tuple[str, ...], defects: list[str]) -> None:
    texts: list[str] = []
    htmls: list[str] = []
    any_html = any(h is not None for _, h in body.segments)
    sanitized: dict[int, str] = {}
    for index, (plain, html) in enumerate(body.segments):
        if html is not None:
            sanitized[index] = sanitize(html)
        if plain is not None and plain.strip():
            texts.append(plain)
        elif html is not None:
            texts.append(_html_text(html, sanitized[index], mail.subject))
        if any_html:
            htmls.append(sanitized[index] if html is not None else text_to_html(plain or ""))
    mail.text = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    mail.html = "\n".join(htmls) if any_html else None
    seen_names: set[int] = set()
    for part, inline in body.attachments:
        if id(part) in seen_names:
            continue
        seen_names.add(id(part))
        mail.attachments.append(_attachment(part, inline, defects))


def _html_text(html: str, clean: str, subject: str) -> str:
    """Text of an HTML body; a meaningful document title (newsletters and system mail put the
    real subject there) comes first, as mail clients show it."""
    text = html_to_text(clean)
    title = html_title(html)
    if title and title != subject.strip() and title not in text[:500]:
        return f"{title}\n\n{text}"
    return text


def _attachment(part: Part, inline: bool, defects: list[str]) -> ParsedAttachment:
    data = part.payload(defects)
    filename = part.filename
    if not filename and part.cte in ("x-uuencode", "uuencode", "x-uue", "uue"):
        filename = uuencoded_name(part.body)
    filename = _clean_filename(filename, defects)
    if not filename:
        filename = _default_filename(part, data)
    content_id = single_line(part.headers.get("content-id")).strip().strip("<>").strip()
    return ParsedAttachment(
        filename=filename,
        content_type=part.content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        inline=inline,
        content_id=content_id,
    )


def _clean_filename(name: str, defects: list[str]) -> str:
    """A sender's file name as display text: one line, no control or bidi-override characters
    (``invoice\u202efdp.exe`` would show as ``invoiceexe.pdf``)."""
    if not name:
        return ""
    cleaned = single_line(name).replace("\x00", "")
    if _BIDI_CONTROLS.search(cleaned):
        defects.append("attachment name with bidirectional control characters")
        cleaned = _BIDI_CONTROLS.sub("", cleaned)
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) != "Cc")
    return cleaned.strip()[:255]


_DEFAULT_NAMES = {
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "text/rfc822-headers": "headers.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "text/calendar": "invite.ics",
    "application/pgp-signature": "signature.asc",
    "application/pkcs7-signature": "smime.p7s",
    "application/x-pkcs7-signature": "smime.p7s",
    "application/ms-tnef": "winmail.dat",
}


def _default_filename(part: Part, data: bytes) -> str:
    if part.content_type in ("message/rfc822", "message/global"):
        inner, _, _ = parse_headers(data[:65536])
        subject = single_line(decode_words(inner.get("subject"))).strip()[:120]
        return f"{subject or 'message'}.eml"
    if part.content_type in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[part.content_type]
    import mimetypes

    extension = mimetypes.guess_extension(part.content_type) or ".bin"
    return "attachment" + extension


# --- Automatic mail --------------------------------------------------------------------------


def _classify(
    headers: Headers, root: Part, mail: ParsedMail, own: set[str], defects: list[str]
) -> None:
    mail.list_id = autoreply.list_id(headers)
    sender = (mail.from_.name, mail.from_.email) if mail.from_ else None
    daemon = bounces.is_daemon(headers, sender)
    verdict = bounces.dsn_verdict(root, defects, mail.text, nested=daemon)
    if verdict is None and root.content_type == "multipart/report":
        report_type = root.params.get("report-type", "").lower()
        if report_type in ("disposition-notification", "feedback-report"):
            mail.auto_reply = True
            return
    if verdict is None:
        known = {a.email for a in (*mail.to, *mail.cc)}
        if mail.from_:
            known.add(mail.from_.email)
        verdict = bounces.heuristic_verdict(headers, mail.subject, mail.text, sender, known)
    if verdict is not None and verdict.failed:
        mail.bounce = Bounce(verdict.status, verdict.recipient, verdict.reason)
        mail.auto_reply = False
        return
    if verdict is not None:
        mail.auto_reply = True  # a delay or success report: automatic, not a failure
        return
    mail.auto_reply = autoreply.is_auto_reply(headers, mail.subject, mail.new_text or mail.text)
    if mail.from_ and mail.from_.email.lower() in own:
        mail.from_own_address = True
        mail.auto_reply = True


# Re-exported for callers that only need the header section (the listener's quick checks).
__all__ = ["find_body", "parse", "parse_date"]
