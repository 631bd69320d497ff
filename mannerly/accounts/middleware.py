"""Speak each signed-in user's own language and show their own time zone."""

import contextlib
import zoneinfo

from django.utils import timezone, translation

SUPPORTED = {"en", "zh-hans", "uk", "ru"}
# Customer languages are written the way tickets store them ("zh"); the interface needs a locale.
INTERFACE_LANGUAGE = {"zh": "zh-hans"}


def interface_language(code: str | None) -> str | None:
    """The interface locale a stored language means ("zh" is zh-hans); None when we do not
    speak it. Sessions, API tokens and the settings form all read a user's language this way."""
    code = INTERFACE_LANGUAGE.get(code, code)
    return code if code in SUPPORTED else None


class UserLanguageMiddleware:
    """Runs after authentication and overrides LocaleMiddleware's guess from Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        language = interface_language(language)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone = getattr(user, "time_zone", None) if user and user.is_authenticated else None
        timezone.deactivate()
        if zone:
            # An unknown zone name shows server time rather than failing the request.
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(zone))
        return self.get_response(request)
