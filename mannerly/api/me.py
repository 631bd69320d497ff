"""Who am I: the caller's own account, so a script can check its token."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from mannerly.api.errors import documented
from mannerly.api.schemas import Output, Ref
from mannerly.tickets.models import Customer

router = Router(tags=["me"])


class MeOut(Output):
    id: int = Field(examples=[3])
    username: str = Field(examples=["oleh"])
    name: str = Field(examples=["Oleh Kovalenko"])
    email: str
    role: Literal["agent", "supervisor", "admin", "customer"]
    language: str = Field(examples=["uk"])
    time_zone: str = Field(examples=["Europe/Kyiv"])
    teams: list[Ref] = Field(description="Staff: the teams the user belongs to.")
    customer: int | None = Field(None, description="Customers: their customer record's id.")
    auth: Literal["token", "session"] = Field(description="How this request was signed in.")


@router.get("/me", response={200: MeOut, **documented(401)}, summary="The signed-in user")
def me(request: HttpRequest):
    user = request.user
    customer = Customer.objects.filter(user=user).values_list("pk", flat=True).first()
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "language": user.language,
        "time_zone": user.time_zone,
        "teams": [{"id": team.pk, "name": team.name} for team in user.teams.all()],
        "customer": customer,
        "auth": "token" if getattr(request, "api_token", None) else "session",
    }
