"""Subcommands that run and administer the desk: demo, serve, worker, migrate, createuser, manage."""

from __future__ import annotations

import argparse
import getpass
import os

from mannerly.cli import UsageError, setup_django


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="migrate, load multilingual demo data and run everything on loopback"
    )
    demo.add_argument(
        "--port", type=int, default=0, help="web port (default: first free from 8000)"
    )
    demo.add_argument("--no-mail", action="store_true", help="do not start the mail listener")
    demo.set_defaults(handler=run_demo)

    serve = subparsers.add_parser("serve", help="run the web server (and the mail listener)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="web worker processes")
    serve.add_argument("--mail", action="store_true", help="also run the SMTP/LMTP mail listener")
    serve.set_defaults(handler=run_serve)

    worker = subparsers.add_parser("worker", help="run due background work from the database")
    worker.add_argument("--once", action="store_true", help="do one pass and exit")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between idle passes")
    worker.set_defaults(handler=run_worker)

    migrate = subparsers.add_parser("migrate", help="create or upgrade the database")
    migrate.set_defaults(handler=run_migrate)

    createuser = subparsers.add_parser("createuser", help="create an agent, supervisor or admin")
    createuser.add_argument("username")
    createuser.add_argument("--email", default="")
    createuser.add_argument("--name", default="", help="display name, used to sign replies")
    createuser.add_argument(
        "--role", choices=["agent", "supervisor", "admin", "customer"], default="agent"
    )
    createuser.add_argument("--password", help="(default: ask on the terminal)")
    createuser.add_argument("--language", default="en", choices=["en", "zh-hans", "uk", "ru"])
    createuser.set_defaults(handler=run_createuser)

    manage = subparsers.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=run_manage)


def migrate_database(verbosity: int = 1) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


def run_migrate(args: argparse.Namespace) -> int:
    setup_django()
    migrate_database()
    return 0


def run_createuser(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from mannerly.accounts.models import User

    if User.objects.filter(username=args.username).exists():
        raise UsageError(f"a user named {args.username!r} already exists")
    password = args.password or getpass.getpass("Password: ")
    user = User(
        username=args.username,
        email=args.email,
        display_name=args.name,
        role=args.role,
        language=args.language,
        is_superuser=args.role == "admin",
        is_staff=args.role == "admin",
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise UsageError(" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    print(f"Created {args.role} {args.username}.")
    return 0


def run_worker(args: argparse.Namespace) -> int:
    setup_django()
    from mannerly.worker import Worker

    Worker(interval=args.interval).run(once=args.once)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    setup_django()
    from mannerly.processes import ProcessGroup, mannerly_command, web_command

    group = ProcessGroup()
    group.start("web", web_command(args.host, args.port, workers=args.workers))
    if args.mail:
        group.start("mail", mannerly_command("mail", "listen"))
    print(f"Mannerly is serving http://{args.host}:{args.port}/", flush=True)
    return group.wait()


def run_demo(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from mannerly.processes import ProcessGroup, first_free_port, mannerly_command, web_command
    from mannerly.tickets.demo import DEMO_LOGINS, load_demo_data

    print(f"Data folder: {settings.DATA_DIR}", flush=True)
    migrate_database(verbosity=0)
    created = load_demo_data()
    if created:
        from mannerly.mail.outbox import settle_demo_history

        settle_demo_history()  # the demo's past replies are history, not mail to send now
    # The demo never sends real mail: replies written in it are kept as files in the data folder.
    os.environ.setdefault(
        "MANNERLY_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    print("Loaded the demo data." if created else "Demo data already loaded; keeping it.")
    port = args.port or first_free_port()
    group = ProcessGroup()
    group.start("web", web_command("127.0.0.1", port))
    group.start("worker", mannerly_command("worker"))
    if not args.no_mail:
        group.start("mail", mannerly_command("mail", "listen"))
    print(f"\nMannerly is running at http://127.0.0.1:{port}/\n")
    print("Demo logins (username / password):")
    for username, password, what in DEMO_LOGINS:
        print(f"  {username:<12} {password:<16} {what}")
    print("\nPress Ctrl-C to stop.", flush=True)
    return group.wait()


def run_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mannerly manage", *args.args])
    return 0
