"""The mail channel's admin page: quarantined and set-aside mail, for supervisors and admins."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mannerly.mail.ingest import reprocess
from mannerly.mail.models import RawMail
from mannerly.mail.queries import access_mail_admin, quarantined_mail, set_aside_mail


@require_GET
def quarantine(request):
    access_mail_admin(request.user)
    context = {
        "quarantined": quarantined_mail()[:200],
        "set_aside": set_aside_mail()[:100],
    }
    return render(request, "mail/quarantine.html", context)


@require_POST
def reprocess_one(request, raw_id: int):
    access_mail_admin(request.user)
    if not RawMail.objects.filter(pk=raw_id, status=RawMail.Status.QUARANTINED).exists():
        raise Http404
    outcomes = [o for o in reprocess([raw_id]) if o.raw_id == raw_id]
    if outcomes and outcomes[0].action != RawMail.Action.QUARANTINED:
        messages.success(
            request,
            _("Message %(id)s: %(action)s.")
            % {
                "id": raw_id,
                "action": dict(RawMail.Action.choices).get(outcomes[0].action, outcomes[0].action),
            },
        )
    else:
        messages.error(request, _("Message %(id)s is still quarantined.") % {"id": raw_id})
    return redirect("mail:quarantine")


@require_GET
def download_raw(request, raw_id: int):
    """The message exactly as received, as a download (never rendered in the browser)."""
    access_mail_admin(request.user)
    row = RawMail.objects.filter(pk=raw_id).first()
    if row is None:
        raise Http404
    response = HttpResponse(bytes(row.data), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="raw-{row.pk}.eml"'
    return response
