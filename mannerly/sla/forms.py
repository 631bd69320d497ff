"""Editing the acknowledgement text: plain text with known placeholders, nothing else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mannerly.sla.placeholders import ACKNOWLEDGEMENT_PLACEHOLDERS, unknown_placeholders


class AcknowledgementForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        max_length=5000,
        help_text=_("Placeholders: %s")
        % ", ".join("{" + name + "}" for name in sorted(ACKNOWLEDGEMENT_PLACEHOLDERS)),
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholders: %(names)s"),
                params={"names": ", ".join("{" + name + "}" for name in sorted(unknown))},
            )
        return body
