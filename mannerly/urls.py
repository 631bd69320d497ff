from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path


@login_required
def home(request):
    """Staff start in the inbox, customers in the portal."""
    if request.user.is_staff_member:
        return redirect("tickets:inbox")
    return redirect("portal:tickets")


urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("mannerly.accounts.urls")),
    path("", include("mannerly.tickets.urls")),
    path("coaching/", include("mannerly.coaching.urls")),
    path("api/v1/", include("mannerly.api.urls")),
    path("mail/", include("mannerly.mail.urls")),
    path("sla/", include("mannerly.sla.urls")),
]
