"""Customers: the directory for staff (search, create, change, flags); a customer sees only
their own record, and never the flags staff keep about them."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, Field

from mannerly.accounts.models import User
from mannerly.api.errors import ApiError, documented, invalid_fields
from mannerly.api.permissions import staff_only
from mannerly.api.schemas import (
    Id,
    Input,
    Output,
    PageParams,
    Ref,
    RequiredText,
    Text,
    page,
    ref,
)
from mannerly.api.tickets import LanguageCode
from mannerly.tickets import actions
from mannerly.tickets.actions import ActionError
from mannerly.tickets.models import Customer, CustomerEmail, CustomerFlag, Organization
from mannerly.tickets.queries import access_customer, visible_customers

router = Router(tags=["customers"])

FlagKind = Literal["abusive", "legal", "vip", "other"]


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("is not a valid email address") from None
    return value


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError("is not a known time zone (e.g. Europe/Kyiv)")
    return value


Email = Annotated[Text, Field(max_length=254), AfterValidator(_email)]
TimeZone = Annotated[Text, AfterValidator(_time_zone)]


class EmailOut(Output):
    email: str = Field(examples=["anna@example.com"])
    primary: bool


class FlagOut(Output):
    id: int
    kind: str = Field(examples=["abusive"], description="abusive, legal, vip, other…")
    label: str = Field(examples=["Abusive — handle with care"])
    note: str
    active: bool
    created_by: Ref | None = None
    created_at: datetime


class CustomerOut(Output):
    """A customer. `notes` and `flags` are staff only and left out for customers."""

    id: int = Field(examples=[5])
    name: str = Field(examples=["Anna Smith"])
    email: str = Field(examples=["anna@example.com"], description="The primary address.")
    emails: list[EmailOut]
    language: LanguageCode
    time_zone: str = Field(examples=["America/New_York"])
    organization: Ref | None = None
    created_at: datetime
    notes: str | None = Field(None, description="staff")
    flags: list[FlagOut] | None = Field(None, description="staff: active warnings.")


class CustomerPage(Output):
    count: int
    limit: int
    offset: int
    items: list[CustomerOut]


def flag_json(flag: CustomerFlag) -> dict:
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "label": str(flag.get_kind_display()),
        "note": flag.note,
        "active": flag.active,
        "created_by": ref(flag.created_by),
        "created_at": flag.created_at,
    }


def customer_json(customer: Customer, user: User) -> dict:
    emails = sorted(customer.emails.all(), key=lambda e: (not e.is_primary, e.pk))
    data = {
        "id": customer.pk,
        "name": customer.name,
        "email": emails[0].email if emails else "",
        "emails": [{"email": e.email, "primary": e.is_primary} for e in emails],
        "language": customer.language,
        "time_zone": customer.time_zone,
        "organization": ref(customer.organization),
        "created_at": customer.created_at,
    }
    if user.is_staff_member:
        data["notes"] = customer.notes
        data["flags"] = [flag_json(flag) for flag in customer.active_flags]
    return data


def _fetched(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    active = CustomerFlag.objects.filter(active=True).select_related("created_by")
    return customers.select_related("organization").prefetch_related(
        "emails", Prefetch("flags", queryset=active.order_by("pk"), to_attr="active_flags")
    )


def _reloaded(user: User, customer_id: int) -> Customer:
    return _fetched(visible_customers(user)).get(pk=customer_id)


class CustomerFilters(Schema):
    q: Text | None = Field(None, max_length=200, description="Part of a name or an address.")
    organization: Id | None = None
    flag: FlagKind | None = Field(None, description="Only customers with this active flag.")


@router.get(
    "",
    response={200: CustomerPage, **documented(401, 422)},
    exclude_unset=True,
    summary="List or search customers",
    description="Staff see every customer; a customer sees only their own record.",
)
def list_customers(
    request: HttpRequest, filters: Query[CustomerFilters], paging: Query[PageParams]
):
    user = request.user
    customers = visible_customers(user)
    if filters.q and filters.q.strip():
        words = filters.q.strip()
        by_address = CustomerEmail.objects.filter(email__icontains=words).values("customer")
        customers = customers.filter(Q(name__icontains=words) | Q(pk__in=by_address))
    if filters.organization is not None:
        customers = customers.filter(organization_id=filters.organization)
    if filters.flag is not None and user.is_staff_member:
        flagged = CustomerFlag.objects.filter(kind=filters.flag, active=True).values("customer")
        customers = customers.filter(pk__in=flagged)
    customers = _fetched(customers).order_by("name", "pk")
    return page(customers, paging, lambda customer: customer_json(customer, user))


@router.get(
    "/{customer_id}",
    response={200: CustomerOut, **documented(401, 404, 422)},
    exclude_unset=True,
    summary="Read a customer",
)
def get_customer(request: HttpRequest, customer_id: int):
    customer = access_customer(request.user, customer_id)
    return customer_json(_reloaded(request.user, customer.pk), request.user)


class CustomerCreate(Input):
    name: RequiredText = Field(max_length=200, examples=["Олена Коваль"])
    emails: list[Email] = Field([], max_length=20, examples=[["olena@example.ua"]])
    language: LanguageCode = "en"
    time_zone: TimeZone = Field("UTC", examples=["Europe/Kyiv"])
    notes: Text = ""
    organization: Id | None = None


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise invalid_fields(["organization"], _("There is no organization with this id."))
    return organization


def _address_taken(error: ActionError) -> ApiError:
    return ApiError(409, str(error), "conflict")


@router.post(
    "",
    response={201: CustomerOut, **documented(400, 401, 404, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Add a customer",
    description="Staff only. An address that belongs to another customer is a 409.",
)
def create_customer(request: HttpRequest, payload: CustomerCreate):
    user = staff_only(request)
    try:
        customer = actions.do_create_customer(
            user,
            payload.name,
            payload.emails,
            language=payload.language,
            time_zone=payload.time_zone,
            notes=payload.notes,
            organization=_organization(payload.organization),
        )
    except ActionError as error:
        raise _address_taken(error) from None
    return Status(201, customer_json(_reloaded(user, customer.pk), user))


class CustomerUpdate(Input):
    name: RequiredText | None = Field(None, max_length=200)
    emails: list[Email] | None = Field(
        None, max_length=20, description="Replaces every address; the first is primary."
    )
    language: LanguageCode | None = None
    time_zone: TimeZone | None = None
    notes: Text | None = None
    organization: Id | None = Field(None, description="An organization's id, or null.")


@router.patch(
    "/{customer_id}",
    response={200: CustomerOut, **documented(400, 401, 404, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Change a customer",
    description="Staff only. Send only the fields to change.",
)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerUpdate):
    user = staff_only(request)
    customer = access_customer(user, customer_id)
    changes = {
        name: getattr(payload, name)
        for name in payload.model_fields_set
        if getattr(payload, name) is not None and name != "organization"
    }
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    if "organization" in payload.model_fields_set:
        changes["organization"] = _organization(payload.organization)
    try:
        actions.do_update_customer(customer, user, **changes)
    except ActionError as error:
        raise _address_taken(error) from None
    return customer_json(_reloaded(user, customer.pk), user)


@router.get(
    "/{customer_id}/flags",
    response={200: list[FlagOut], **documented(401, 404, 422)},
    summary="List a customer's flags",
    tags=["customers"],
    description="Staff only. Active flags first; retired ones are kept for the record.",
)
def list_flags(request: HttpRequest, customer_id: int):
    user = staff_only(request)
    customer = access_customer(user, customer_id)
    flags = customer.flags.select_related("created_by").order_by("-active", "-created_at", "-pk")
    return [flag_json(flag) for flag in flags]


class FlagCreate(Input):
    kind: FlagKind = Field(examples=["abusive"])
    note: Text = Field("", examples=["Shouted at Mei on the phone; keep replies short and calm."])


@router.post(
    "/{customer_id}/flags",
    response={201: FlagOut, **documented(400, 401, 404, 413, 415, 422)},
    summary="Flag a customer",
    description=(
        "Staff only. The warning travels with the customer to every ticket. Flagging again "
        "with the same kind updates the note of the active flag."
    ),
)
def create_flag(request: HttpRequest, customer_id: int, payload: FlagCreate):
    user = staff_only(request)
    customer = access_customer(user, customer_id)
    flag = actions.do_flag_customer(customer, user, payload.kind, payload.note)
    return Status(201, flag_json(flag))


@router.delete(
    "/{customer_id}/flags/{flag_id}",
    response={200: FlagOut, **documented(401, 404, 422)},
    summary="Retire a customer's flag",
    description="Staff only. The flag stays in the record as inactive.",
)
def retire_flag(request: HttpRequest, customer_id: int, flag_id: int):
    user = staff_only(request)
    customer = access_customer(user, customer_id)
    flag = customer.flags.filter(pk=flag_id).first() if 0 < flag_id < 2**63 else None
    if flag is None:
        raise Http404
    return flag_json(actions.do_unflag_customer(flag, user))
