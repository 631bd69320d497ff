"""Django's makemessages, also extracting ``N_("...")``: ``gettext_noop`` under its usual gettext name.

Texts that are translated later, in each recipient's language (SLA notifications in
``sla/effects.py``), are marked with ``N_``; without this keyword xgettext would skip them and
the catalogs would silently miss them.
"""

from django.core.management.commands.makemessages import Command as MakeMessagesCommand


class Command(MakeMessagesCommand):
    xgettext_options = [*MakeMessagesCommand.xgettext_options, "--keyword=N_"]
