"""Who may open which kind of page: the desk is for staff, the portal for customers."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def staff_required(view):
    """Signed-in agents, supervisors and admins; a customer gets 404, not a hint the page exists."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def customer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
