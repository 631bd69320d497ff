"""The desk's people and teams, so a script can find the ids that tickets refer to."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from mannerly.accounts.models import Team, User
from mannerly.api.errors import documented
from mannerly.api.permissions import staff_only
from mannerly.api.schemas import Output, Ref

router = Router(tags=["directory"])


class TeamOut(Output):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Support"])
    scoped: bool = Field(description="Private: only its members (and supervisors) see its tickets.")
    members: int = Field(examples=[4], description="How many people are in the team.")


class AgentOut(Output):
    id: int = Field(examples=[3])
    username: str = Field(examples=["oleh"])
    name: str = Field(examples=["Oleh Kovalenko"])
    role: Literal["agent", "supervisor", "admin"]
    language: str = Field(examples=["uk"])
    teams: list[Ref]


@router.get(
    "/teams",
    response={200: list[TeamOut], **documented(404)},
    summary="List teams",
    description="Staff only.",
)
def list_teams(request: HttpRequest):
    staff_only(request)
    teams = Team.objects.annotate(member_count=Count("members")).order_by("name")
    return [
        {"id": t.pk, "name": t.name, "scoped": t.scoped, "members": t.member_count} for t in teams
    ]


@router.get(
    "/agents",
    response={200: list[AgentOut], **documented(404)},
    summary="List agents",
    description="Staff only. Active agents, supervisors and admins: who a ticket can go to.",
)
def list_agents(request: HttpRequest):
    staff_only(request)
    agents = (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.CUSTOMER)
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("display_name", "username")
    )
    return [
        {
            "id": agent.pk,
            "username": agent.username,
            "name": agent.name,
            "role": agent.role,
            "language": agent.language,
            "teams": [{"id": team.pk, "name": team.name} for team in agent.teams.all()],
        }
        for agent in agents
    ]
