"""Mail that must never be answered automatically: auto-replies (RFC 3834 and the real-world
variants), bounces (RFC 3464 and non-standard), mailing lists, and our own mailboxes."""

import pytest

from mannerly.mail.parse import parse


def message(headers: str, body: str = "Hello") -> bytes:
    base = (
        "From: Anna Smith <anna@example.com>\nTo: help@desk.example\nMessage-ID: <m1@example.com>\n"
    )
    return (base + headers.strip("\n") + "\n\n" + body).encode()


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
        "X-Autorespond: Vacation",
        "Precedence: bulk",
        "Precedence: junk",
        "Precedence: auto_reply",
        "X-Auto-Response-Suppress: All",
        "X-Auto-Response-Suppress: OOF, AutoReply",
        "Subject: Out of Office: Invoice",
        "Subject: Automatic reply: Invoice",
        "Subject: 自动回复: 发票",
        "Subject: Автовідповідь: Рахунок",
        "Subject: Автоответ: Счёт",
    ],
)
def test_automatic_mail_is_an_auto_reply(headers):
    mail = parse(message(headers))
    assert mail.auto_reply is True
    assert mail.bounce is None


@pytest.mark.parametrize(
    "body",
    [
        "I am currently out of the office until March 9 with limited access to email.",
        "我正在休假，3月9日回来。紧急事务请联系李娜。",
        "Доброго дня! Я у відпустці до 9 березня. З термінових питань пишіть Тарасу.",
        "Здравствуйте! Я в отпуске до 9 марта, отвечу по возвращении.",
        "This is an automatic reply. Your message has been received.",
    ],
)
def test_out_of_office_bodies_are_recognised(body):
    assert parse(message("Subject: Re: Invoice", body)).auto_reply is True


def test_auto_submitted_no_is_a_person():
    assert parse(message("Auto-Submitted: no\nSubject: Invoice")).auto_reply is False


def test_a_customer_mentioning_a_holiday_is_not_an_auto_reply():
    body = (
        "Hello, I was out of the office last week and now the invoice portal shows an error.\n"
        + "Could you check my account? " * 120
    )
    mail = parse(message("Subject: Invoice portal error", body))
    assert mail.auto_reply is False


DSN = """From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: help@desk.example
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="r"

--r
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--r
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.com
Original-Recipient: rfc822;gone@example.com
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: Recipient address rejected:
    User unknown in virtual mailbox table

--r
Content-Type: message/rfc822

From: help@desk.example
To: gone@example.com
Subject: Re: Invoice
Message-ID: <reply-1@desk.example>

Our answer.
--r--
"""


def test_delivery_status_notification_is_a_bounce_not_an_auto_reply():
    mail = parse(DSN.format(action="failed", status="5.1.1").encode())
    assert mail.bounce is not None
    assert mail.bounce.status == "5.1.1"
    assert mail.bounce.recipient == "gone@example.com"
    assert "User unknown" in mail.bounce.reason
    assert "\n" not in mail.bounce.reason
    assert mail.auto_reply is False  # even with Auto-Submitted


def test_generic_dsn_status_is_refined_from_the_diagnostic():
    mail = parse(DSN.format(action="failed", status="5.0.0").encode())
    assert mail.bounce.status == "5.1.1"


def test_delay_warning_is_automatic_but_not_a_bounce():
    mail = parse(DSN.format(action="delayed", status="4.4.7").encode())
    assert mail.bounce is None
    assert mail.auto_reply is True


QMAIL = """From: MAILER-DAEMON@mx4.example.jp
To: help@desk.example
Subject: failure notice

Hi. This is the qmail-send program at mx4.example.jp.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<kijitora@example.ne.jp>:
192.0.2.32 does not like recipient.
Remote host said: 550 5.1.1 <kijitora@example.ne.jp>: User unknown

--- Below this line is a copy of the message.

From: help@desk.example
To: kijitora@example.ne.jp
Subject: Re: Invoice
"""

EXIM = """From: Mail Delivery System <Mailer-Daemon@mx.example.org>
To: help@desk.example
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: olena@example.ua

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  olena@example.ua
    host mx.example.ua [192.0.2.20]: 550 Mailbox quota exceeded
"""


@pytest.mark.parametrize(
    ("raw", "status", "recipient"),
    [(QMAIL, "5.1.1", "kijitora@example.ne.jp"), (EXIM, "5.0.0", "olena@example.ua")],
)
def test_non_standard_bounces_are_recognised(raw, status, recipient):
    mail = parse(raw.encode())
    assert (mail.bounce.status, mail.bounce.recipient) == (status, recipient)
    assert mail.auto_reply is False


def test_a_customer_writing_about_a_failed_delivery_is_not_a_bounce():
    body = (
        "Hello, the courier says the parcel could not be delivered and was returned.\n"
        "Version 5.1.2 of your app also shows 'delivery failed'. Please help!"
    )
    mail = parse(message("Subject: Delivery failed for order 4711", body))
    assert mail.bounce is None
    assert mail.auto_reply is False


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            "List-Id: Support users <users.lists.example.org>",
            "Support users <users.lists.example.org>",
        ),
        ("List-Unsubscribe: <mailto:leave@lists.example.org>", "<mailto:leave@lists.example.org>"),
        ("Precedence: list", "precedence:list"),
    ],
)
def test_mailing_list_mail_carries_a_list_id(headers, expected):
    assert parse(message(headers)).list_id == expected


def test_person_to_person_mail_has_no_list_id():
    assert parse(message("Subject: Invoice")).list_id == ""


def test_mail_from_our_own_mailbox_is_never_answered():
    raw = message("Subject: Re: Invoice").replace(b"anna@example.com", b"Help@Desk.example")
    mail = parse(raw, own_addresses=["help@desk.example"])
    assert mail.from_own_address is True
    assert mail.auto_reply is True
    assert parse(message("Subject: Hi"), own_addresses=["help@desk.example"]).auto_reply is False


def test_read_receipt_is_automatic():
    raw = (
        "From: Anna <anna@example.com>\nSubject: Read: Invoice\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="m"\n\n'
        "--m\nContent-Type: text/plain\n\nYour message was read.\n"
        "--m\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n"
        "--m--\n"
    )
    mail = parse(raw.encode())
    assert mail.auto_reply is True
    assert mail.bounce is None


def test_dsn_without_diagnostic_takes_its_reason_from_the_report_text():
    raw = DSN.format(action="failed", status="5.2.2")
    raw = raw.replace(
        "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: Recipient address rejected:\n", ""
    )
    raw = raw.replace("    User unknown in virtual mailbox table\n", "")
    mail = parse(raw.encode())
    assert mail.bounce.status == "5.2.2"
    assert (
        mail.bounce.reason
        == "I'm sorry to have to inform you that your message could not be delivered."
    )
