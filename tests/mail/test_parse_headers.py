"""Header decoding: encoded-words (good and broken), RFC 2231, 8-bit headers in any charset,
addresses in order with their names, ids, dates, and headers that stay on one line."""

import base64

import pytest

from mannerly.mail.parse import parse


def message(headers: str | bytes, body: bytes = b"Hello\n") -> bytes:
    head = headers.encode("utf-8") if isinstance(headers, str) else headers
    return head.strip(b"\n") + b"\n\n" + body


def test_encoded_word_subject_is_decoded():
    mail = parse(message("Subject: =?utf-8?q?Rechnung_f=C3=BCr_M=C3=A4rz?="))
    assert mail.subject == "Rechnung für März"


def test_adjacent_encoded_words_join_without_the_space_between_them():
    mail = parse(
        message("Subject: =?utf-8?B?0JfQtNGA0LDQsg==?=\n =?utf-8?B?0YHRgtCy0YPQudGC0LU=?=")
    )
    assert mail.subject == "Здравствуйте"


def test_encoded_words_that_split_a_character_are_joined_before_decoding():
    raw = "发票金额有误".encode()
    first, second = base64.b64encode(raw[:4]).decode(), base64.b64encode(raw[4:]).decode()
    mail = parse(message(f"Subject: =?UTF-8?B?{first}?= =?UTF-8?B?{second}?="))
    assert mail.subject == "发票金额有误"


def test_plain_text_and_encoded_words_keep_their_spacing():
    mail = parse(message("Subject: Re: =?iso-8859-1?Q?Gr=FC=DFe?= aus Wien"))
    assert mail.subject == "Re: Grüße aus Wien"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?UTF-8?Q?Caf=C3=A9 au lait?=", "Café au lait"),  # spaces inside the word
        ("prefix=?utf-8?q?caf=C3=A9?=", "prefixcafé"),  # word glued to text
        ("=?utf-8?b?Y2Fmw6k?=", "café"),  # base64 without padding
        ("=?gb2312?B?x+u4+s7S0rvPwg==?=", "请跟我一下"),  # lowercase b, legacy charset
        ("=?unknown-8bit?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),  # meaningless label
        ("=?x-garbage-charset?Q?Gr=FC=DFe?=", "Grüße"),  # unknown label, latin-1 bytes
        ("=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated"),  # not a word at all
    ],
)
def test_broken_encoded_words_decode_as_well_as_they_can(header, expected):
    assert parse(message(f"Subject: {header}")).subject == expected


def test_eight_bit_utf8_header_is_read():
    mail = parse(message("Subject: Привіт, потрібна допомога\nFrom: Олена <olena@example.ua>"))
    assert mail.subject == "Привіт, потрібна допомога"
    assert mail.from_.name == "Олена"


def test_eight_bit_gbk_header_is_detected():
    head = "Subject: 转发：发票金额有误，请核实\nFrom: 王芳 <wang@example.cn>\n".encode("gbk")
    mail = parse(message(head + b"Content-Type: text/plain; charset=iso-8859-1"))
    assert mail.subject == "转发：发票金额有误，请核实"
    assert mail.from_.name == "王芳"
    assert any("8-bit headers" in d for d in mail.defects)


def test_eight_bit_latin1_header_follows_the_charset_the_message_declares():
    head = "Subject: Grüße aus München\n".encode("latin-1")
    mail = parse(message(head + b"Content-Type: text/plain; charset=iso-8859-1"))
    assert mail.subject == "Grüße aus München"


def test_eight_bit_windows1251_header_follows_the_body_charset():
    head = "Subject: Не работает вход\n".encode("cp1251")
    body = "Здравствуйте, не могу войти.".encode("cp1251")
    mail = parse(message(head + b"Content-Type: text/plain; charset=windows-1251", body))
    assert mail.subject == "Не работает вход"
    assert mail.text == "Здравствуйте, не могу войти."


def test_addresses_come_in_order_with_decoded_names():
    mail = parse(
        message(
            "From: =?utf-8?B?546L6Iqz?= <wang@example.cn>\n"
            'To: "Müller, Bernd" <bernd@example.de>, anna@example.com (Anna Smith),\n'
            " =?iso-8859-1?Q?M=FCller=2C_Bernd?= <b2@example.de>\n"
            "Cc: Team: olena@example.ua, Андрей <andrey@example.ru>;, <mei@example.org>"
        )
    )
    assert (mail.from_.name, mail.from_.email) == ("王芳", "wang@example.cn")
    assert [(a.name, a.email) for a in mail.to] == [
        ("Müller, Bernd", "bernd@example.de"),
        ("Anna Smith", "anna@example.com"),
        ("Müller, Bernd", "b2@example.de"),
    ]
    assert [(a.name, a.email) for a in mail.cc] == [
        ("", "olena@example.ua"),
        ("Андрей", "andrey@example.ru"),
        ("", "mei@example.org"),
    ]


def test_obsolete_address_syntax_is_understood():
    mail = parse(
        message(
            "From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\n"
            "To: Mary Smith <@node.test:mary@example.net>, , jdoe@test   . example"
        )
    )
    assert mail.from_.email == "pete@silly.test"
    assert [a.email for a in mail.to] == ["mary@example.net", "jdoe@test.example"]


