"""The shared endpoints: spaces, activities with their briefs, and an activity's answer.

They know no kind; each kind adds its own router (sammen.api.registry).
"""

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import StringConstraints

from sammen.activities.actions import do_answer_activity
from sammen.activities.models import ANSWER_MAX_LENGTH, Activity, Brief, Phase
from sammen.spaces.models import Space
from sammen.spaces.permissions import access_space

from .pagination import ListFilters, page_of
from .permissions import api_activity, api_space, token_of
from .schemas import (
    ERRORS,
    ActivityDetail,
    ActivityList,
    AnswerOut,
    BriefOut,
    MeasureOut,
    Printable,
    Slug,
    SpaceList,
    SpaceOut,
)

router = Router(tags=["Spaces and activities"])

SpaceSlug = Annotated[Slug, Path(description="The space's web address.")]
ActivitySlug = Annotated[Slug, Path(description="The activity's web address in its space.")]


def space_out(role: str | None, space: Space) -> dict[str, object]:
    return {
        "slug": space.slug,
        "name": space.name,
        "description": space.description,
        "visibility": space.visibility,
        "role": role,
        "created_at": space.created_at,
    }


def activity_out(request: HttpRequest, activity: Activity) -> dict[str, object]:
    return {
        "slug": activity.slug,
        "kind": activity.kind,
        "title": activity.title,
        "summary": activity.summary,
        "phase": activity.phase,
        "opens_at": activity.opens_at,
        "closes_at": activity.closes_at,
        "opened_at": activity.opened_at,
        "closed_at": activity.closed_at,
        "answered_at": activity.answered_at,
        "created_at": activity.created_at,
        "url": request.build_absolute_uri(activity.get_absolute_url()),
    }


def brief_out(brief: Brief | None) -> BriefOut | None:
    if brief is None:
        return None
    return BriefOut(
        **{part: getattr(brief, part) for part in Brief.TEXT_PARTS},
        measures=[
            MeasureOut(
                measure=measure.measure,
                target=measure.target,
                unit=measure.unit,
                result=measure.result,
            )
            for measure in brief.measures.all()
        ],
    )


@router.get("/spaces", response={200: SpaceList, **ERRORS}, summary="Spaces of this token")
def list_spaces(request: HttpRequest) -> dict[str, object]:
    """Return the spaces this token reaches that its owner may see."""
    token = token_of(request)
    items = []
    for space in token.spaces.order_by("name"):
        try:
            access = access_space(token.user, space.slug)
        except Http404:  # private, and its owner no longer belongs to it
            continue
        items.append(space_out(access.role, access.space))
    return {"items": items}


@router.get("/spaces/{space_slug}", response={200: SpaceOut, **ERRORS}, summary="A space")
def get_space(request: HttpRequest, space_slug: SpaceSlug) -> dict[str, object]:
    access = api_space(request, space_slug)
    return space_out(access.role, access.space)


@router.get(
    "/spaces/{space_slug}/activities",
    response={200: ActivityList, **ERRORS},
    summary="Activities of a space",
)
def list_activities(
    request: HttpRequest, space_slug: SpaceSlug, filters: Query[ListFilters]
) -> dict[str, object]:
    """Return the space's activities in the order they were created (drafts for organisers)."""
    access = api_space(request, space_slug)
    activities = Activity.objects.filter(space=access.space).select_related("space")
    if not access.is_organiser:
        activities = activities.exclude(phase=Phase.DRAFT)
    rows, next_cursor = page_of(activities, filters)
    return {"items": [activity_out(request, row) for row in rows], "next_cursor": next_cursor}


@router.get(
    "/spaces/{space_slug}/activities/{activity_slug}",
    response={200: ActivityDetail, **ERRORS},
    summary="An activity with its brief and answer",
)
def get_activity(
    request: HttpRequest, space_slug: SpaceSlug, activity_slug: ActivitySlug
) -> dict[str, object]:
    activity = api_activity(request, space_slug, activity_slug).activity
    brief = Brief.objects.filter(activity=activity).prefetch_related("measures").first()
    return {
        **activity_out(request, activity),
        "brief": brief_out(brief),
        "answer": activity.answer,
    }


class AnswerIn(Schema):
    answer: Annotated[str, StringConstraints(min_length=1, max_length=ANSWER_MAX_LENGTH), Printable]


def answer_out(activity: Activity) -> AnswerOut:
    return AnswerOut(phase=activity.phase, answer=activity.answer, answered_at=activity.answered_at)


@router.get(
    "/spaces/{space_slug}/activities/{activity_slug}/answer",
    response={200: AnswerOut, **ERRORS},
    summary="An activity's public answer",
)
def get_answer(
    request: HttpRequest, space_slug: SpaceSlug, activity_slug: ActivitySlug
) -> AnswerOut:
    return answer_out(api_activity(request, space_slug, activity_slug).activity)


@router.post(
    "/spaces/{space_slug}/activities/{activity_slug}/answer",
    response={200: AnswerOut, **ERRORS},
    summary="Publish or correct an activity's public answer (organisers)",
)
def post_answer(
    request: HttpRequest, space_slug: SpaceSlug, activity_slug: ActivitySlug, payload: AnswerIn
) -> AnswerOut:
    """Publish the organisation's answer on a closed activity, which ends it."""
    access = api_activity(request, space_slug, activity_slug, write=True, manage=True)
    do_answer_activity(token_of(request).user, access.activity, payload.answer)
    return answer_out(access.activity)
