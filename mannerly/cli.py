"""The ``mannerly`` command: one entry point for running, administering and checking the desk.

Each domain registers its own subcommands (``register(subparsers)``) and imports its heavy
modules only inside the handler, so ``mannerly lint`` starts without loading Django.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

# Modules that add subcommands, in the order they appear in ``mannerly --help``.
COMMAND_MODULES = [
    "mannerly.desk_commands",
    "mannerly.etiquette.cli",
    "mannerly.mail.cli",
    "mannerly.sla.cli",
]


class UsageError(Exception):
    """Bad usage or unreadable input: printed as one line on stderr, exit status 2."""


def setup_django() -> None:
    """Load Django for commands that need the database; cheap commands never call this."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mannerly.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mannerly",
        description="Mannerly: a customer-service desk that keeps every reply courteous.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args) or 0
    except UsageError as exc:
        print(f"mannerly {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
