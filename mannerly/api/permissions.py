"""Who may call what. Objects themselves come only through the ``access_*`` getters."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from mannerly.accounts.models import User


def staff_only(request: HttpRequest) -> User:
    """The calling agent, supervisor or admin. A customer gets 404, as on the desk's pages:
    staff endpoints do not exist for them."""
    user = request.user
    if not user.is_staff_member:
        raise Http404
    return user
