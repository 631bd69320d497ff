"""Speak each signed-in user's own language, whatever the browser says."""

from django.utils import translation

SUPPORTED = {"en", "zh-hans", "uk", "ru"}


class UserLanguageMiddleware:
    """Runs after authentication and overrides LocaleMiddleware's guess from Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        if language in SUPPORTED:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
