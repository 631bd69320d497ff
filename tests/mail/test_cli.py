"""The mail commands as a person or a script uses them: ingest, export ticket, reprocess."""

import json
import mailbox as stdlib_mailbox
import subprocess
import sys
from pathlib import Path

import pytest
from mailhelpers import ROOT, eml

from mannerly.cli import main
from mannerly.mail.models import Mailbox, RawMail
from mannerly.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def run_json(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "1.eml").write_bytes(eml(message_id="<a@x>"))
    (folder / "sub" / "2.eml").write_bytes(
        eml(subject="Re: Charged twice", message_id="<b@x>", in_reply_to="<a@x>")
    )
    (folder / "manifest.jsonl").write_text('{"not": "mail"}\n')
    (folder / ".hidden").write_text("x")
    return folder


def test_ingest_folder_prints_one_json_line_per_message_in_name_order(capsys, inbox):
    code, lines, err = run_json(capsys, "ingest", str(inbox), "--json")
    assert code == 0
    assert [line["source"] for line in lines] == [str(inbox / "1.eml"), str(inbox / "sub/2.eml")]
    assert [line["action"] for line in lines] == ["created", "appended"]
    assert lines[1] == {
        "source": str(inbox / "sub/2.eml"),
        "message_id": "<b@x>",
        "action": "appended",
        "ticket": lines[0]["ticket"],
        "reason": "in-reply-to",
    }
    assert "2 messages: 1 created, 1 appended, 0 duplicate" in err


def test_ingest_again_reports_duplicates(capsys, inbox):
    main(["ingest", str(inbox), "--json"])
    capsys.readouterr()
    code, lines, _ = run_json(capsys, "ingest", str(inbox), "--json")
    assert code == 0
    assert [line["action"] for line in lines] == ["duplicate", "duplicate"]


def test_ingest_mbox_names_each_message_by_position(capsys, tmp_path):
    path = tmp_path / "archive.mbox"
    box = stdlib_mailbox.mbox(path)
    for i in range(3):
        box.add(eml(message_id=f"<{i}@x>", subject=f"Question {i}", sender=f"c{i}@example.com"))
    box.close()
    code, lines, _ = run_json(capsys, "ingest", str(path), "--json")
    assert code == 0
    assert [line["source"] for line in lines] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert [line["message_id"] for line in lines] == ["<0@x>", "<1@x>", "<2@x>"]


def test_ingest_maildir_reads_cur_then_new(capsys, tmp_path):
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1000.a").write_bytes(eml(message_id="<new@x>", sender="n@example.com"))
    (maildir / "cur" / "2000.b:2,S").write_bytes(eml(message_id="<cur@x>"))
    (maildir / "tmp" / "3000.c").write_bytes(eml(message_id="<tmp@x>"))
    code, lines, _ = run_json(capsys, "ingest", str(maildir), "--json")
    assert code == 0
    assert [line["message_id"] for line in lines] == ["<cur@x>", "<new@x>"]


def test_ingest_plain_output_is_a_summary(capsys, inbox):
    assert main(["ingest", str(inbox)]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == (
        "2 messages: 1 created, 1 appended, 0 duplicate, 0 auto-reply, 0 bounce, 0 quarantined"
    )


def test_ingest_of_a_missing_path_is_exit_2_and_stores_nothing(capsys, inbox):
    code = main(["ingest", str(inbox), str(inbox / "nowhere.eml")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == f"mannerly ingest: {inbox / 'nowhere.eml'}: no such file or folder"
    assert RawMail.objects.count() == 0


def test_export_ticket_json_has_every_message_with_its_kind(capsys, inbox):
    _, lines, _ = run_json(capsys, "ingest", str(inbox), "--json")
    code, [data], _ = run_json(capsys, "export", "ticket", str(lines[0]["ticket"]), "--json")
    assert code == 0
    assert data["subject"] == "Charged twice" and data["status"] == "new"
    assert data["customer"] == {"name": "Anna Smith", "email": "anna@example.com"}
    assert [m["kind"] for m in data["messages"]] == ["message", "message"]
    assert [m["message_id"] for m in data["messages"]] == ["<a@x>", "<b@x>"]
    assert data["messages"][0]["from"] == {"name": "Anna Smith", "email": "anna@example.com"}
    assert data["messages"][0]["direction"] == "in"


def test_export_of_an_unknown_ticket_is_exit_2(capsys):
    assert main(["export", "ticket", "999"]) == 2
    assert capsys.readouterr().err.strip() == "mannerly export: no ticket 999"


def test_reprocess_command_retries_quarantined_mail(capsys, tmp_path, settings):
    settings.MAIL_MAX_SIZE = 100
    (tmp_path / "big.eml").write_bytes(eml(body="x" * 300))
    _, [line], _ = run_json(capsys, "ingest", str(tmp_path / "big.eml"), "--json")
    assert line["action"] == "quarantined"
    settings.MAIL_MAX_SIZE = 60 * 1024 * 1024
    code, [again], _ = run_json(capsys, "mail", "reprocess", "--json")
    assert code == 0 and again["action"] == "created"
    assert Ticket.objects.count() == 1


def test_mailbox_commands_add_and_list(capsys, team):
    assert (
        main(
            [
                "mail",
                "mailbox",
                "add",
                "Help@Example.org",
                "--name",
                "Help",
                "--team",
                "Support",
                "--imap-host",
                "imap.example.org",
                "--imap-user",
                "help",
                "--imap-security",
                "starttls",
            ]
        )
        == 0
    )
    box = Mailbox.objects.get()
    assert (box.address, box.team, box.imap_port_or_default) == ("help@example.org", team, 143)
    capsys.readouterr()
    main(["mail", "mailbox", "list"])
    out = capsys.readouterr().out
    assert "help@example.org" in out and "starttls://help@imap.example.org:143/INBOX" in out


def test_ingest_reads_stdin_in_a_fresh_data_folder_without_traceback(tmp_path):
    """The real command in a child process: it creates its database and never shows a
    traceback, even for a message that fails."""
    env = {"MANNERLY_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "mannerly", "ingest", "-", "--json"],
        input=b"not a mail message at all",
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [line] = [json.loads(x) for x in done.stdout.splitlines()]
    assert line["source"] == "-" and line["action"] == "quarantined"
    assert b"Traceback" not in done.stderr
    assert Path(tmp_path / "data" / "logs" / "mail.log").exists()
