"""The shapes the shared API reads and writes, and the text fields every API input uses."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from sammen.core.validators import no_control_characters

# Path parts: a slug as the pages' addresses have them (the models' longest is 60).
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]


def printable(value: str) -> str:
    """Refuse what the pages' forms refuse: control characters, NUL and lone surrogates."""
    try:
        no_control_characters(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


# Add to every text an API call takes: Annotated[str, StringConstraints(...), Printable].
Printable = AfterValidator(printable)


class ErrorOut(Schema):
    """What every refusal says: a message, or the list of what did not validate."""

    detail: str | list[dict[str, Any]]
    field: str | None = None


# Every operation may answer these: documented, so clients and the schema fuzzing
# know every status the API returns.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class SpaceOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    role: str | None = Field(
        description="Your role in the space: owner, moderator, member or null."
    )
    created_at: datetime


class SpaceList(Schema):
    items: list[SpaceOut]


class MeasureOut(Schema):
    measure: str
    target: Decimal
    unit: str
    result: Decimal | None


class BriefOut(Schema):
    goal: str
    business_challenge: str
    audience: str
    audience_insight: str
    audience_challenge: str
    channels: str
    channels_reason: str
    measures: list[MeasureOut]


class ActivityOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    phase: str
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    answered_at: datetime | None
    created_at: datetime
    url: str


class ActivityList(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class ActivityDetail(ActivityOut):
    brief: BriefOut | None
    answer: str


class AnswerOut(Schema):
    phase: str
    answer: str
    answered_at: datetime | None


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    body: str
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    helpful: bool


class CommentList(Schema):
    items: list[CommentOut]
    next_cursor: str | None
