"""The mail channel's records: mailboxes, every raw message received, the thread index and the
outbox.

A raw message is stored (and committed) before anything else is done with it; parsing and
threading are a second step that can fail, be retried and be run by several workers at once.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """An address the desk receives mail at and answers from, optionally polled over IMAP."""

    class Security(models.TextChoices):
        NONE = "none", _("None (plain text)")
        STARTTLS = "starttls", _("STARTTLS")
        TLS = "tls", _("TLS (IMAPS)")

    address = models.EmailField(_("address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="mailboxes"
    )
    active = models.BooleanField(default=True)
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), null=True, blank=True)
    imap_security = models.CharField(
        _("IMAP security"), max_length=10, choices=Security.choices, default=Security.TLS
    )
    imap_username = models.CharField(_("IMAP user name"), max_length=255, blank=True)
    imap_password = models.CharField(_("IMAP password"), max_length=255, blank=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=255, default="INBOX")
    # Where the outgoing relay keeps a copy of what it accepted; searched after a crash in the
    # send window to avoid sending a reply twice (see outbox.py).
    imap_sent_folder = models.CharField(_("IMAP sent folder"), max_length=255, blank=True)
    # Whether to check the certificate of the IMAP server (off only for private test servers).
    imap_verify_tls = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)

    @property
    def polls_imap(self) -> bool:
        return bool(self.active and self.imap_host and self.imap_username)

    @property
    def imap_port_or_default(self) -> int:
        if self.imap_port:
            return self.imap_port
        return 993 if self.imap_security == self.Security.TLS else 143


class ImapCheckpoint(models.Model):
    """How far a mailbox folder has been fetched: its UIDVALIDITY and the last UID stored.

    Advanced in the same transaction that stores the fetched raw messages, so a restart neither
    skips nor repeats a message.
    """

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="checkpoints")
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField()
    last_uid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "folder"], name="imap_checkpoint_folder")
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} {self.folder} {self.uidvalidity}:{self.last_uid}"


class RawMail(models.Model):
    """One delivery of one message, exactly as received, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        DONE = "done", _("Processed")
        QUARANTINED = "quarantined", _("Quarantined")

    class Action(models.TextChoices):
        CREATED = "created", _("Created a ticket")
        APPENDED = "appended", _("Appended to a ticket")
        DUPLICATE = "duplicate", _("Duplicate")
        AUTO_REPLY = "auto-reply", _("Automatic reply")
        BOUNCE = "bounce", _("Bounce")
        QUARANTINED = "quarantined", _("Quarantined")

    data = models.BinaryField()
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Where it came from: "smtp", "imap:<mailbox>/<folder>/<uidvalidity>/<uid>", "file:<path>".
    source = models.CharField(max_length=1000, blank=True)
    envelope_from = models.CharField(max_length=998, blank=True)
    envelope_to = models.JSONField(default=list, blank=True)
    # Read from the header block when the bytes are stored (before parsing) so that workers can
    # process a thread's messages in order; replaced by the parser's values afterwards.
    msgid = models.CharField(max_length=998, blank=True, db_index=True)  # the Message-ID header
    sender = models.CharField(max_length=320, blank=True, db_index=True)
    subject = models.CharField(max_length=1000, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Due time for (re)processing and the lease of the worker that claimed it.
    available_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    # Set on the one delivery that was taken: a second row with the same key is a duplicate.
    accepted_key = models.CharField(max_length=998, null=True, blank=True, unique=True)
    action = models.CharField(max_length=16, choices=Action.choices, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "tickets.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raw_mails",
    )
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What must never be answered automatically, kept from parsing for the loop guard.
    auto_reply = models.BooleanField(default=False)
    bounce = models.BooleanField(default=False)
    list_id = models.CharField(max_length=500, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "available_at", "id"], name="rawmail_due"),
            # A worker's claim walks the pending rows oldest first and stops at its group
            # size, and first asks which senders other workers hold: without these two
            # indexes both read every pending row, and each claim cost the database
            # ~40 ms at 20,000 pending.
            models.Index(
                fields=["id"], condition=models.Q(status="pending"), name="rawmail_pending"
            ),
            models.Index(
                fields=["claimed_by", "sender"],
                condition=models.Q(status="pending") & ~models.Q(claimed_by=""),
                name="rawmail_held",
            ),
        ]

    def __str__(self) -> str:
        return f"raw mail {self.pk} ({self.status})"

    @property
    def is_automatic(self) -> bool:
        return self.auto_reply or self.bounce or bool(self.list_id)


class ThreadLink(models.Model):
    """The thread index: Message-IDs that lead to a message (its own, and those it refers to).

    One indexed lookup answers "which ticket knows any of these ids", in both directions: a
    reply finds its parent, and a parent that arrives after its reply finds the reply.
    """

    key = models.CharField(max_length=998, db_index=True)
    message = models.ForeignKey("tickets.Message", on_delete=models.CASCADE, related_name="+")
    own = models.BooleanField(default=False)  # the message's own Message-ID, not a reference

    def __str__(self) -> str:
        return f"{self.key} → message {self.message_id}"


class Participant(models.Model):
    """Someone on an email thread: the customer and everyone they copied, so replies go to all."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    email = models.CharField(max_length=320)
    name = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "email"], name="participant_ticket_email")
        ]
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.email


class OutgoingMail(models.Model):
    """One message to send, built once (bytes and Message-ID fixed) and sent by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        # The end-of-data dot was sent: the relay may have accepted it (the crash window).
        UNCERTAIN = "uncertain", _("Sending (awaiting the server's answer)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        AUTOMATIC = "automatic", _("Automatic")

    message = models.OneToOneField(
        "tickets.Message", on_delete=models.CASCADE, related_name="outgoing_mail"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REPLY)
    reason = models.CharField(max_length=200, blank=True)
    msgid = models.CharField(
        max_length=998, unique=True
    )  # the Message-ID header, fixed at queueing
    from_address = models.CharField(max_length=320)
    recipients = models.JSONField(default=list)  # envelope recipients, lower case
    to_address = models.CharField(max_length=320, blank=True)  # the main recipient (loop guard)
    data = models.BinaryField()

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    refused = models.JSONField(default=dict, blank=True)  # recipient -> the server's refusal
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_due"),
            models.Index(fields=["to_address", "kind", "created_at"], name="outgoing_loop_guard"),
        ]

    def __str__(self) -> str:
        return f"{self.msgid} ({self.status})"
