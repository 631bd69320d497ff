"""The service-level pages: what is about to be missed, what was missed today, and where; and
the acknowledgement texts a supervisor edits."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mannerly.sla.acknowledgement import preview_text, template_text_for
from mannerly.sla.forms import AcknowledgementForm
from mannerly.sla.models import AcknowledgementTemplate
from mannerly.sla.queries import access_acknowledgement_team, acknowledgement_texts, sla_overview
from mannerly.sla.wording import LANGUAGES, zone_of
from mannerly.tickets.decorators import staff_required


@staff_required
@require_GET
def overview(request):
    """Supervisors and admins see the whole desk; an agent sees their own tickets only."""
    zone = zone_of(request.user.time_zone)
    data = sla_overview(request.user, timezone.now(), zone)
    with timezone.override(zone):
        return render(request, "sla/overview.html", {"sla": data, "zone": zone.key})


@staff_required
@require_GET
def acknowledgements(request):
    """Every team's acknowledgement texts (and the desk's), for supervisors and admins."""
    if not request.user.is_supervisor:
        raise Http404
    return render(request, "sla/acknowledgements.html", {"rows": acknowledgement_texts()})


@staff_required
@require_http_methods(["GET", "POST"])
def edit_acknowledgement(request, team_id: int, language: str):
    """Edit one text; ``team_id`` 0 is the desk-wide text. Shows a preview with sample values."""
    team = access_acknowledgement_team(request.user, team_id)
    if language not in LANGUAGES:
        raise Http404
    row = AcknowledgementTemplate.objects.filter(team=team, language=language).first()
    initial = row.body if row else template_text_for(team.pk if team else None, language)
    form = AcknowledgementForm(request.POST or None, initial={"body": initial})
    if request.method == "POST" and form.is_valid():
        AcknowledgementTemplate.objects.update_or_create(
            team=team, language=language, defaults={"body": form.cleaned_data["body"]}
        )
        messages.success(request, _("The acknowledgement text was saved."))
        return redirect("sla:acknowledgements")
    body = form.data.get("body", initial) if form.is_bound else initial
    context = {
        "form": form,
        "team": team,
        "language": language,
        "preview": preview_text(body, team, language),
    }
    return render(request, "sla/edit_acknowledgement.html", context)
