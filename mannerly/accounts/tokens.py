"""Personal API tokens: a signed-in user lists, creates (shown once) and revokes their own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mannerly.accounts.models import ApiToken

# Enough for every script a person runs; a runaway loop creating tokens stops here.
MAX_TOKENS_PER_USER = 50


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “billing sync”."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name or "\x00" in name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a POST creates one and shows its secret on this answer only."""
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if request.user.api_tokens.count() >= MAX_TOKENS_PER_USER:
            form.add_error(None, _("You have too many tokens. Revoke one you no longer use."))
        if form.is_valid():
            _row, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
            form = TokenForm()
            status = 201
        else:
            status = 400
    tokens = request.user.api_tokens.order_by("-created_at", "-pk")
    context = {"tokens": tokens, "form": form, "new_token": new_token}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Delete one of the user's own tokens; anyone else's is a 404."""
    row = request.user.api_tokens.filter(pk=token_id).first() if token_id < 2**63 else None
    if row is None:
        raise Http404
    name = row.name
    row.delete()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": name})
    return redirect("accounts:tokens")
