"""``mannerly mail parse``: one JSON line per file with the contract's keys, exit 0 even for
garbage, exit 2 with one line for a path that cannot be read, never a traceback."""

import hashlib
import json
import subprocess
import sys

import pytest

from mannerly.cli import main

SPEC_KEYS = {
    "file",
    "message_id",
    "in_reply_to",
    "references",
    "subject",
    "date",
    "from",
    "to",
    "cc",
    "reply_to",
    "text",
    "html",
    "attachments",
    "auto_reply",
    "bounce",
    "defects",
}

INVOICE = (
    b"From: Anna Smith <anna@example.com>\nTo: help@example.org\n"
    b"Subject: =?utf-8?q?Rechnung_f=C3=BCr_M=C3=A4rz?=\nMessage-ID: <a1@example.com>\n"
    b"Date: Mon, 02 Mar 2026 10:15:00 +0100\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain; charset=utf-8\n\n'
    b"Where is my invoice?\n--x\nContent-Type: application/pdf\n"
    b"Content-Disposition: attachment; filename*=utf-8''%D1%80%D0%B0%D1%85%D1%83%D0%BD%D0%BE%D0%BA.pdf\n"
    b"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--x--\n"
)


@pytest.fixture
def inbox(tmp_path):
    (tmp_path / "17.eml").write_bytes(INVOICE)
    (tmp_path / "garbage.eml").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.eml").write_bytes(b"")
    return tmp_path


def run(args, capsysbinary):
    code = main(["mail", "parse", *args])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def test_json_lines_have_the_contract_shape(inbox, capsysbinary):
    code, out, err = run(
        [str(inbox / "17.eml"), str(inbox / "garbage.eml"), "--json"], capsysbinary
    )
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert set(first) >= SPEC_KEYS
    assert first["file"] == str(inbox / "17.eml")
    assert first["subject"] == "Rechnung für März"
    assert first["from"] == {"name": "Anna Smith", "email": "anna@example.com"}
    assert first["date"] == "2026-03-02T10:15:00+01:00"
    assert first["text"] == "Where is my invoice?"
    assert first["attachments"] == [
        {
            "filename": "рахунок.pdf",
            "content_type": "application/pdf",
            "size": 9,
            "sha256": hashlib.sha256(b"%PDF-1.4\n").hexdigest(),
            "inline": False,
        }
    ]
    assert first["bounce"] is None and first["auto_reply"] is False
    assert set(second) >= SPEC_KEYS
    assert second["defects"]  # garbage is reported, not fatal
    assert err == ""


def test_empty_file_still_gives_a_json_line(inbox, capsysbinary):
    code, out, _ = run([str(inbox / "empty.eml"), "--json"], capsysbinary)
    record = json.loads(out)
    assert code == 0
    assert (record["subject"], record["text"], record["from"]) == ("", "", None)


def test_human_summary_shows_the_essentials(inbox, capsysbinary):
    code, out, _ = run([str(inbox / "17.eml")], capsysbinary)
    assert code == 0
    assert "Subject:  Rechnung für März" in out
    assert "From:     Anna Smith <anna@example.com>" in out
    assert "Attached: рахунок.pdf (application/pdf, 9 B)" in out


@pytest.mark.parametrize("make_path", [lambda p: p / "missing.eml", lambda p: p])
def test_unreadable_path_exits_2_with_one_line_and_no_traceback(inbox, make_path):
    path = make_path(inbox)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mannerly",
            "mail",
            "parse",
            str(inbox / "17.eml"),
            str(path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""  # nothing half-done
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_input_never_shows_a_traceback(tmp_path):
    nasty = tmp_path / "nasty.eml"
    nasty.write_bytes(
        b"Content-Type: multipart/mixed; boundary=a\n\n"
        + b"--a\nContent-Type: multipart/mixed; boundary=a\n\n" * 3000
    )
    result = subprocess.run(
        [sys.executable, "-m", "mannerly", "mail", "parse", str(nasty), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["defects"]
    assert "Traceback" not in result.stderr
