"""Which addresses are ours: the desk receives mail there and never answers them automatically."""

from __future__ import annotations

from django.conf import settings

from mannerly import lookups
from mannerly.accounts.models import Team
from mannerly.mail.models import Mailbox

# Senders that are machines by name; they are never answered automatically.
MACHINE_LOCAL_PARTS = {
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
    "bounce",
    "bounces",
}


def normalize(address: str) -> str:
    return address.strip().strip("<>").lower()


def base_address(address: str) -> str:
    """``support+42@x`` → ``support@x``: sub-addresses reach the same mailbox."""
    local, _, domain = normalize(address).rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else normalize(address)


def own_addresses() -> set[str]:
    """Every address the desk answers from: mailboxes, team addresses and the default sender.

    Read once per worker batch (``lookups.batch``); callers must not change the set."""
    return lookups.remembered("mail.own_addresses", _read_own_addresses)


def _read_own_addresses() -> set[str]:
    found = set(Mailbox.objects.filter(active=True).values_list("address", flat=True))
    found.update(e.lower() for e in Team.objects.exclude(email="").values_list("email", flat=True))
    found.add(normalize(settings.DEFAULT_FROM_EMAIL))
    return {normalize(a) for a in found if a}


def is_own(address: str, own: set[str] | None = None) -> bool:
    own = own_addresses() if own is None else own
    return base_address(address) in own or normalize(address) in own


def is_machine(address: str) -> bool:
    local = normalize(address).partition("@")[0].split("+", 1)[0]
    return local in MACHINE_LOCAL_PARTS


def active_mailboxes() -> dict[str, Mailbox]:
    return {m.address: m for m in Mailbox.objects.filter(active=True).select_related("team")}


def mailbox_for(addresses: list[str], known: dict[str, Mailbox] | None = None) -> Mailbox | None:
    """The configured mailbox among these recipients (first match), if any."""
    boxes = active_mailboxes() if known is None else known
    return next((boxes[base_address(a)] for a in addresses if base_address(a) in boxes), None)


def default_mailbox() -> Mailbox | None:
    """The first mailbox configured (read once per worker batch)."""
    return lookups.remembered(
        "mail.default_mailbox",
        lambda: Mailbox.objects.filter(active=True).select_related("team").order_by("pk").first(),
    )


def team_mailbox(team_id: int) -> Mailbox | None:
    """The team's own mailbox, if it has one (read once per worker batch)."""
    return lookups.remembered(
        ("mail.team_mailbox", team_id),
        lambda: Mailbox.objects.filter(team_id=team_id, active=True).select_related("team").first(),
    )
