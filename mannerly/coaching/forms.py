"""The team settings form: rule severities, rules turned off, word lists, signature template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mannerly.coaching import catalog
from mannerly.coaching.config import lines, phrase_error
from mannerly.coaching.models import TeamEtiquette

OFF = "off"
MAX_LIST = 20_000  # characters per word-list box
MAX_LINES = 500


def rule_field_name(rule: str) -> str:
    return "rule_" + rule.replace("-", "_")


class WordListField(forms.CharField):
    """One entry per line; each line must be readable by the engine's phrase syntax."""

    def __init__(self, *args, phrases: bool = True, **kwargs):
        self.phrases = phrases
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_LIST)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        entries = lines(value)
        if len(entries) > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(count)d lines, please.") % {"count": MAX_LINES}
            )
        if self.phrases:
            for entry in entries:
                problem = phrase_error(entry)
                if problem:
                    raise forms.ValidationError(
                        _("“%(line)s” cannot be read: %(problem)s")
                        % {"line": entry, "problem": problem}
                    )
        return "\n".join(entries)


class TeamEtiquetteForm(forms.Form):
    jargon = WordListField(
        label=_("Jargon to avoid"),
        help_text=_(
            "Words customers may not know, one per line. Replies using them get a plain-language warning."
        ),
    )
    internal_names = WordListField(
        label=_("Internal system names"),
        help_text=_(
            "Names of internal tools and systems, one per line. Mentioning them in a reply is an error."
        ),
    )
    dictionary = WordListField(
        label=_("Dictionary words"),
        phrases=False,
        help_text=_("Product names and words the spelling check should accept, one per line."),
    )
    allowed_phrases = WordListField(
        label=_("Phrases never flagged"),
        help_text=_("Words the rules must never flag for this team, one per line."),
    )
    signature_template = forms.CharField(
        label=_("Signature template"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Used when an agent has no signature of their own and by the “Add your signature” fix. {agent} is the agent's name, {team} the team's."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = catalog.default_severities()
        self.rule_fields = []
        for rule in catalog.rule_ids():
            default = defaults[rule]
            choices = [
                ("", _("Default (%(severity)s)") % {"severity": catalog.SEVERITIES[default]}),
                *[(value, label) for value, label in catalog.SEVERITIES.items()],
                (OFF, _("Off")),
            ]
            name = rule_field_name(rule)
            self.fields[name] = forms.ChoiceField(
                label=catalog.rule_label(rule), choices=choices, required=False
            )
            self.rule_fields.append((rule, name))

    def rules(self):
        """(rule id, label, what it checks, default severity, bound field) for the table."""
        defaults = catalog.default_severities()
        for rule, name in self.rule_fields:
            label, description = catalog.RULES.get(rule, (rule, ""))
            yield rule, label, description, catalog.SEVERITIES[defaults[rule]], self[name]

    @classmethod
    def initial_from(cls, row: TeamEtiquette | None) -> dict:
        if row is None:
            return {}
        initial = {
            "jargon": row.jargon,
            "internal_names": row.internal_names,
            "dictionary": row.dictionary,
            "allowed_phrases": row.allowed_phrases,
            "signature_template": row.signature_template,
        }
        for rule in catalog.rule_ids():
            value = (row.severities or {}).get(rule, "")
            if rule in (row.disabled_rules or []):
                value = OFF
            initial[rule_field_name(rule)] = value
        return initial

    def settings_values(self) -> dict:
        """What ``do_save_team_etiquette`` stores."""
        data = self.cleaned_data
        severities, disabled = {}, []
        for rule, name in self.rule_fields:
            value = data.get(name) or ""
            if value == OFF:
                disabled.append(rule)
            elif value:
                severities[rule] = value
        return {
            "severities": severities,
            "disabled_rules": disabled,
            "jargon": data["jargon"],
            "internal_names": data["internal_names"],
            "dictionary": data["dictionary"],
            "allowed_phrases": data["allowed_phrases"],
            "signature_template": data["signature_template"].strip(),
        }
