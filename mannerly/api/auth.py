"""Who is calling: a personal API token (``Authorization: Bearer mnly_…``) or the browser session.

A request that sends a token is judged by that token alone: a wrong or revoked token is a 401 even
when a session cookie rides along, so a script never acts as whoever last signed in the browser.
The session needs the CSRF token for unsafe methods (ninja's ``SessionAuth`` checks it).
Failed tokens are limited per address, like failed sign-ins (but counted apart from them).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from mannerly.accounts.middleware import interface_language
from mannerly.accounts.models import ApiToken, LoginAttempt, User
from mannerly.accounts.ratelimit import client_address, record_failure
from mannerly.api.errors import ApiError

# A token's "last used" time is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
RATE_KEY = "api-token"


def _token_failures_key(request: HttpRequest) -> str:
    """Failed tokens are counted per address apart from failed sign-ins (``api:`` prefix), so a
    broken script behind an office's address does not lock its people out of the web sign-in."""
    return f"api:{client_address(request)}"[:64]


def _too_many_failures(address_key: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    failures = LoginAttempt.objects.filter(
        username=RATE_KEY, address=address_key, created_at__gte=since
    )
    return failures.count() >= settings.LOGIN_RATE_LIMIT


def _speak_their_language(request: HttpRequest, user: User) -> None:
    """Token requests skip the session middleware's choice: answer in the user's language."""
    language = interface_language(user.language)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class TokenAuth(HttpBearer):
    """Personal API tokens; only their SHA-256 is stored."""

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _sep, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message=_("Send the token as: Authorization: Bearer mnly_…"))
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if row is None:
            self._refuse(request)
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row
        _speak_their_language(request, row.user)
        return row.user

    @staticmethod
    def _refuse(request: HttpRequest) -> NoReturn:
        """401 for a wrong token, 429 once an address has sent too many. Only failures are
        counted and checked: a valid token is never slowed down by someone else's mistakes
        behind the same address, and guessing a 256-bit token gains nothing from the 401s."""
        address = _token_failures_key(request)
        if _too_many_failures(address):
            raise ApiError(
                429,
                _("Too many failed attempts. Please wait a few minutes."),
                retry_after=settings.LOGIN_RATE_WINDOW,
            )
        record_failure(RATE_KEY, address)
        raise AuthenticationError(message=_("The API token is invalid or was revoked."))


class BrowserSession(SessionAuth):
    """The signed-in browser session (CSRF-checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


api_auth = [TokenAuth(), BrowserSession()]
