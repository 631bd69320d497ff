"""Turn raw RFC 5322 bytes into a ``ParsedMail``. Never raises: problems become ``defects``.

First version on the standard library's parser; the mail channel issue replaces it with a
measured, corpus-tested one behind the same ``parse(raw) -> ParsedMail`` function.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

import nh3

from mannerly.mail.parsed import Address, ParsedAttachment, ParsedMail


def _single_line(value: object) -> str:
    return " ".join(str(value or "").split())


def _addresses(message: EmailMessage, header: str) -> list[Address]:
    values = [str(v) for v in message.get_all(header, [])]
    return [Address(_single_line(n), e.strip().lower()) for n, e in getaddresses(values) if e]


def _message_ids(value: str) -> list[str]:
    return [f"<{part.strip('<>')}>" for part in value.replace(",", " ").split() if "@" in part]


def parse(raw: bytes) -> ParsedMail:
    mail = ParsedMail()
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the stdlib parser is lenient; this guards the contract anyway
        mail.defects.append(f"unparseable: {exc}")
        return mail
    mail.defects.extend(type(d).__name__ for d in message.defects)
    mail.message_id = _single_line(message.get("Message-ID", ""))
    mail.in_reply_to = _single_line(message.get("In-Reply-To", ""))
    mail.references = _message_ids(_single_line(message.get("References", "")))
    mail.subject = _single_line(message.get("Subject", ""))
    try:
        mail.date = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        mail.defects.append("unreadable Date header")
    senders = _addresses(message, "From")
    mail.from_ = senders[0] if senders else None
    mail.to = _addresses(message, "To")
    mail.cc = _addresses(message, "Cc")
    mail.reply_to = _addresses(message, "Reply-To")
    mail.list_id = _single_line(message.get("List-Id", ""))
    auto = _single_line(message.get("Auto-Submitted", "")).lower()
    precedence = _single_line(message.get("Precedence", "")).lower()
    mail.auto_reply = (auto not in ("", "no")) or precedence in ("bulk", "junk", "auto_reply")
    _read_body(message, mail)
    mail.new_text = mail.text
    return mail


def _read_body(message: EmailMessage, mail: ParsedMail) -> None:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    try:
        if html is not None:
            mail.html = nh3.clean(html.get_content())
        if plain is not None:
            mail.text = plain.get_content()
        elif mail.html is not None:
            mail.text = nh3.clean(mail.html, tags=set())
    except (LookupError, UnicodeError, AssertionError) as exc:
        mail.defects.append(f"undecodable body: {exc}")
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        mail.attachments.append(
            ParsedAttachment(
                filename=_single_line(part.get_filename() or "attachment"),
                content_type=part.get_content_type(),
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                inline=part.get_content_disposition() == "inline",
                content_id=_single_line(part.get("Content-ID", "")),
            )
        )