def test_names_without_addresses_are_not_recipients():
    mail = parse(message("From: anna@example.com\nTo: undisclosed-recipients:;\nCc: Recipients"))
    assert mail.to == []
    assert mail.cc == []


def test_a_second_garbled_from_does_not_hide_the_real_sender():
    mail = parse(message("From: [??????]\nFrom: =?utf-8?B?6YO955C5?= <ghg@example.cn>"))
    assert (mail.from_.name, mail.from_.email) == ("都琹", "ghg@example.cn")


def test_missing_from_falls_back_to_sender_and_says_so():
    mail = parse(message("Sender: Anna <anna@example.com>\nSubject: hi"))
    assert mail.from_.email == "anna@example.com"
    assert "no From address; used Sender" in mail.defects


def test_encoded_words_inside_an_address_are_not_decoded_into_another_address():
    # Decoding would turn a foreign mailbox into "agent@example.com" (sender spoofing).
    mail = parse(message("From: =?utf-8?Q?agent?=@example.com"))
    assert mail.from_.email == "=?utf-8?Q?agent?=@example.com"


@pytest.mark.parametrize(
    "header",
    [
        "Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@example.com?=",
        "Subject: =?utf-8?b?SGVsbG8NCkJjYzogdmljdGltQGV4YW1wbGUuY29t?=",
        "Subject: Hello\r\n\tBcc: victim@example.com",
        "Subject: Hello =?utf-8?q?=E2=80=A8Bcc:_victim@example.com?=",
    ],
)
def test_decoded_headers_never_contain_line_breaks(header):
    mail = parse(message(header + "\nFrom: =?utf-8?q?Anna=0ABcc:_x@example.com?= <a@example.com>"))
    for value in [mail.subject, mail.from_.name, *(v for _, v in mail.headers)]:
        assert "\r" not in value and "\n" not in value
        assert "\u2028" not in value
    assert "Bcc:" in mail.subject  # kept as text, on the same line


def test_message_ids_are_normalised():
    mail = parse(
        message(
            "Message-ID: < a1@example.com >\n"
            "In-Reply-To: <p@example.com> (Anna's message of Monday)\n"
            "References: <r1@example.com>\n <r2@example.com>,<p@example.com>"
        )
    )
    assert mail.message_id == "<a1@example.com>"
    assert mail.in_reply_to == "<p@example.com>"
    assert mail.references == ["<r1@example.com>", "<r2@example.com>", "<p@example.com>"]


def test_message_id_without_brackets_gets_them():
    assert parse(message("Message-ID: abc.123@example.com")).message_id == "<abc.123@example.com>"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Mon, 02 Mar 2026 10:15:00 +0100", "2026-03-02T10:15:00+01:00"),
        ("2 Mar 2026 10:15 -0530 (EST)", "2026-03-02T10:15:00-05:30"),
        ("Mon, 2 Mar 2026 10:15:00 GMT", "2026-03-02T10:15:00+00:00"),
        ("Mon, 2 Mar 2026 10:15:00 EST", "2026-03-02T10:15:00-05:00"),
        ("2026-03-02 10:15:00 +0200", "2026-03-02T10:15:00+02:00"),
    ],
)
def test_dates_are_read_with_their_offset(value, iso):
    assert parse(message(f"Date: {value}")).date.isoformat() == iso


def test_unreadable_date_is_a_defect_not_an_error():
    mail = parse(message("Date: next Tuesday, probably"))
    assert mail.date is None
    assert "unreadable Date header" in mail.defects


def test_mbox_from_line_and_a_colon_less_space_are_tolerated():
    raw = b"From anna@example.com  Mon Mar  2 10:15:00 2026\nSubject : Hello\nFrom: anna@example.com\n\nHi\n"
    mail = parse(raw)
    assert mail.subject == "Hello"
    assert mail.from_.email == "anna@example.com"


def test_folded_lines_that_lost_their_indent_stay_in_the_header():
    raw = (
        b"From: anna@example.com\nX-Tracker: AAAA\nBBBBCCCC\nSubject: Still here\n"
        b"To: help@example.org\n\nBody\n"
    )
    mail = parse(raw)
    assert mail.subject == "Still here"
    assert mail.text == "Body"
    assert "folded header line without indentation" in mail.defects


def test_crlf_messages_read_like_lf_messages():
    lf = message(
        "From: Anna <a@example.com>\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=", b"Line 1\nLine 2\n"
    )
    crlf = lf.replace(b"\n", b"\r\n")
    a, b = parse(lf), parse(crlf)
    assert (a.subject, a.from_, a.text) == (b.subject, b.from_, b.text)
    assert b.text == "Line 1\nLine 2"


def test_addresses_keep_their_spelling_and_offer_a_comparison_key():
    mail = parse(message("From: Bernd <Bernd.Mueller@Example.DE>"))
    assert mail.from_.email == "Bernd.Mueller@Example.DE"
    assert mail.from_.key == "bernd.mueller@example.de"
