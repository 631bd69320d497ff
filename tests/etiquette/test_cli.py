"""`mannerly triage` and `mannerly lint` on the command line: JSON, the report, exit codes."""

import json
import subprocess
import sys

import pytest

DRAFT = "Unfortunately we can't do that. Just wait.\n"
MESSAGE = (
    "Hello, I was charged twice this month and nobody answers. Can you refund the second "
    "charge? Will my renewal date change?\n\nAnna Smith"
)
CLEAN = "Hi Anna,\n\nThank you for writing. Your refund was sent today.\n\nBest regards,\nOleh\n"


def mannerly(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "mannerly", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def files(tmp_path):
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "message.txt").write_text(MESSAGE, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_lint_json_with_errors_exits_1(files):
    p = mannerly(
        "lint",
        "--draft",
        str(files / "draft.txt"),
        "--message",
        str(files / "message.txt"),
        "--customer",
        "Anna Smith",
        "--agent",
        "Oleh Kovalenko",
        "--json",
    )
    assert p.returncode == 1
    result = json.loads(p.stdout)
    rules = {f["rule"] for f in result["findings"]}
    assert {"greeting-name", "signature-name", "negative-language", "questions-answered"} <= rules
    assert [q["answered"] for q in result["questions"]] == [False, False]


def test_lint_clean_draft_from_stdin_exits_0(files):
    p = mannerly(
        "lint",
        "--draft",
        "-",
        "--customer",
        "Anna Smith",
        "--agent",
        "Oleh Kovalenko",
        stdin=CLEAN.encode(),
    )
    assert p.returncode == 0, p.stderr
    assert b"ready to send" in p.stdout


def test_human_report_lists_the_checklist_and_underlines_the_text(files):
    p = mannerly("lint", "--draft", str(files / "draft.txt"), "--customer", "Anna Smith")
    out = p.stdout.decode()
    assert "Checklist" in out and "[ ] use-their-name" in out
    lines = out.splitlines()
    at = lines.index("    Unfortunately we can't do that. Just wait.")
    assert lines[at + 1] == "    ^^^^^^^^^^^^^"


def test_triage_json_from_stdin(files):
    p = mannerly("triage", "-", "--json", stdin=MESSAGE.encode())
    assert p.returncode == 0
    result = json.loads(p.stdout)
    assert result["language"] == "en" and len(result["questions"]) == 2


def test_triage_report(files):
    p = mannerly("triage", str(files / "message.txt"))
    assert p.returncode == 0 and b"Questions: 2" in p.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (["lint", "--draft", "/no/such/file.txt"], None, b"no such file"),
        (["lint", "--draft", "-"], b"\xff\xfe\xfa binary \x00\x01", b"binary"),
        (["lint", "--draft", "-"], b"caf\xe9 latin-1", b"not UTF-8"),
        (["triage", "-", "--lang", "es"], b"Hola", b"unsupported language"),
        (["lint"], None, b"--draft"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(args, stdin, said, tmp_path):
    p = mannerly(*args, stdin=stdin)
    assert p.returncode == 2
    assert said in p.stderr
    assert b"Traceback" not in p.stderr


def test_a_directory_is_not_a_draft(tmp_path):
    p = mannerly("lint", "--draft", str(tmp_path))
    assert p.returncode == 2 and b"directory" in p.stderr and b"Traceback" not in p.stderr


def test_lint_does_not_import_django():
    code = (
        "import sys, runpy\nsys.argv=['mannerly','lint','--draft','-','--json']\n"
        "from mannerly.cli import main\nimport io\n"
        "rc = main(sys.argv[1:])\nprint('DJANGO' if 'django' in sys.modules else 'NODJANGO', file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code], input=b"Hi", capture_output=True, timeout=120)
    assert b"NODJANGO" in p.stderr
