"""What the coaching app stores: each team's etiquette settings and each customer message's triage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TeamEtiquette(models.Model):
    """A team's adjustments to the etiquette rules, edited on the settings page without code.

    Turned into the engine's ``TeamConfig`` for every lint and triage of the team's tickets
    (``mannerly.coaching.config.team_config``). Word lists are stored one entry per line, as the
    page shows them, so what a supervisor typed is what they see again.
    """

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="etiquette", primary_key=True
    )
    severities = models.JSONField(_("rule severities"), default=dict, blank=True)
    disabled_rules = models.JSONField(_("rules turned off"), default=list, blank=True)
    jargon = models.TextField(_("jargon"), blank=True)
    internal_names = models.TextField(_("internal system names"), blank=True)
    dictionary = models.TextField(_("dictionary words"), blank=True)
    allowed_phrases = models.TextField(_("phrases never flagged"), blank=True)
    signature_template = models.TextField(_("signature template"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("team etiquette settings")

    def __str__(self) -> str:
        return f"etiquette of team {self.team_id}"


class MessageTriage(models.Model):
    """The engine's triage of one inbound customer message, computed once and kept.

    ``result`` is the triage JSON of the public contract (language, emotion, flags, questions,
    guidance). Triage reads only the message's own words, which never change, so the row is
    written once; ``engine`` names the engine revision that wrote it, so a later engine can
    recompute old rows on purpose instead of by accident.
    """

    message = models.OneToOneField(
        "tickets.Message", on_delete=models.CASCADE, related_name="triage", primary_key=True
    )
    result = models.JSONField(default=dict)
    engine = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message triage")

    def __str__(self) -> str:
        return f"triage of message {self.message_id}"

    @property
    def flags(self) -> list[str]:
        return list(self.result.get("flags") or [])

    @property
    def label(self) -> str:
        return (self.result.get("emotion") or {}).get("label", "calm")

    @property
    def questions(self) -> list[dict]:
        return list(self.result.get("questions") or [])
