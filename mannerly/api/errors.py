"""Every API error is JSON of one shape: ``{"detail": "...", "code": "..."}``.

``detail`` is a sentence for people (translated for the signed-in user); ``code`` is a stable
machine word that scripts can branch on. Validation errors add ``errors``: one entry per bad field,
with its path (``["body", "status"]``, ``["query", "limit"]``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel, Field

from mannerly.tickets.actions import ActionError

logger = logging.getLogger(__name__)

# The stable codes, by HTTP status, for errors that carry no code of their own.
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "throttled",
    500: "server_error",
}


class ApiError(Exception):
    """An error the API answers on purpose, with its status, code and message."""

    def __init__(
        self,
        status: int,
        detail: str,
        code: str | None = None,
        errors: list | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        self.status = status
        self.detail = detail
        self.code = code or CODES.get(status, "error")
        self.errors = errors
        self.retry_after = retry_after
        super().__init__(detail)


def invalid_fields(fields: list[str], message: str) -> ApiError:
    """A 422 naming body fields that are well-formed but refer to nothing the caller may use."""
    errors = [{"loc": ["body", name], "msg": message, "type": "value_error"} for name in fields]
    return ApiError(422, _("The request has invalid fields."), "validation_error", errors)


class ErrorOut(BaseModel):
    detail: str = Field(examples=["Not found."])
    code: str = Field(examples=["not_found"])


class FieldError(BaseModel):
    loc: list[str | int] = Field(examples=[["body", "status"]])
    msg: str = Field(examples=["Input should be 'new', 'open', 'pending', 'on-hold'…"])
    type: str = Field(examples=["literal_error"])


class ValidationErrorOut(BaseModel):
    detail: str = Field(examples=["The request has invalid fields."])
    code: str = Field(examples=["validation_error"])
    errors: list[FieldError]


def error_response(status: int, detail: str, code: str | None = None, **extra: Any) -> JsonResponse:
    body = {"detail": detail, "code": code or CODES.get(status, "error"), **extra}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _field_errors(exc: ValidationError) -> list[dict]:
    """Ninja's pydantic errors as ``loc``/``msg``/``type``; the body's parameter name is dropped."""
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        # Body schemas arrive as the view's ``payload`` argument; clients never see that name.
        if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload":
            loc = ["body", *loc[2:]]
        errors.append(
            {
                "loc": [part if isinstance(part, int) else str(part) for part in loc],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return errors


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so no error leaves the API in another shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        extra = {"errors": exc.errors} if exc.errors is not None else {}
        response = error_response(exc.status, exc.detail, exc.code, **extra)
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ActionError)
    def action_refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
        return error_response(400, str(exc), "refused")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, _("Not found."))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, _("The request has invalid fields."), errors=_field_errors(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            401,
            str(exc.message) if exc.message != "Unauthorized" else _("Authentication required."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and "CSRF" in exc.message:
            return error_response(
                403,
                _("CSRF check failed: send the X-CSRFToken header with the session cookie."),
                "csrf_failed",
            )
        if exc.status_code == 400 and "parse request body" in exc.message:
            return error_response(400, _("The request body is not valid JSON."), "invalid_json")
        response = error_response(exc.status_code, exc.message)
        if exc.status_code == 429 and getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(ObjectDoesNotExist)
    def vanished(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return error_response(404, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, str(exc) or _("You may not do this."))

    @api.exception_handler(IntegrityError)
    def collided(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        """Two requests changed the same thing at once (e.g. the same new address twice)."""
        logger.info("API integrity conflict on %s %s: %s", request.method, request.path, exc)
        return error_response(
            409, _("This conflicts with a change made at the same time. Please try again.")
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500, _("Something went wrong on our side."))


def documented(*statuses: int) -> dict[int, type[BaseModel]]:
    """The error responses an operation declares in its OpenAPI entry (401 and 429 always: every
    operation needs a signed-in caller, and failed tokens are throttled)."""
    codes = sorted({401, 429, *statuses})
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in codes}
