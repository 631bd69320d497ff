"""What the mail parser hands to the rest of the desk: one ``ParsedMail`` per raw message.

The JSON form (``to_json``) is the public shape of ``mannerly mail parse --json``
(shared/spec/mail.md); add fields, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    @property
    def key(self) -> str:
        """The address for comparisons: ``email`` keeps the sender's spelling (case), mail
        systems treat it case-insensitively."""
        return self.email.lower()

    def to_json(self) -> dict:
        return {"name": self.name, "email": self.email}


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str
    inline: bool = False
    content_id: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    def to_json(self) -> dict:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "inline": self.inline,
        }


@dataclass(frozen=True)
class Bounce:
    status: str
    recipient: str
    reason: str

    def to_json(self) -> dict:
        return {"status": self.status, "recipient": self.recipient, "reason": self.reason}


@dataclass
class ParsedMail:
    """A decoded message. Every header is a single line; ``text`` is never None."""

    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    from_: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    text: str = ""
    # The customer's new words: ``text`` without quoted history and signature.
    new_text: str = ""
    html: str | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    auto_reply: bool = False
    bounce: Bounce | None = None
    # Mailing-list and other automatic mail that must never be answered automatically.
    list_id: str = ""
    defects: list[str] = field(default_factory=list)
    # Every header field in order, decoded and on one line (for rules and the raw view).
    headers: list[tuple[str, str]] = field(default_factory=list)
    # The sender is one of the desk's own mailboxes (``parse(own_addresses=…)``): never answer.
    from_own_address: bool = False
    # The top-level MIME type ("multipart/mixed", "text/plain", ...).
    content_type: str = "text/plain"

    def header(self, name: str) -> str:
        """The first decoded value of header ``name`` (case-insensitive), or ""."""
        lowered = name.lower()
        return next((v for n, v in self.headers if n.lower() == lowered), "")

    def to_json(self, file: str = "") -> dict:
        return {
            "file": file,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "from": self.from_.to_json() if self.from_ else None,
            "to": [a.to_json() for a in self.to],
            "cc": [a.to_json() for a in self.cc],
            "reply_to": [a.to_json() for a in self.reply_to],
            "text": self.text,
            "html": self.html,
            "attachments": [a.to_json() for a in self.attachments],
            "auto_reply": self.auto_reply,
            "bounce": self.bounce.to_json() if self.bounce else None,
            "defects": self.defects,
        }
