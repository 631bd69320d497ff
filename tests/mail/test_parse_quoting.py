"""``new_text``: what the customer wrote this time, without quoted history or signature; the
whole ``text`` stays as it came."""

import pytest

from mannerly.mail.parse import parse
from mannerly.mail.quoting import new_text


def plain(body: str) -> bytes:
    head = "From: Anna <anna@example.com>\nSubject: Re: Invoice\nContent-Type: text/plain; charset=utf-8\n"
    return head.encode() + b"\n" + body.encode()


@pytest.mark.parametrize(
    ("body", "new"),
    [
        (
            "It still fails.\n\nOn Mon, 2 Mar 2026 at 10:15, Oleh <oleh@desk.example> wrote:\n"
            "> Please restart.\n",
            "It still fails.",
        ),
        (
            "It still fails.\n\nOn Mon, 2 Mar 2026 at 10:15, Oleh Kovalenko\n<oleh@desk.example> wrote:\n"
            "> Please restart.\n",
            "It still fails.",
        ),
        (
            "Thanks!\n\n-----Original Message-----\nFrom: Oleh\nSent: Monday\nSubject: Invoice\n\nOld\n",
            "Thanks!",
        ),
        (
            "Thanks!\n\n________________________________\nFrom: Support <help@desk.example>\n"
            "Sent: Monday, March 2, 2026 10:15 AM\nTo: Anna <anna@example.com>\n"
            "Subject: RE: Invoice\n\nOld text\n",
            "Thanks!",
        ),
        (
            "Danke!\n\nVon: Support <help@desk.example>\nGesendet: Montag, 2. März 2026 10:15\n"
            "An: Anna\nBetreff: Rechnung\n\nAlter Text\n",
            "Danke!",
        ),
        (
            "问题已经解决了，谢谢！\n\n在 2026年3月2日 10:15，Mei <mei@desk.example> 写道：\n> 请重启。\n",
            "问题已经解决了，谢谢！",
        ),
        ("谢谢！\n\n王芳 <wang@example.cn> 于2026年3月2日周一 上午10:15写道：\n> 旧的\n", "谢谢！"),
        (
            "Дякую, працює.\n\nпн, 2 бер. 2026 р. о 10:15 Oleh <oleh@desk.example> пише:\n> Старе\n",
            "Дякую, працює.",
        ),
        (
            "Спасибо, работает.\n\n2 марта 2026 г., в 10:15, Oleh <oleh@desk.example> писал(а):\n> Старое\n",
            "Спасибо, работает.",
        ),
        ('Спасибо!\n\n02.03.2026, 10:15, "Oleh" <oleh@desk.example>:\n> Старое\n', "Спасибо!"),
        (
            "Merci !\n\nLe lun. 2 mars 2026 à 10:15, Oleh <oleh@desk.example> a écrit :\n> Ancien\n",
            "Merci !",
        ),
        (
            "Danke!\n\nAm Mo., 2. März 2026 um 10:15 Uhr schrieb Oleh <oleh@desk.example>:\n> Alt\n",
            "Danke!",
        ),
        ("Here is my answer.\n\n-- \nAnna Smith\nACME Ltd.\n+1 555 0100\n", "Here is my answer."),
        ("It works now.\n\nSent from my iPhone\n", "It works now."),
        ("Ок.\n\nОтправлено с iPhone\n", "Ок."),
        ("好的。\n\n发自我的iPhone\n", "好的。"),
        (
            "> Do you use Windows?\nYes, Windows 11.\n> Which version?\n23H2.\n",
            "Yes, Windows 11.\n23H2.",
        ),
    ],
)
def test_new_text_drops_quoted_history_and_signature(body, new):
    mail = parse(plain(body))
    assert mail.new_text == new
    assert mail.text == body.rstrip("\n")  # the full original stays


def test_a_forward_without_comment_keeps_everything():
    body = "-----Original Message-----\nFrom: Vendor\nSent: Monday\nSubject: Offer\n\nThe offer.\n"
    assert new_text(body) == body.strip()


def test_customer_text_that_mentions_wrote_is_kept():
    body = "My colleague wrote the report yesterday.\nCan you check page 3?"
    assert new_text(body) == body


def test_a_dash_line_in_the_middle_is_not_a_signature():
    body = "Steps:\n--\n1. open\n2. click\n" + "\n".join(f"line {i}" for i in range(30))
    assert new_text(body) == body
