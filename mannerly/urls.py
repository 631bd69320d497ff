from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path
from django.views.i18n import set_language


@login_required
def home(request):
    """Staff start in the inbox, customers in the portal."""
    if request.user.is_staff_member:
        return redirect("tickets:inbox")
    return redirect("portal:tickets")


urlpatterns = [
    path("", home, name="home"),
    # The language chooser on the sign-in page; signed-in users choose under My settings.
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("mannerly.accounts.urls")),
    path("", include("mannerly.tickets.urls")),
    path("coaching/", include("mannerly.coaching.urls")),
    path("api/v1/", include("mannerly.api.urls")),
    path("mail/", include("mannerly.mail.urls")),
    path("sla/", include("mannerly.sla.urls")),
]
