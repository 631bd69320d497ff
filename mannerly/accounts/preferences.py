"""My settings: each signed-in person picks the language the desk speaks and their time zone.

The page works only on the signed-in user's own row (there is no user id in its URL), so nobody
can change another person's settings through it.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mannerly.accounts.middleware import interface_language
from mannerly.accounts.models import User


def language_choices() -> list[tuple[str, str]]:
    """The interface languages, each named in its own language so everyone can find theirs."""
    return [
        (code, translation.get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
    ]


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone this machine knows, sorted; the list does not change while we run."""
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=language_choices)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=time_zone_choices,
        help_text=gettext_lazy("Dates and deadlines are shown in this zone."),
    )

    class Meta:
        model = User
        fields = ["language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A customer's login may carry the ticket-style code ("zh"): show the locale it means.
        language = self.initial.get("language")
        self.initial["language"] = interface_language(language) or language


def remember_language(response: HttpResponse, language: str) -> None:
    """Keep the choice in the language cookie too, so the sign-in page speaks it after sign-out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    """Show and save the signed-in user's language and time zone (303 on success, 422 if not)."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save(commit=False)
            user.save(update_fields=["language", "time_zone"])
            # The confirmation already speaks the language just chosen.
            translation.activate(user.language)
            messages.success(request, _("Your settings are saved."))
            response = redirect("accounts:settings")
            response.status_code = 303
            remember_language(response, user.language)
            return response
        return render(request, "accounts/settings.html", {"form": form}, status=422)
    return render(request, "accounts/settings.html", {"form": form})
