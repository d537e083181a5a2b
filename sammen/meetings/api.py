"""The meeting's part of the API: its return, from turnout to ROI, as the return page
and its JSON export give it (what attendees wrote stays on the site). Registered from
apps.py. The return is the planners', as on the page.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sammen.api.permissions import api_space
from sammen.api.schemas import ERRORS, Slug

from .exports import return_json
from .returns import return_figures
from .views.return_report import return_access

router = Router()


class TurnoutOut(Schema):
    registered: int
    checked_in: int
    attendees: int
    no_shows: int


class MeetingReturnOut(Schema):
    meeting: str
    starts_at: str | None
    currency: str
    min_answers: int
    turnout: TurnoutOut
    chain: list[dict[str, Any]] = Field(description="Levels 0 to 5, each with its evidence.")
    roi: dict[str, Any]
    objectives: list[dict[str, Any]]
    costs: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    learning: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    impacts: list[dict[str, Any]]


@router.get(
    "/spaces/{space_slug}/activities/{activity_slug}/return",
    response={200: MeetingReturnOut, **ERRORS},
    summary="A meeting's return (planners)",
)
def meeting_return(request: HttpRequest, space_slug: Slug, activity_slug: Slug) -> dict[str, Any]:
    api_space(request, space_slug)
    access = return_access(request, space_slug, activity_slug)
    return return_json(return_figures(access.meeting))
