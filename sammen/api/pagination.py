"""Cursor pages and time filters for every list of the API.

A list is in the order rows were added (by id); a page holds at most `limit` rows and
names the cursor of the next one, which carries the last id it showed. New rows never
shift a page a client is reading, unlike page numbers.
"""

import base64
import binascii
from datetime import datetime
from typing import Annotated, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from sammen.core.errors import ActionRefused
from sammen.core.forms import FIRST_YEAR, LAST_YEAR
from sammen.core.http import parse_id

from .schemas import Printable

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

M = TypeVar("M", bound=Model)


class ListFilters(Schema):
    cursor: Annotated[str, StringConstraints(max_length=100), Printable] | None = Field(
        None, description="The next_cursor of the page before; leave out for the first page."
    )
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    since: datetime | None = Field(None, description="Only rows added at or after this time.")
    until: datetime | None = Field(None, description="Only rows added before this time.")

    @field_validator("since", "until")
    @classmethod
    def in_our_times(cls, moment: datetime | None) -> datetime | None:
        """Refuse years no row has: the year 1 overflows on its way to UTC."""
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValueError(f"Choose a time from {FIRST_YEAR} to {LAST_YEAR}.")
        return moment


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"after:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the id a cursor carries; refuse anything this API did not hand out."""
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    after = parse_id(decoded.removeprefix("after:")) if decoded.startswith("after:") else None
    if after is None:
        raise ActionRefused(_("This cursor is not one the API handed out."), field="cursor")
    return after


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def page_of(
    rows: QuerySet[M], filters: ListFilters, *, time_field: str = "created_at"
) -> tuple[list[M], str | None]:
    """Return one page of `rows` as the filters ask, and the cursor of the next page."""
    if filters.since is not None:
        rows = rows.filter(**{f"{time_field}__gte": aware(filters.since)})
    if filters.until is not None:
        rows = rows.filter(**{f"{time_field}__lt": aware(filters.until)})
    if filters.cursor:
        rows = rows.filter(pk__gt=decode_cursor(filters.cursor))
    page = list(rows.order_by("pk")[: filters.limit + 1])
    if len(page) > filters.limit:
        return page[: filters.limit], encode_cursor(page[filters.limit - 1].pk)
    return page, None
