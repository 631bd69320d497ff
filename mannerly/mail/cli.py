"""Mail subcommands: ``ingest``, ``export ticket``, ``mail parse|listen|poll|process|reprocess|
quarantine|mailbox``.

``mail parse FILE... [--json]`` shows what the parser makes of raw messages without touching the
database (no Django needed). Heavy modules are imported inside the handlers so that
``mannerly --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from mannerly.cli import UsageError, setup_django

SUMMARY_ORDER = ["created", "appended", "duplicate", "auto-reply", "bounce", "quarantined"]


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser(
        "ingest", help="import mail: .eml files, folders, mbox, Maildir; - reads stdin"
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--json", action="store_true", help="one JSON line per message")
    ingest.add_argument(
        "--store-only",
        action="store_true",
        help="only store the raw messages; `mannerly worker` or `mail process` takes them on",
    )
    ingest.set_defaults(handler=run_ingest)

    export = subparsers.add_parser("export", help="export desk data")
    export_kinds = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    ticket = export_kinds.add_parser("ticket", help="a ticket with all its messages")
    ticket.add_argument("ticket_id", metavar="ID")
    ticket.add_argument("--json", action="store_true")
    ticket.set_defaults(handler=run_export_ticket)

    mail = subparsers.add_parser("mail", help="the mail channel: parse, listen, poll, reprocess")
    commands = mail.add_subparsers(dest="mail_command", metavar="MAIL_COMMAND")
    mail.set_defaults(handler=lambda args: _print_help(mail))
    add_parse_command(commands)

    listen = commands.add_parser("listen", help="receive mail over SMTP or LMTP")
    listen.add_argument("--host", default=None, help="(default: MANNERLY_MAIL_HOST, 127.0.0.1)")
    listen.add_argument("--port", type=int, default=None, help="(default 2525; 0 picks a free one)")
    listen.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
    listen.add_argument(
        "--no-process", action="store_true", help="only store; leave processing to the worker"
    )
    listen.set_defaults(handler=run_listen)

    poll = commands.add_parser("poll", help="fetch new mail from the mailboxes' IMAP folders")
    poll.add_argument("--mailbox", help="only this address")
    poll.add_argument("--loop", action="store_true", help="keep polling")
    poll.add_argument("--interval", type=float, default=60.0, help="seconds between polls")
    poll.set_defaults(handler=run_poll)

    reprocess = commands.add_parser(
        "reprocess", help="retry quarantined messages (all, or the given ids) and pending ones"
    )
    reprocess.add_argument("ids", nargs="*", type=int, metavar="ID")
    reprocess.add_argument("--json", action="store_true")
    reprocess.set_defaults(handler=run_reprocess)

    process = commands.add_parser(
        "process", help="process stored mail until none is pending (several may run at once)"
    )
    process.set_defaults(handler=run_process)

    quarantine = commands.add_parser("quarantine", help="list quarantined messages")
    quarantine.set_defaults(handler=run_quarantine_list)

    box = commands.add_parser("mailbox", help="configure the addresses the desk uses")
    box_commands = box.add_subparsers(dest="mailbox_command", metavar="ACTION", required=True)
    add = box_commands.add_parser("add", help="add or change a mailbox")
    add.add_argument("address")
    add.add_argument("--name", default="", help="display name, e.g. 'Acme Support'")
    add.add_argument("--team", default="", help="team that gets its new tickets")
    add.add_argument("--imap-host", default="")
    add.add_argument("--imap-port", type=int)
    add.add_argument("--imap-security", choices=["none", "starttls", "tls"], default="tls")
    add.add_argument("--imap-user", default="")
    add.add_argument("--imap-password", default="", help="(or MANNERLY_IMAP_PASSWORD)")
    add.add_argument("--imap-folder", default="INBOX")
    add.add_argument("--imap-sent-folder", default="")
    add.add_argument("--no-verify-tls", action="store_true", help="accept any IMAP certificate")
    add.set_defaults(handler=run_mailbox_add)
    listing = box_commands.add_parser("list", help="list mailboxes")
    listing.set_defaults(handler=run_mailbox_list)
    remove = box_commands.add_parser("remove", help="stop using a mailbox")
    remove.add_argument("address")
    remove.set_defaults(handler=run_mailbox_remove)


def _django() -> None:
    """Load Django, log to the data folder and create or upgrade the database if needed."""
    setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from mannerly.desk_commands import migrate_database
    from mannerly.mail.logs import setup_mail_logging

    setup_mail_logging()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        migrate_database(verbosity=0)


def run_ingest(args: argparse.Namespace) -> int:
    from mannerly.mail import sources

    try:
        sources.check_paths(args.paths)
    except sources.SourceError as exc:
        raise UsageError(str(exc)) from None
    _django()
    if args.store_only:
        return _store_only(args.paths)
    from mannerly.mail.ingest import ingest_items

    progress = _progress(sources.count(args.paths))
    summary: Counter[str] = Counter()
    try:
        for outcome in ingest_items(sources.items(args.paths)):
            summary[outcome.action] += 1
            if args.json:
                print(json.dumps(outcome.to_json(), ensure_ascii=False), flush=False)
            if progress is not None:
                progress.update(1)
    except sources.SourceError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}") from None
    finally:
        if progress is not None:
            progress.close()
    sys.stdout.flush()
    line = ", ".join(f"{summary[action]} {action}" for action in SUMMARY_ORDER)
    print(f"{sum(summary.values())} messages: {line}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _store_only(paths: list[str]) -> int:
    from mannerly.mail import sources
    from mannerly.mail.ingest import FILE_SOURCE
    from mannerly.mail.store import Envelope, store_many

    batch: list[tuple[bytes, Envelope]] = []
    stored = 0
    for item in sources.items(paths):
        batch.append((item.data, Envelope(source=FILE_SOURCE + item.source)))
        if len(batch) >= 500:
            stored += len(store_many(batch))
            batch = []
    stored += len(store_many(batch)) if batch else 0
    print(f"{stored} messages stored, waiting to be processed")
    return 0


def run_process(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.ingest import process_pending

    outcomes = process_pending()
    summary = Counter(outcome.action for outcome in outcomes)
    line = ", ".join(f"{summary[action]} {action}" for action in SUMMARY_ORDER)
    print(f"{len(outcomes)} messages: {line}")
    return 0


def _progress(total: int | None):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="msg", file=sys.stderr, leave=False)


def run_export_ticket(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.export import export_ticket, format_ticket
    from mannerly.tickets.models import Ticket

    try:
        ticket = Ticket.objects.get(pk=int(args.ticket_id))
    except (ValueError, Ticket.DoesNotExist):
        raise UsageError(f"no ticket {args.ticket_id}") from None
    data = export_ticket(ticket)
    print(json.dumps(data, ensure_ascii=False) if args.json else format_ticket(data))
    return 0


def run_listen(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from mannerly.mail.listener import serve

    host = args.host or settings.MAIL_LISTEN_HOST
    port = settings.MAIL_LISTEN_PORT if args.port is None else args.port
    try:
        serve(host, port, lmtp=args.lmtp, process=not args.no_process)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


def run_poll(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.imap import poll_loop

    return poll_loop(only=args.mailbox, loop=args.loop, interval=args.interval)


def run_reprocess(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.ingest import reprocess

    summary: Counter[str] = Counter()
    for outcome in reprocess(args.ids or None):
        summary[outcome.action] += 1
        if args.json:
            print(json.dumps(outcome.to_json(), ensure_ascii=False))
    line = ", ".join(f"{summary[action]} {action}" for action in SUMMARY_ORDER)
    out = sys.stderr if args.json else sys.stdout
    print(f"{sum(summary.values())} messages: {line}", file=out)
    return 0


def run_quarantine_list(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.queries import quarantined_mail

    rows = list(quarantined_mail())
    for row in rows:
        print(f"{row.pk}\t{row.received_at:%Y-%m-%d %H:%M}\t{row.sender}\t{row.reason}")
    print(f"{len(rows)} quarantined", file=sys.stderr)
    return 0


def run_mailbox_add(args: argparse.Namespace) -> int:
    import os

    _django()
    from mannerly.accounts.models import Team
    from mannerly.mail.models import Mailbox

    team = None
    if args.team:
        team = Team.objects.filter(name=args.team).first()
        if team is None:
            raise UsageError(f"no team named {args.team!r}")
    if "@" not in args.address:
        raise UsageError(f"{args.address!r} is not an email address")
    mailbox, created = Mailbox.objects.update_or_create(
        address=args.address.strip().lower(),
        defaults={
            "display_name": args.name,
            "team": team,
            "active": True,
            "imap_host": args.imap_host,
            "imap_port": args.imap_port,
            "imap_security": args.imap_security,
            "imap_username": args.imap_user,
            "imap_password": args.imap_password or os.environ.get("MANNERLY_IMAP_PASSWORD", ""),
            "imap_folder": args.imap_folder,
            "imap_sent_folder": args.imap_sent_folder,
            "imap_verify_tls": not args.no_verify_tls,
        },
    )
    print(f"{'Added' if created else 'Updated'} mailbox {mailbox.address}.")
    return 0


def run_mailbox_list(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.models import Mailbox

    for box in Mailbox.objects.select_related("team"):
        imap = (
            f"imap {box.imap_security}://{box.imap_username}@{box.imap_host}:"
            f"{box.imap_port_or_default}/{box.imap_folder}"
            if box.imap_host
            else "no imap"
        )
        state = "" if box.active else " (inactive)"
        team = box.team.name if box.team else "-"
        print(f"{box.address}\t{box.display_name or '-'}\tteam {team}\t{imap}{state}")
    return 0


def run_mailbox_remove(args: argparse.Namespace) -> int:
    _django()
    from mannerly.mail.models import Mailbox

    changed = Mailbox.objects.filter(address=args.address.strip().lower()).update(active=False)
    if not changed:
        raise UsageError(f"no mailbox {args.address}")
    print(f"Mailbox {args.address} is no longer used (its history is kept).")
    return 0


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
