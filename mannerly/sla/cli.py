"""``mannerly sla``: service-level maintenance from the command line."""

from __future__ import annotations

import argparse

from mannerly.cli import setup_django


def register(subparsers: argparse._SubParsersAction) -> None:
    sla = subparsers.add_parser("sla", help="service levels: recompute deadlines")
    commands = sla.add_subparsers(dest="sla_command", metavar="SUBCOMMAND", required=True)
    recompute = commands.add_parser(
        "recompute", help="recompute every open ticket's deadlines (after editing a policy)"
    )
    recompute.set_defaults(handler=run_recompute)


def run_recompute(args: argparse.Namespace) -> int:
    setup_django()
    from mannerly.sla.tracking import recompute_open_tickets

    count = recompute_open_tickets()
    print(f"Recomputed the deadlines of {count} open tickets.")
    return 0
