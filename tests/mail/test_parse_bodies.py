"""Bodies: charsets that are wrong or missing, HTML that must be made harmless and readable,
attachments of every kind kept byte for byte, and a 50 MiB message taken whole."""

import base64
import hashlib
import os

import pytest

from mannerly.mail.parse import parse

HEAD = "From: Anna Smith <anna@example.com>\nTo: help@example.org\nSubject: Test\n"


def single(content_type: str, body: bytes, cte: str = "8bit", extra: str = "") -> bytes:
    head = f"{HEAD}MIME-Version: 1.0\nContent-Type: {content_type}\n"
    head += f"Content-Transfer-Encoding: {cte}\n{extra}"
    return head.encode() + b"\n" + body


def multipart(subtype: str, *parts: bytes, boundary: str = "b0und") -> bytes:
    out = f'{HEAD}MIME-Version: 1.0\nContent-Type: multipart/{subtype}; boundary="{boundary}"\n\n'
    chunks = out.encode() + b"preamble\n"
    for part in parts:
        chunks += f"--{boundary}\n".encode() + part + b"\n"
    return chunks + f"--{boundary}--\n".encode()


def part(content_type: str, body: bytes, cte: str = "8bit", extra: str = "") -> bytes:
    return (
        f"Content-Type: {content_type}\nContent-Transfer-Encoding: {cte}\n{extra}\n".encode() + body
    )


ZH = "您好，我从昨天开始就无法登录我们公司的账户，系统提示密码错误。请尽快帮忙处理，谢谢。"
ZH_TW = "您好，我們公司的帳戶從昨天開始無法登入，系統顯示密碼錯誤。請盡快協助處理，謝謝。"
UK = "Добрий день! Не можу увійти до особистого кабінету. Ґанок, їжак, єдність - усе пропало."
RU = "Здравствуйте! Со вчерашнего дня не могу войти в личный кабинет, пишет неверный пароль."


@pytest.mark.parametrize(
    ("label", "encoding", "text"),
    [
        ("gb2312", "gbk", ZH + "王喆"),  # GBK-only character under a GB2312 label
        ("GB18030", "gb18030", ZH),
        ("big5", "big5", ZH_TW),
        ("koi8-u", "koi8-u", UK),
        ("koi8-r", "koi8-r", RU),
        ("windows-1251", "cp1251", RU),
        ("utf-8", "utf-8", UK),
    ],
)
def test_declared_charsets_decode(label, encoding, text):
    mail = parse(single(f"text/plain; charset={label}", text.encode(encoding)))
    assert mail.text == text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("gbk", ZH), ("big5", ZH_TW), ("koi8-u", UK), ("cp1251", RU), ("utf-8", UK)],
)
def test_undeclared_charsets_are_detected(encoding, text):
    mail = parse(single("text/plain", text.encode(encoding)))
    assert mail.text == text


@pytest.mark.parametrize(("encoding", "text"), [("cp1251", RU), ("gbk", ZH), ("koi8-u", UK)])
def test_wrong_latin_label_on_other_scripts_is_corrected(encoding, text):
    mail = parse(single("text/plain; charset=iso-8859-1", text.encode(encoding)))
    assert mail.text == text
    assert any("declared" in d for d in mail.defects)


def test_utf8_sent_as_8bit_under_a_latin1_label_is_utf8():
    mail = parse(single("text/plain; charset=iso-8859-1", "Grüße aus Kyjiw: Дякую!".encode()))
    assert mail.text == "Grüße aus Kyjiw: Дякую!"


def test_latin1_text_stays_latin1():
    mail = parse(single("text/plain; charset=iso-8859-1", "Grüße, schöne Äpfel".encode("latin-1")))
    assert mail.text == "Grüße, schöne Äpfel"
    assert mail.defects == []


def test_quoted_printable_and_base64_bodies_decode():
    qp = single("text/plain; charset=utf-8", b"Caf=C3=A9 =\nau lait", "quoted-printable")
    b64 = single("text/plain; charset=koi8-u", base64.encodebytes(UK.encode("koi8-u")), "base64")
    assert parse(qp).text == "Café au lait"
    assert parse(b64).text == UK


def test_iso_2022_jp_with_nec_characters_decodes():
    body = b"\x1b$B-!\x1b(B " + "１都３県の鯵と".encode("iso2022_jp")  # -! is NEC's ①
    mail = parse(single("text/plain; charset=iso-2022-jp", body, "7bit"))
    assert mail.text == "① １都３県の鯵と"


def test_format_flowed_lines_are_joined():
    body = b"This is a long line that \nwas wrapped by the client.\n> quoted \n> text\n"
    mail = parse(single("text/plain; charset=utf-8; format=flowed", body))
    assert mail.text.startswith("This is a long line that was wrapped by the client.\n")


