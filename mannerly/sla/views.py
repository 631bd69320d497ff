"""The service-level page: what is about to be missed, what was missed today, and where."""

from django.shortcuts import render
from django.utils import timezone

from mannerly.sla.queries import sla_overview
from mannerly.sla.wording import zone_of
from mannerly.tickets.decorators import staff_required


@staff_required
def overview(request):
    """Supervisors and admins see the whole desk; an agent sees their own tickets only."""
    zone = zone_of(request.user.time_zone)
    data = sla_overview(request.user, timezone.now(), zone)
    with timezone.override(zone):
        return render(request, "sla/overview.html", {"sla": data, "zone": zone.key})
