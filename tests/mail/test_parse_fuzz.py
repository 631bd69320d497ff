"""Property tests: whatever bytes arrive, ``parse`` returns (never raises, never hides an
internal error), headers stay on one line, attachments are consistent, and hostile 5 MB inputs
do not make it slow. Mutations start from the real messages of the shared corpus."""

import hashlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mannerly.mail.parse import parse
from mannerly.mail.parsed import ParsedMail

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "mail"
SAMPLES = (
    sorted(
        p
        for p in CORPUS.rglob("*")
        if p.suffix in (".eml", ".box", ".txt") and p.stat().st_size < 200_000
    )[:400]
    if CORPUS.is_dir()
    else []
)
BUILT_IN = [
    b"From: Anna <anna@example.com>\nTo: help@example.org\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\n"
    b"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n--b\n"
    b"Content-Type: text/plain; charset=koi8-u\nContent-Transfer-Encoding: base64\n\n8NLJ18XU\n"
    b"--b\nContent-Type: text/html; charset=utf-8\n\n<p>Hi <b>there</b></p>\n--b--\n",
    b"From: =?gb2312?B?zfXA2g==?= <wang@example.cn>\nSubject: \xb7\xa2\xc6\xb1\n"
    b"Content-Type: text/plain; charset=gb2312\n\n\xc4\xfa\xba\xc3\n",
]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def check_invariants(mail: ParsedMail) -> None:
    failures = [d for d in mail.defects if d.startswith("parser failure")]
    assert not failures, failures
    single = [mail.subject, mail.message_id, mail.in_reply_to, mail.list_id, *mail.references]
    single += [v for _, v in mail.headers] + [n for n, _ in mail.headers]
    for address in [mail.from_, *mail.to, *mail.cc, *mail.reply_to]:
        if address is not None:
            single += [address.name, address.email]
    for attachment in mail.attachments:
        single.append(attachment.filename)
        assert attachment.sha256 == hashlib.sha256(attachment.data).hexdigest()
    if mail.bounce:
        single += [mail.bounce.status, mail.bounce.recipient, mail.bounce.reason]
    for value in single:
        assert "\r" not in value and "\n" not in value and "\x00" not in value, repr(value)
    assert "\x00" not in mail.text
    assert isinstance(mail.text, str) and isinstance(mail.new_text, str)
    mail.to_json()


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_never_break_the_parser(raw):
    check_invariants(parse(raw))


HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Content-Type",
        "Date",
        "Content-Transfer-Encoding",
        "Message-ID",
        "References",
        "Content-Disposition",
        "Reply-To",
        "X-Junk",
    ]
)
HEADER_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "multipart/mixed; boundary=a",
            'multipart/alternative; boundary="a"',
            "text/plain; charset=x-unknown",
            "text/html; charset=utf-7",
            "base64",
            "quoted-printable",
            "=?utf-8?q?=0D=0A?=",
            "=?gb2312?B?x+u4+s7S?=",
            '"a, b" <a@b>, (c) <d@e>',
            "g: a@b;",
            "attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC.txt",
            "<a@b> <c@d>",
        ]
    ),
)


@FUZZ
@given(
    st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=12),
    st.lists(
        st.one_of(st.binary(max_size=200), st.sampled_from([b"--a", b"--a--", b"\n"])), max_size=12
    ),
)
def test_random_structured_messages_parse(headers, body_pieces):
    head = "".join(f"{name}: {value}\n" for name, value in headers)
    raw = head.encode("utf-8", "surrogatepass") + b"\n" + b"\n".join(body_pieces)
    check_invariants(parse(raw))


def mutate(raw: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "flip", "duplicate", "charset", "nest", "crlf"]))
    if kind == "truncate" and raw:
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "flip" and raw:
        buffer = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 20))):
            buffer[data.draw(st.integers(0, len(buffer) - 1))] = data.draw(st.integers(0, 255))
        return bytes(buffer)
    if kind == "duplicate":
        head, sep, body = raw.partition(b"\n\n")
        lines = head.split(b"\n")
        line = lines[data.draw(st.integers(0, len(lines) - 1))]
        return head + b"\n" + line * data.draw(st.integers(1, 50)) + sep + body
    if kind == "charset":
        label = data.draw(
            st.sampled_from(
                [
                    b"utf-16",
                    b"x-unknown",
                    b"koi8-u",
                    b"big5",
                    b"",
                    b"iso-2022-jp",
                    b"utf-7",
                    b"base64",
                    b"rot13",
                ]
            )
        )
        return raw.replace(b"charset=", b"charset=" + label + b"; x=")
    if kind == "nest":
        depth = data.draw(st.integers(1, 200))
        opening = b"".join(
            b"Content-Type: multipart/mixed; boundary=n%d\n\n--n%d\n" % (i, i) for i in range(depth)
        )
        return opening + raw
    return raw.replace(b"\n", b"\r\n") if b"\r\n" not in raw else raw.replace(b"\r\n", b"\r")


@pytest.mark.skipif(not SAMPLES, reason="../shared/corpora/mail is not present")
@FUZZ
@given(st.data())
def test_mutated_corpus_messages_parse(data):
    path = data.draw(st.sampled_from(SAMPLES))
    raw = mutate(path.read_bytes(), data)
    check_invariants(parse(raw))


@FUZZ
@given(st.data())
def test_mutated_built_in_messages_parse(data):
    raw = mutate(data.draw(st.sampled_from(BUILT_IN)), data)
    check_invariants(parse(raw))


FIVE_MB = 5 * 1024 * 1024
HOSTILE = {
    "one huge header line": lambda: b"Subject: " + b"a" * FIVE_MB + b"\n\nbody",
    "encoded-word soup": lambda: b"Subject: " + b"=?utf-8?q?=?= " * (FIVE_MB // 14) + b"\n\nx",
    "address list": lambda: b"To: " + b"a@b, (c (d) e) <f@g>, " * (FIVE_MB // 22) + b"\n\nx",
    "header fields": lambda: b"X-A: b\n" * (FIVE_MB // 7) + b"\nx",
    "boundary lines": lambda: (
        b"Content-Type: multipart/mixed; boundary=a\n\n" + b"--a\n" * (FIVE_MB // 4)
    ),
    "deep nesting": lambda: b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(20000)
    ),
    "html tags": lambda: (
        b"Content-Type: text/html\n\n" + b"<div><b>x</b><blockquote>" * (FIVE_MB // 26)
    ),
    "quote lines": lambda: (
        b"Content-Type: text/plain\n\n" + b"> On Mon wrote: x\n" * (FIVE_MB // 19)
    ),
    "base64 junk": lambda: (
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
        + b"QUJD!@#$ " * (FIVE_MB // 9)
    ),
    "unknown charset": lambda: (
        b"Content-Type: text/plain; charset=x-none\n\n" + bytes(range(128, 256)) * (FIVE_MB // 128)
    ),
    "dsn": lambda: (
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n"
        b"--r\nContent-Type: message/delivery-status\n\n" + b"Action: failed\n\n" * (FIVE_MB // 17)
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_five_megabyte_inputs_stay_fast(name):
    raw = HOSTILE[name]()
    started = time.perf_counter()
    mail = parse(raw)
    elapsed = time.perf_counter() - started
    check_invariants(mail)
    # A guard against quadratic behaviour, not a speed target (that lives in bench/): these take
    # well under a second on a quiet machine; a blow-up would take minutes.
    assert elapsed < 20, f"{name}: {elapsed:.1f}s"