HOSTILE_HTML = """<html><head><title>Untitled</title>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<style>p { background: url(https://evil.example/x.png) }</style>
<script>alert('script')</script></head>
<body onload="alert('onload')">
<p style="color: red; width: expr&#101;ssion(alert('css'))">Hello &amp; welcome,<br>
second line</p>
<a href="jav&#x09;ascript:alert('href')">link</a>
<a href="&#106;avascript:alert('entity')">link2</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
<img src="x" onerror="alert('img')"><img src="cid:logo@example.com" alt="Logo">
<iframe src="https://evil.example/"></iframe><frameset><frame src="x"></frameset>
<form action="https://evil.example/"><input name="password"></form>
<svg><script>alert('svg')</script></svg>
<ul><li>first item</li><li>second item</li></ul>
<div>Price: 5&nbsp;&euro; &lt;net&gt;</div>
</body></html>"""


def test_html_only_mail_is_sanitised():
    mail = parse(single("text/html; charset=utf-8", HOSTILE_HTML.encode()))
    html = mail.html.lower()
    for bad in (
        "<script",
        "onload",
        "onerror",
        "javascript",
        "data:",
        "<iframe",
        "<frame",
        "<form",
        "<input",
        "<meta",
        "refresh",
        "expression",
        "url(",
        "<svg",
        "<style",
        "alert(",
    ):
        assert bad not in html, bad
    assert 'src="cid:logo@example.com"' in mail.html
    assert "color: red" in mail.html


def test_text_of_html_only_mail_is_readable():
    mail = parse(single("text/html; charset=utf-8", HOSTILE_HTML.encode()))
    lines = mail.text.splitlines()
    assert "Hello & welcome," in lines
    assert "second line" in lines
    assert "- first item" in lines and "- second item" in lines
    assert "Price: 5 € <net>" in lines
    assert "alert" not in mail.text and "Untitled" not in mail.text
    assert mail.new_text == mail.text


def test_html_blockquote_becomes_quoted_text():
    html = (
        b"<div>Thanks, it works now.</div><div class=gmail_quote>On Mon, 2 Mar 2026 at 10:15, "
        b"Oleh &lt;oleh@desk.example&gt; wrote:<blockquote><p>Please restart.</p></blockquote></div>"
    )
    mail = parse(single("text/html; charset=utf-8", html))
    assert "> Please restart." in mail.text.splitlines()
    assert mail.new_text == "Thanks, it works now."


def test_plain_part_wins_for_text_and_html_part_for_html():
    raw = multipart(
        "alternative",
        part("text/plain; charset=utf-8", "Plain version ✓".encode()),
        part("text/html; charset=utf-8", "<p>HTML <b>version</b> ✓</p>".encode()),
    )
    mail = parse(raw)
    assert mail.text == "Plain version ✓"
    assert mail.html == "<p>HTML <b>version</b> ✓</p>"
    assert mail.attachments == []


def test_attachments_of_any_type_keep_exact_bytes_size_and_hash():
    blobs = {
        "setup.exe": ("application/x-msdownload", os.urandom(3000)),
        "archive.zip": ("application/zip", b"PK\x03\x04" + os.urandom(500)),
        "winmail.dat": ("application/ms-tnef", b"\x78\x9f\x3e\x22" + os.urandom(700)),
        "рахунок.pdf": ("application/pdf", b"%PDF-1.4\n" + os.urandom(100)),
    }
    parts = [part("text/plain; charset=utf-8", b"See attached.")]
    for name, (ctype, data) in blobs.items():
        encoded_name = "=?utf-8?B?" + base64.b64encode(name.encode()).decode() + "?="
        parts.append(
            part(
                f'{ctype}; name="{encoded_name}"',
                base64.encodebytes(data),
                "base64",
                f'Content-Disposition: attachment; filename="{encoded_name}"\n',
            )
        )
    mail = parse(multipart("mixed", *parts))
    assert mail.text == "See attached."
    assert [a.filename for a in mail.attachments] == list(blobs)
    for attachment, (ctype, data) in zip(mail.attachments, blobs.values(), strict=True):
        assert attachment.content_type == ctype
        assert attachment.data == data
        assert attachment.size == len(data)
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert attachment.inline is False


def test_archives_stay_one_attachment():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.txt", "secret")
        archive.writestr("../../evil.sh", "rm -rf /")
    data = buffer.getvalue()
    raw = multipart(
        "mixed",
        part("text/plain", b"zip"),
        part("application/zip; name=a.zip", base64.encodebytes(data), "base64"),
    )
    mail = parse(raw)
    assert len(mail.attachments) == 1
    assert mail.attachments[0].data == data


def test_forwarded_message_is_one_attachment_with_its_exact_bytes():
    inner = b"From: Olena <olena@example.ua>\nSubject: Original\n\nInner body\n"
    raw = multipart("mixed", part("text/plain", b"FYI"), part("message/rfc822", inner, "7bit"))
    mail = parse(raw)
    assert mail.text == "FYI"
    (forwarded,) = mail.attachments
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.data == inner
    assert forwarded.filename == "Original.eml"


