"""Requests with a body are checked before anything else reads them.

The order matters: a body that is too large is refused before it is read (413), one that is not
JSON by its Content-Type is refused before it is parsed (415), and one that does not parse is a 400,
never a 500 (deep nesting, invalid UTF-8 and 5,000-digit numbers included).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser

from mannerly.api.errors import error_response

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_PARSED = "_mannerly_json"


def max_body() -> int:
    """The largest body any endpoint accepts (1 MB unless settings.MANNERLY_API_MAX_BODY)."""
    return getattr(settings, "MANNERLY_API_MAX_BODY", 1024 * 1024)


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _too_large(limit: int) -> HttpResponse:
    return error_response(
        413,
        _("The request body is larger than %(limit)d KB.") % {"limit": limit // 1024},
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def check_json_body(request: HttpRequest, limit: int) -> HttpResponse | None:
    """The error response for a body this API will not read, or None after parsing it."""
    if request.method in SAFE_METHODS:
        return None
    if _content_length(request) > limit:
        return _too_large(limit)
    body = request.body
    if not body:
        return None
    if len(body) > limit:
        return _too_large(limit)
    if not _is_json(request.content_type or ""):
        return error_response(
            415, _("Send the request body as JSON (Content-Type: application/json).")
        )
    try:
        setattr(request, _PARSED, json.loads(body))
    except (ValueError, RecursionError):
        return error_response(400, _("The request body is not valid JSON."), "invalid_json")
    return None


def json_body(limit: int | None = None) -> Callable:
    """A ninja view decorator (mode="view") enforcing the checks above with a size limit."""

    def decorator(run: Callable) -> Callable:
        @wraps(run)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            error = check_json_body(request, limit or max_body())
            return error or run(request, *args, **kwargs)

        return guarded

    return decorator


class CheckedJsonParser(Parser):
    """Reuses the body parsed by :func:`check_json_body` instead of parsing it twice."""

    def parse_body(self, request: HttpRequest) -> Any:
        if hasattr(request, _PARSED):
            return getattr(request, _PARSED)
        return super().parse_body(request)
