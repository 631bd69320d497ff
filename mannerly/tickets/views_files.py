"""Attachment downloads, for staff and for the customer who may see the message.

The file is always sent as a download (``Content-Disposition: attachment``) with a sanitised name
and ``X-Content-Type-Options: nosniff``: a sender's HTML or SVG never runs in the desk's origin.
"""

from __future__ import annotations

import re
import unicodedata

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from mannerly.tickets.decorators import customer_required, staff_required
from mannerly.tickets.models import Attachment
from mannerly.tickets.queries import access_attachment

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name: str) -> str:
    """A filename fit for a header and a file system: no path, no control or quote characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # drop any path the sender put in
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 140 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:150]
    return name or "attachment"


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(attachment.filename),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_required
@require_safe
def staff_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return attachment_response(access_attachment(request.user, attachment_id))


@customer_required
@require_safe
def portal_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return attachment_response(access_attachment(request.user, attachment_id))
