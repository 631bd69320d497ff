"""Sign in and out. Staff land in the agent inbox, customers in the portal."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mannerly.accounts.ratelimit import (
    clear_failures,
    client_address,
    record_failure,
    too_many_attempts,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = client_address(request)
        if too_many_attempts(username, address):
            # An unbound form cannot take add_error(): the message travels on its own.
            context = {
                "form": AuthenticationForm(request),
                "refused": _("Too many failed sign-ins. Please wait a few minutes."),
            }
            return render(request, self.template_name, context, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            clear_failures(username, address)
        else:
            record_failure(username, address)
        return response


def logout_view(request):
    if request.method == "POST":
        auth_views.auth_logout(request)
        messages.info(request, _("You are signed out."))
    return redirect("accounts:login")
