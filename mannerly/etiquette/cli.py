"""``mannerly triage`` and ``mannerly lint``: the etiquette engine on the command line.

Only argparse is imported here; the engine is imported inside the handlers, so the rest of
``mannerly`` starts without it and ``mannerly lint`` starts without Django. Exit status: 0 no
error-severity finding, 1 at least one, 2 bad usage or unreadable input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

MAX_INPUT_BYTES = 8 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    triage = subparsers.add_parser(
        "triage",
        help="read a customer message: emotion, flags, questions, guidance",
        description="Triage a customer message (UTF-8 text from FILE, or - for standard input).",
    )
    triage.add_argument("file", metavar="FILE", help="the message, or - for standard input")
    triage.add_argument("--lang", help="en, zh, uk or ru (default: detect)")
    triage.add_argument("--json", action="store_true", help="print the JSON result")
    triage.set_defaults(handler=run_triage)

    lint = subparsers.add_parser(
        "lint",
        help="check a reply draft for courtesy, completeness and clarity",
        description="Lint an agent's reply draft. Exit 0: no error; 1: errors; 2: bad input.",
    )
    lint.add_argument("--draft", required=True, metavar="FILE", help="the draft, or - for stdin")
    lint.add_argument("--message", metavar="FILE", help="the customer's message it answers")
    lint.add_argument("--customer", metavar="NAME", help="the customer's full name as stored")
    lint.add_argument("--agent", metavar="NAME", help="your display name")
    lint.add_argument("--lang", help="en, zh, uk or ru (default: detect)")
    lint.add_argument("--json", action="store_true", help="print the JSON result")
    lint.set_defaults(handler=run_lint)


def read_text(path: str, what: str) -> str:
    """UTF-8 text from a file or standard input; UsageError when it cannot be read as text."""
    from mannerly.cli import UsageError

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{what}: no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{what}: is a directory: {path}") from None
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{what}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data:
        raise UsageError(f"{what}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{what}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _lang(value: str | None) -> str | None:
    from mannerly.cli import UsageError

    if value is None:
        return None
    from mannerly.etiquette.language import resolve

    try:
        return resolve(value, "")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run_triage(args: argparse.Namespace) -> int:
    text = read_text(args.file, "message")
    lang = _lang(args.lang)
    from mannerly.etiquette import triage

    result = triage(text, lang)
    if args.json:
        _print_json(result)
    else:
        from mannerly.etiquette.report import triage_report

        _print(triage_report(text, result))
    return 0


def run_lint(args: argparse.Namespace) -> int:
    draft = read_text(args.draft, "draft")
    message = read_text(args.message, "message") if args.message else None
    lang = _lang(args.lang)
    from mannerly.etiquette import lint

    result = lint(draft, message=message, customer=args.customer, agent=args.agent, lang=lang)
    if args.json:
        _print_json(result)
    else:
        from mannerly.etiquette.report import lint_report

        _print(lint_report(draft, result, color=sys.stdout.isatty()))
    return 0 if result["ok"] else 1


def _print_json(result: dict[str, Any]) -> None:
    _print(json.dumps(result, ensure_ascii=False, indent=2))


def _print(text: str) -> None:
    data = (text + "\n").encode("utf-8", errors="replace")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
