"""``mannerly mail …`` subcommands.

``mail parse FILE... [--json]`` shows what the parser makes of raw messages without touching the
database (no Django needed). Other mail commands register on the same ``mail`` group.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    mail = subparsers.add_parser("mail", help="mail channel tools (parse raw messages, ...)")
    mail_commands = mail.add_subparsers(dest="mail_command", metavar="MAIL_COMMAND")
    mail.set_defaults(handler=lambda args: _print_help(mail))
    add_parse_command(mail_commands)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def add_parse_command(mail_commands: Any) -> None:
    parse = mail_commands.add_parser(
        "parse",
        help="show how raw messages (.eml, .box) are read; no database needed",
        description="Parse raw RFC 5322 messages and print what Mannerly reads from them: "
        "headers, text, attachments, auto-reply and bounce verdicts, defects.",
    )
    parse.add_argument("files", nargs="+", metavar="FILE", help="raw message file; - for stdin")
    parse.add_argument("--json", action="store_true", help="one JSON object per line and file")
    parse.set_defaults(handler=handle_parse)


def _read(name: str) -> bytes:
    from mannerly.cli import UsageError

    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{name}: is a folder, not a message file") from None
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _check_readable(names: list[str]) -> None:
    """Fail before printing anything when a path cannot be read (exit status 2)."""
    from mannerly.cli import UsageError

    for name in names:
        if name == "-":
            continue
        path = Path(name)
        if path.is_dir():
            raise UsageError(f"{name}: is a folder, not a message file")
        if not path.exists():
            raise UsageError(f"{name}: no such file")
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise UsageError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def handle_parse(args: argparse.Namespace) -> int:
    from mannerly.mail.parse import parse

    _check_readable(args.files)
    out = sys.stdout
    try:
        for name in args.files:
            mail = parse(_read(name))
            if args.json:
                record = mail.to_json(file=name)
                record["new_text"] = mail.new_text
                record["list_id"] = mail.list_id
                line = json.dumps(record, ensure_ascii=False) + "\n"
                out.buffer.write(line.encode("utf-8"))
            else:
                text = _summary(name, mail)
                out.buffer.write(text.encode(out.encoding or "utf-8", "replace"))
            out.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, without a traceback.
        sys.stderr.close()
        return 0
    return 0


def _address(address: Any) -> str:
    return f"{address.name} <{address.email}>" if address.name else address.email


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"  # pragma: no cover


def _summary(name: str, mail: Any) -> str:
    kind = "message"
    if mail.bounce:
        kind = f"bounce {mail.bounce.status} {mail.bounce.recipient}".rstrip()
    elif mail.auto_reply:
        kind = "auto-reply"
    if mail.list_id:
        kind += f" (list {mail.list_id})"
    lines = [name]
    lines.append(f"  From:     {_address(mail.from_) if mail.from_ else '(none)'}")
    if mail.to:
        lines.append("  To:       " + ", ".join(_address(a) for a in mail.to))
    if mail.cc:
        lines.append("  Cc:       " + ", ".join(_address(a) for a in mail.cc))
    lines.append(f"  Subject:  {mail.subject}")
    lines.append(f"  Date:     {mail.date.isoformat() if mail.date else '(none)'}")
    lines.append(f"  Kind:     {kind}")
    preview = [ln for ln in mail.new_text.splitlines() if ln.strip()][:3]
    for i, ln in enumerate(preview):
        lines.append(("  Text:     " if i == 0 else "            ") + ln[:100])
    for att in mail.attachments:
        inline = ", inline" if att.inline else ""
        lines.append(f"  Attached: {att.filename} ({att.content_type}, {_size(att.size)}{inline})")
    for defect in mail.defects[:10]:
        lines.append(f"  Defect:   {defect}")
    if len(mail.defects) > 10:
        lines.append(f"  Defect:   … {len(mail.defects) - 10} more")
    return "\n".join(lines) + "\n\n"
