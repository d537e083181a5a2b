"""The journey's part of the API: its figures (the emotion curve's numbers, moments that
matter, advice, NPS), as the figures page and its JSON export give them. Registered from
apps.py. The figures are the organisers', as on the page.
"""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sammen.api.permissions import api_space
from sammen.api.schemas import ERRORS, Slug

from .exports import figures_json
from .queries.figures import journey_figures, journey_tallies, wave_by_number
from .views.report import MAX_WAVE, figures_access

router = Router()


class WaveOut(Schema):
    number: int
    label: str


class JourneyFiguresOut(Schema):
    journey: str
    scale: int
    wave: WaveOut | None
    waves: list[WaveOut]
    ratings: int
    respondents: int
    ratings_in_wave: int
    respondents_in_wave: int
    journey_mean: float | None
    peak_end: dict[str, Any] | None
    nps: dict[str, Any]
    touchpoints: list[dict[str, Any]] = Field(
        description="Each touchpoint along the curve: counts, mean and interval, shares, "
        "moments that matter, the advice and the decision taken."
    )


class WaveFilter(Schema):
    wave: Annotated[int, Field(ge=1, le=MAX_WAVE)] | None = Field(
        None, description="The wave's number; by default the latest with ratings."
    )


@router.get(
    "/spaces/{space_slug}/activities/{activity_slug}/figures",
    response={200: JourneyFiguresOut, **ERRORS},
    summary="A journey's figures (organisers)",
)
def figures(
    request: HttpRequest, space_slug: Slug, activity_slug: Slug, choice: Query[WaveFilter]
) -> dict[str, Any]:
    api_space(request, space_slug)
    access = figures_access(request, space_slug, activity_slug)
    tallies = journey_tallies(access.journey)
    wave = wave_by_number(tallies, choice.wave)
    return figures_json(journey_figures(access.journey, wave=wave, tallies=tallies))
