"""The API's URLs; every answer under /api/v1/ is JSON, unknown paths and wrong methods too."""

from functools import wraps

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mannerly.api.errors import error_response
from mannerly.api.main import api


def _json_method_not_allowed(view):
    """Ninja answers a wrong method with plain text; give the API's JSON error instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            response = error_response(
                405,
                _("This method is not allowed here. Allowed: %(allowed)s") % {"allowed": allowed},
            )
            response["Allow"] = allowed
        return response

    return wrapper


def _json_errors(patterns: list) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _json_errors(pattern.url_patterns)
    return patterns


@csrf_exempt
def not_found(request: HttpRequest, rest: str = ""):
    return error_response(404, _("Not found."))


app_name = api.urls_namespace
urlpatterns = [
    *_json_errors(api.urls[0]),
    re_path(r"^(?P<rest>.*)$", not_found, name="not-found"),
]
