"""What people may report in a journey, and its moderators hide: touchpoints (proposed
ones above all) and the comments participants leave with their ratings.

A touchpoint is hidden when its state says so; `reviewed_at`/`reviewed_by` say when
and by whom. A rating's comment is hidden on its own (the rating still counts).
Ratings are anonymous: the queue never names who wrote a comment.
"""

from collections.abc import Collection

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.moderation.registry import (
    Description,
    Hidden,
    Reportable,
    ReportPlace,
    locking,
    register_reportable,
)
from sammen.spaces.models import Space
from sammen.spaces.permissions import SpaceAccess

from .actions.review import (
    do_hide_rating_comment,
    do_hide_touchpoint,
    do_restore_rating_comment,
    do_restore_touchpoint,
)
from .models import Rating, Touchpoint, TouchpointState
from .permissions import access_journey, access_touchpoint, can_see_figures

TOUCHPOINT_RELATIONS = ("journey__activity__space", "proposed_by__user", "reviewed_by", "stage")
RATING_RELATIONS = (
    "journey__activity__space",
    "touchpoint",
    "participant__user",
    "comment_hidden_by",
)


def map_url(touchpoint: Touchpoint) -> str:
    activity = touchpoint.journey.activity
    url = reverse("journeys:map", args=[activity.space.slug, activity.slug])
    return f"{url}#touchpoint-{touchpoint.pk}"


# Touchpoints


def touchpoint_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, touchpoint_id: int
) -> ReportPlace[Touchpoint]:
    access = access_journey(request, space_slug, activity_slug)
    touchpoint = access_touchpoint(access, touchpoint_id)
    back_url = f"{access.activity.get_absolute_url()}#take-part"
    return ReportPlace(access.activity_access, touchpoint, back_url, access.activity.title)


def touchpoint_to_moderate(access: SpaceAccess, touchpoint_id: int) -> Touchpoint:
    return get_object_or_404(
        Touchpoint.objects.select_related(*TOUCHPOINT_RELATIONS),
        pk=touchpoint_id,
        journey__activity__space=access.space,
    )


def touchpoints_in_bulk(ids: Collection[int]) -> dict[int, Touchpoint]:
    return Touchpoint.objects.select_related(*TOUCHPOINT_RELATIONS).in_bulk(ids)


def hidden_touchpoints(space: Space, limit: int) -> list[Touchpoint]:
    return list(
        Touchpoint.objects.filter(journey__activity__space=space, state=TouchpointState.HIDDEN)
        .select_related(*TOUCHPOINT_RELATIONS)
        .order_by("-reviewed_at")[:limit]
    )


def hidden_touchpoint(touchpoint: Touchpoint) -> Hidden | None:
    if touchpoint.state != TouchpointState.HIDDEN:
        return None
    return Hidden(
        at=touchpoint.reviewed_at, by=touchpoint.reviewed_by, reason=touchpoint.hidden_reason
    )


def describe_touchpoint(touchpoint: Touchpoint) -> Description:
    """Link organisers to the touchpoint on the journey's map, where they approve or hide it."""
    return Description(
        activity=touchpoint.journey.activity,
        url=map_url(touchpoint),
        link_text=touchpoint.name,
        link_text_is_content=True,
        excerpt=touchpoint.description,
        title=touchpoint.name,
        author=touchpoint.proposed_by,
        show_author=touchpoint.proposed_by is not None,
    )


# The comments of ratings


def rating_comment_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, rating_id: int
) -> ReportPlace[Rating]:
    """Return a rating's comment as the organisers read it with the figures; 404 for
    others, as only the organisers (and its anonymous author) see it."""
    access = access_journey(request, space_slug, activity_slug)
    if not can_see_figures(access):
        raise Http404
    rating = get_object_or_404(
        Rating.objects.select_related(*RATING_RELATIONS).exclude(comment=""),
        pk=rating_id,
        journey=access.journey,
    )
    back_url = comment_url(rating)
    return ReportPlace(access.activity_access, rating, back_url, access.activity.title)


def rating_comment_to_moderate(access: SpaceAccess, rating_id: int) -> Rating:
    return get_object_or_404(
        Rating.objects.select_related(*RATING_RELATIONS).exclude(comment=""),
        pk=rating_id,
        journey__activity__space=access.space,
    )


def rating_comments_in_bulk(ids: Collection[int]) -> dict[int, Rating]:
    return Rating.objects.select_related(*RATING_RELATIONS).in_bulk(ids)


def hidden_rating_comments(space: Space, limit: int) -> list[Rating]:
    return list(
        Rating.objects.filter(journey__activity__space=space, comment_hidden_at__isnull=False)
        .select_related(*RATING_RELATIONS)
        .order_by("-comment_hidden_at")[:limit]
    )


def hidden_rating_comment(rating: Rating) -> Hidden | None:
    if rating.comment_hidden_at is None:
        return None
    return Hidden(
        at=rating.comment_hidden_at,
        by=rating.comment_hidden_by,
        reason=rating.comment_hidden_reason,
    )


def comment_url(rating: Rating) -> str:
    """Where organisers read the comments of the rating's touchpoint, at this one."""
    activity = rating.journey.activity
    url = reverse(
        "journeys:comments", args=[activity.space.slug, activity.slug, rating.touchpoint_id]
    )
    return f"{url}#comment-{rating.pk}"


def describe_rating_comment(rating: Rating) -> Description:
    return Description(
        activity=rating.journey.activity,
        url=comment_url(rating),
        link_text=_("A comment at “%(touchpoint)s”") % {"touchpoint": rating.touchpoint.name},
        link_text_is_content=True,
        excerpt=rating.comment,
        author=rating.participant,
        show_author=False,
        hidden_author_note=_("Ratings are anonymous."),
    )


def connect() -> None:
    register_reportable(
        Reportable(
            type_name="touchpoint",
            model=Touchpoint,
            label=gettext_lazy("Touchpoint"),
            report_heading=gettext_lazy("Report this touchpoint"),
            access_for_report=touchpoint_to_report,
            access_for_moderator=touchpoint_to_moderate,
            in_bulk=touchpoints_in_bulk,
            hidden_in=hidden_touchpoints,
            space_id_of=lambda touchpoint: touchpoint.journey.activity.space_id,
            hidden=hidden_touchpoint,
            out_of_view=lambda touchpoint: touchpoint.state != TouchpointState.SHOWN,
            lock=locking("state"),
            hide=do_hide_touchpoint,
            restore=do_restore_touchpoint,
            describe=describe_touchpoint,
        )
    )
    register_reportable(
        Reportable(
            type_name="touchpoint_comment",
            url_segment="touchpoint-comments",
            model=Rating,
            label=gettext_lazy("Comment at a touchpoint"),
            report_heading=gettext_lazy("Report this comment"),
            access_for_report=rating_comment_to_report,
            access_for_moderator=rating_comment_to_moderate,
            in_bulk=rating_comments_in_bulk,
            hidden_in=hidden_rating_comments,
            space_id_of=lambda rating: rating.journey.activity.space_id,
            hidden=hidden_rating_comment,
            out_of_view=lambda rating: not rating.comment or rating.comment_hidden_at is not None,
            lock=locking("comment_hidden_at"),
            hide=do_hide_rating_comment,
            restore=do_restore_rating_comment,
            describe=describe_rating_comment,
        )
    )