def test_inline_image_is_an_inline_attachment_with_its_content_id():
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(64)
    related = (
        b'Content-Type: multipart/related; boundary="rel"\n\n--rel\n'
        + part("text/html; charset=utf-8", b'<p>Screenshot:</p><img src="cid:shot@x">')
        + b"\n--rel\n"
        + part("image/png", base64.encodebytes(png), "base64", "Content-ID: <shot@x>\n")
        + b"\n--rel--\n"
    )
    mail = parse(multipart("alternative", part("text/plain", b"Screenshot:"), related))
    (image,) = mail.attachments
    assert (image.inline, image.content_id, image.data) == (True, "shot@x", png)
    assert 'src="cid:shot@x"' in mail.html


def test_screenshots_between_text_parts_show_in_place():
    png = base64.encodebytes(b"\x89PNG\r\n\x1a\n1234")
    raw = multipart(
        "mixed",
        part("text/plain", b"Before"),
        part(
            "image/png; name=a.png",
            png,
            "base64",
            "Content-Disposition: inline; filename=a.png\nContent-ID: <a1>\n",
        ),
        part("text/plain", b"After"),
    )
    mail = parse(raw)
    assert mail.text == "Before\n\nAfter"
    assert mail.html.index("Before") < mail.html.index('src="cid:a1"') < mail.html.index("After")
    assert [a.filename for a in mail.attachments] == ["a.png"]


def test_attachment_names_are_text_not_paths_or_tricks():
    names = ["../../etc/passwd", "invoice\u202efdp.exe", "line\r\nbreak.txt"]
    parts = [part("text/plain", b"x")]
    for name in names:
        encoded = "=?utf-8?B?" + base64.b64encode(name.encode()).decode() + "?="
        parts.append(
            part(
                "application/octet-stream",
                b"data",
                "7bit",
                f'Content-Disposition: attachment; filename="{encoded}"\n',
            )
        )
    mail = parse(multipart("mixed", *parts))
    assert [a.filename for a in mail.attachments] == [
        "../../etc/passwd",  # kept as text; storage names files by hash
        "invoicefdp.exe",  # no right-to-left override to disguise the extension
        "line break.txt",
    ]
    assert "attachment name with bidirectional control characters" in mail.defects


def test_rfc2231_filename_with_continuations_and_charset():
    extra = (
        "Content-Disposition: attachment; filename*0*=utf-8''%D1%80%D0%B0%D1%85;\n"
        ' filename*1*=%D1%83%D0%BD%D0%BE%D0%BA; filename*2=".pdf"\n'
    )
    raw = multipart(
        "mixed", part("text/plain", b"x"), part("application/pdf", b"%PDF", "7bit", extra)
    )
    assert parse(raw).attachments[0].filename == "рахунок.pdf"


def test_uuencoded_part_is_decoded():
    import binascii

    data = b"Hello Mannerly, this is uuencoded.\n"
    encoded = b"begin 644 note.txt\n" + binascii.b2a_uu(data) + b"`\nend\n"
    raw = multipart(
        "mixed",
        part("text/plain", b"see file"),
        part("application/octet-stream", encoded, "x-uuencode"),
    )
    (attachment,) = parse(raw).attachments
    assert (attachment.filename, attachment.data) == ("note.txt", data)


def test_broken_base64_keeps_what_decodes_and_says_so():
    good = base64.b64encode(b"attachment bytes here").decode()
    raw = multipart(
        "mixed",
        part("text/plain", b"x"),
        part("application/octet-stream", (good[:-3] + "!!\n").encode(), "base64"),
    )
    mail = parse(raw)
    assert mail.attachments[0].data.startswith(b"attachment bytes")
    assert any("base64" in d for d in mail.defects)


def test_missing_closing_boundary_keeps_the_last_part():
    raw = multipart("mixed", part("text/plain", b"Body text"), part("application/pdf", b"%PDF"))
    raw = raw.rsplit(b"--b0und--", 1)[0]
    mail = parse(raw)
    assert mail.text == "Body text"
    assert mail.attachments[0].data == b"%PDF\n"  # up to the end: nothing is dropped
    assert "missing closing boundary" in mail.defects


def test_fifty_mib_message_keeps_its_attachment_exact():
    data = os.urandom(1024) * (50 * 1024)  # 50 MiB, cheap to make, still checked byte for byte
    encoded = base64.encodebytes(data)
    raw = multipart(
        "mixed",
        part("text/plain", b"Big file attached."),
        part("application/octet-stream; name=big.bin", encoded, "base64"),
    )
    assert len(raw) > 50 * 1024 * 1024
    mail = parse(raw)
    (attachment,) = mail.attachments
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert mail.text == "Big file attached."
