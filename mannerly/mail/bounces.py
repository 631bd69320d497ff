"""Delivery failures: RFC 3464 delivery status notifications and the non-standard bounces that
qmail, Exim, Exchange, Domino, Postfix, Sendmail, Gmail and friends still send.

A bounce tells the desk that a reply did not arrive; it is never a customer message and never an
auto-reply (the contract keeps the two apart, even when a DSN also carries ``Auto-Submitted``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mannerly.mail.decode import decode_text, single_line
from mannerly.mail.headers import Headers
from mannerly.mail.mime import Part

_STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
_FAIL_STATUS = re.compile(r"(?<![\d.])[45]\.\d{1,3}\.\d{1,3}(?![\d.]*\d)")
_SMTP_CODE = re.compile(r"(?<![\d.#-])([45][0-5]\d)(?:[ -]|$)")
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DAEMON_LOCAL = re.compile(
    r"^(?:mailer[-_.]?daemon|post[-_.]?master|mail[-_.]?daemon|mail\.delivery\.system|"
    r"mail[-_.]?delivery[-_.]?(?:system|subsystem)?|mdaemon|bounces?|nobody|noreply-bounce|"
    r"mail-?administrator|mailadmin|pmdf)$",
    re.IGNORECASE,
)
_DAEMON_NAME = re.compile(
    r"mail deliver(?:y)? (?:system|subsystem)|mailer.?daemon|postmaster|delivery status|"
    r"mail administrator|mail delivery|système de livraison|e-mail-zustell|почтов(?:ая|ый) "
    r"(?:служба|систем)|mail system",
)
_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery status notification|delivery (?:failure|failed|has failed|"
    r"problem|report|notification.{0,5}(?:fail|error))|returned mail|return(?:ed)? to sender|"
    r"mail delivery failed|failure notice|non.?delivery|could not be delivered|not delivered|"
    r"mail system error|delivery failure|message delivery has failed|"
    r"nicht zustellbar|unzustellbar|non remis|non distribuable|échec de (?:la )?remise|"
    r"не доставлено|недоставлен|не може бути доставлено|не доставлен|退信|投递失败|未送达|"
    r"無法傳遞|送信エラー|配信不能|メールエラー|エラー通知|rejected|user unknown|mail error|"
    r"returned mail|not a member|are not member",
)
# Patterns below are matched against lowercased text (see heuristic_verdict).
# Substrings every _SUBJECT alternative contains one of: a cheap first look.
_SUBJECT_HINTS = (
    "deliver",
    "return",
    "fail",
    "non",
    "mail",
    "reject",
    "unknown",
    "zustell",
    "remis",
    "distribuable",
    "remise",
    "доставл",
    "退信",
    "投递",
    "送达",
    "傳遞",
    "エラー",
    "配信",
    "member",
    "error",
)
_FAILURE = re.compile(
    r"could not be delivered|couldn't be delivered|wasn't able to deliver|was not delivered|"
    r"not be delivered|undeliverable|delivery (?:to the following recipients? )?(?:has )?failed|"
    r"delivery has failed|failed permanently|permanent(?:ly)? (?:error|failure|fatal)|"
    r"user unknown|unknown user|no such (?:user|mailbox|recipient|address)|does not exist|"
    r"mailbox (?:is )?(?:full|unavailable|not found|disabled)|over quota|quota exceeded|"
    r"address(?:es)? failed|had delivery errors|delivery errors|recipient (?:address )?rejected|"
    r"not listed in|unrouteable|host unknown|domain not found|message (?:was )?rejected|"
    r"relay(?:ing)? denied|access denied|blocked|spam|too large|size limit|expired|"
    r"could not deliver|unable to deliver|giving up|given up|retry timeout|"
    r"delivery problems?|non-delivered|not delivered|exceeded|\brejected\b|refused|"
    r"error delivering|did not reach|not recognized|unknown recipient|failure reasons?|"
    r"cannot send|can't send|could not send|aborted|could not find|not a member|"
    r"delivery (?:status notification|failure)|undeliverable|"
    r"nicht zugestellt|не удалось доставить|не доставлено|无法投递|退回|投递失败",
)
_NO_REPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply)", re.IGNORECASE)
_LIST_ROBOT = re.compile(r"-(?:admin|owner|request|bounces?)$", re.IGNORECASE)
# "550 5.1.1 ...", "550-'5.7.1 ...", "550 #5.1.0": a reply code and the status it carries.
_CODE_AND_STATUS = re.compile(r"\b[45]\d\d[ -]['\"#]?([45]\.\d{1,3}\.\d{1,3})\b")
_COPY_MARKER = re.compile(
    r"^\s*(?:-{2,}.*(?:copy of|original message|below this line|undelivered message|"
    r"returned message|message headers|original mail).*|"
    r"(?:original message follows|the original message (?:was|is) )|return-path:\s|received:\s)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Delivery:
    """One recipient block of a delivery status report."""

    recipient: str
    action: str
    status: str
    diagnostic: str


def _walk(part: Part) -> Iterator[Part]:
    yield part
    for child in part.children:
        yield from _walk(child)


def _fields(block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    name = ""
    for line in block.split("\n"):
        if line[:1] in (" ", "\t") and name:
            fields[name] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            name = key.strip().lower()
            fields.setdefault(name, value.strip())
    return fields


def parse_delivery_status(text: str) -> list[Delivery]:
    """Per-recipient fields of a ``message/delivery-status`` body (RFC 3464 §2.3)."""
    text = text[:200_000].replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", text.strip())[:500]
    deliveries: list[Delivery] = []
    for block in blocks:
        fields = _fields(block)
        recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
        if not recipient and "action" not in fields and "status" not in fields:
            continue
        _kind, sep, address = recipient.partition(";")
        address = (address if sep else recipient).strip().strip("<>").strip()
        status = fields.get("status", "")
        match = _STATUS.search(status) or _STATUS.search(fields.get("diagnostic-code", ""))
        deliveries.append(
            Delivery(
                recipient=single_line(address),
                action=fields.get("action", "").strip().lower(),
                status=".".join(match.groups()) if match else "",
                diagnostic=_diagnostic(fields.get("diagnostic-code", "")),
            )
        )
    return deliveries


def _diagnostic(value: str) -> str:
    kind, sep, rest = value.partition(";")
    text = rest if sep and len(kind) < 20 and " " not in kind.strip() else value
    return single_line(" ".join(text.split()))[:500]


def _status_from(text: str, default: str) -> str:
    """The most specific delivery status in ``text``: one that follows an SMTP reply code,
    else the first failure status, else one derived from the reply code."""
    paired = _CODE_AND_STATUS.search(text)
    if paired:
        return paired.group(1)
    match = _FAIL_STATUS.search(text) or _STATUS.search(text)
    if match:
        return match.group(0)
    code = _SMTP_CODE.search(text)
    if code:
        return f"{code.group(1)[0]}.0.0"
    return default


@dataclass(frozen=True)
class Verdict:
    """What delivery reports say about a message: a failure, or only automatic news."""

    status: str
    recipient: str
    reason: str
    failed: bool


def _report_parts(root: Part, nested: bool, defects: list[str]) -> Iterator[Part]:
    for part in _walk(root):
        if part.content_type in ("message/delivery-status", "message/global-delivery-status"):
            yield part
        elif nested and part.content_type == "message/rfc822":
            # A mail daemon forwarding a DSN (the report sits inside an attached message).
            from mannerly.mail.mime import parse_entity

            inner = parse_entity(part.payload(defects)[:1_000_000], [])
            yield from _report_parts(inner, False, defects)


def dsn_verdict(
    root: Part, defects: list[str], human_text: str = "", nested: bool = False
) -> Verdict | None:
    """Read the RFC 3464 report in the message, if there is one."""
    for part in _report_parts(root, nested, defects):
        data = part.payload(defects)
        # The report may itself be encoded (some MTAs base64 it); undo that.
        text = decode_text(data, part.params.get("charset") or "utf-8")[0]
        deliveries = parse_delivery_status(text)
        if not deliveries:
            continue
        failed = [d for d in deliveries if d.action == "failed"]
        if not failed:
            failed = [d for d in deliveries if not d.action and d.status.startswith("5")]
        if failed:
            first = failed[0]
            status = first.status or "5.0.0"
            if status.endswith(".0.0"):
                # "Status: 5.0.0" says little; the diagnostic or the text often says more.
                for source in (first.diagnostic, human_text[:20000]):
                    specific = _status_from(source, "")
                    if specific and specific[0] == status[0] and not specific.endswith(".0.0"):
                        status = specific
                        break
            reason = first.diagnostic or _reason_line(human_text[:20000])
            return Verdict(status, first.recipient, reason, True)
        first = deliveries[0]
        return Verdict(first.status, first.recipient, first.diagnostic or first.action, False)
    return None


def is_daemon(headers: Headers, sender: tuple[str, str] | None) -> bool:
    """Mail from a mail system (null return path, MAILER-DAEMON, postmaster, list robots)."""
    if "return-path" in headers and headers.get("return-path").strip() in ("<>", ""):
        return True
    raw_from = headers.get("from")
    if re.search(r"mailer-daemon|postmaster|mail delivery (?:system|subsystem)", raw_from, re.I):
        return True
    if sender is None:
        return False
    name, email = sender
    local = email.rpartition("@")[0] if "@" in email else email
    return bool(
        _DAEMON_LOCAL.match(local)
        or _LIST_ROBOT.search(local)
        or (name and _DAEMON_NAME.search(name.lower()))
    )


def _automatic(headers: Headers, sender: tuple[str, str] | None) -> bool:
    if headers.get("auto-submitted").strip().lower() not in ("", "no"):
        return True
    local = sender[1].rpartition("@")[0] if sender else ""
    return bool(local and _NO_REPLY.match(local))


def heuristic_verdict(
    headers: Headers,
    subject: str,
    text: str,
    sender: tuple[str, str] | None,
    own: set[str],
) -> Verdict | None:
    """A non-standard bounce: a mailer daemon or bounce subject plus words of failure."""
    failed_header = headers.decoded("x-failed-recipients")
    daemon = is_daemon(headers, sender)
    lowered = subject.lower()
    bounce_subject = any(hint in lowered for hint in _SUBJECT_HINTS) and bool(
        _SUBJECT.search(lowered)
    )
    if not failed_header and not (daemon or bounce_subject):
        return None
    report = text
    marker = _COPY_MARKER.search(text)
    if marker and marker.start() > 0:
        report = text[: marker.start()]
    # The phrase patterns are lowercase: searching lowercased text is ten times faster than
    # re.IGNORECASE over these alternations.
    failure_words = _FAILURE.search(report.lower()) is not None or (
        daemon and _FAILURE.search(lowered) is not None
    )
    status_code = _FAIL_STATUS.search(report) is not None
    automatic = daemon or _automatic(headers, sender)
    if not failed_header:
        if daemon and not (failure_words or status_code):
            return None
        # A customer may well write "Delivery failed" about a parcel (and quote a version
        # number that looks like a status): without a mailer-daemon sender, ask for machine
        # evidence too, an SMTP reply with its status ("550 5.1.1") or automatic headers.
        machine = _CODE_AND_STATUS.search(report) is not None
        if not daemon and not (failure_words and (machine or automatic)):
            return None
    recipient = ""
    if failed_header:
        found = _ADDRESS.search(failed_header)
        recipient = found.group() if found else ""
    if not recipient:
        recipient = _failed_recipient(report, own)
    status = _status_from(report, "5.0.0")
    if status.startswith("2"):
        status = "5.0.0"
    return Verdict(status, recipient, _reason_line(report), True)


def _failed_recipient(report: str, own: set[str]) -> str:
    """The first address in the report that is not the bounce's own sender or addressee and
    not the envelope sender an MTA quotes (``MAIL FROM:<…>``)."""
    skip = {a.lower() for a in own}
    for match in re.finditer(r"mail from:\s*<?([^>\s]+)", report, re.IGNORECASE):
        skip.add(match.group(1).lower())
    for match in _ADDRESS.finditer(report):
        address = match.group().strip(".")
        if address.lower() not in skip:
            return address
    return ""


def _reason_line(report: str) -> str:
    lines = [line.strip() for line in report.split("\n") if line.strip()]
    for line in lines:
        if _STATUS.search(line) or _SMTP_CODE.search(line):
            return single_line(line)[:500]
    for line in lines:
        if _FAILURE.search(line.lower()):
            return single_line(line)[:500]
    return single_line(lines[0])[:500] if lines else ""
