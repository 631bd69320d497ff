"""Types every router shares: safe text, database ids, references and pages.

Input schemas reject unknown fields (``extra="forbid"``): a misspelt field name ("asignee") is a 422
naming it, not a request that silently changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

# Ids above this cannot exist in a 64-bit primary key (SQLite and PostgreSQL bigint alike).
MAX_ID = 2**63 - 1


def _storable(value: str) -> str:
    """Text both databases can store: PostgreSQL refuses NUL, and lone surrogates are not UTF-8."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, AfterValidator(_storable)]
"""Any storable text, possibly empty."""

RequiredText = Annotated[str, AfterValidator(_storable), AfterValidator(_not_blank)]
"""Storable text with at least one non-space character."""


def _iso_8601(value: Any) -> Any:
    """ISO 8601 text only (pydantic alone would also read "0.5" as a Unix time), turned into UTC:
    PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows; naive times count as UTC."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError("must be an ISO 8601 date and time, e.g. 2026-12-01T09:00:00Z") from None


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_8601)]
"""A date and time written as ISO 8601."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id: a positive 64-bit integer."""


class Input(Schema):
    """Base for request bodies: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Base for answers. The routers build plain dicts, so a pydantic model is enough: ninja's
    ``Schema`` would wrap every nested dict to read ORM attributes, at ~0.3 ms per ticket."""


class Ref(Output):
    """Another record, named: enough to show it without a second request."""

    id: int = Field(examples=[7])
    name: str = Field(examples=["Oleh Kovalenko"])


def ref(obj) -> dict | None:
    """A :class:`Ref` for a user, team or customer, or None."""
    if obj is None:
        return None
    name = obj.name if isinstance(getattr(obj, "name", None), str) else str(obj)
    return {"id": obj.pk, "name": name}


class PageParams(Schema):
    limit: int = Field(25, ge=1, le=100, description="Items per page (1–100).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


def page(queryset, params: PageParams, item) -> dict:
    """One page of ``queryset`` with the total count, each row turned into JSON by ``item``."""
    rows = list(queryset[params.offset : params.offset + params.limit])
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [item(row) for row in rows],
    }
