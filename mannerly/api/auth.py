"""Personal API tokens (``Authorization: Bearer mnly_…``) and the browser session both work."""

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from mannerly.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


api_auth = [TokenAuth(), django_auth]
