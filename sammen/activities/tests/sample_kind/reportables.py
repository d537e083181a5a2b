"""The sample kind lets people report a sample activity itself, so tests can show that
moderation serves a kind it does not know.

The sample kind has no models of its own, so it registers `Activity` (of kind "sample")
and keeps whether one is hidden in memory: enough for a test, never for a real kind,
which keeps that state in its own rows.
"""

from collections.abc import Collection

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.activities.permissions import access_activity
from sammen.moderation.registry import (
    Description,
    Hidden,
    Reportable,
    ReportPlace,
    register_reportable,
)
from sammen.spaces.models import Space
from sammen.spaces.permissions import SpaceAccess

# Sample activity id -> how it was hidden. Tests clear it.
HIDDEN: dict[int, Hidden] = {}


def sample_to_report(
    request: HttpRequest, space_slug: str, activity_slug: str, activity_id: int
) -> ReportPlace[Activity]:
    access = access_activity(request.user, space_slug, activity_slug)
    activity = access.activity
    if activity.kind != "sample" or activity.pk != activity_id:
        raise Http404
    return ReportPlace(access, activity, activity.get_absolute_url(), activity.title)


def sample_to_moderate(access: SpaceAccess, activity_id: int) -> Activity:
    return get_object_or_404(Activity, pk=activity_id, space=access.space, kind="sample")


def samples_in_bulk(ids: Collection[int]) -> dict[int, Activity]:
    return Activity.objects.filter(kind="sample").select_related("space").in_bulk(ids)


def hidden_samples(space: Space, limit: int) -> list[Activity]:
    samples = Activity.objects.filter(space=space, kind="sample", pk__in=list(HIDDEN))
    return sorted(samples, key=lambda activity: str(HIDDEN[activity.pk].at), reverse=True)[:limit]


def lock_sample(activity: Activity) -> None:
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()


def hide_sample(actor: User, activity: Activity, reason: str) -> None:
    HIDDEN[activity.pk] = Hidden(at=timezone.now(), by=actor, reason=reason)


def restore_sample(actor: User, activity: Activity) -> None:
    HIDDEN.pop(activity.pk, None)


def describe_sample(activity: Activity) -> Description:
    return Description(
        activity=activity,
        url=activity.get_absolute_url(),
        link_text=activity.title,
        link_text_is_content=True,
        excerpt=activity.summary,
        title=activity.title,
        author=None,
        show_author=False,
    )


def connect() -> None:
    register_reportable(
        Reportable(
            type_name="sample",
            model=Activity,
            label="Sample",
            report_heading="Report this sample",
            access_for_report=sample_to_report,
            access_for_moderator=sample_to_moderate,
            in_bulk=samples_in_bulk,
            hidden_in=hidden_samples,
            space_id_of=lambda activity: activity.space_id,
            hidden=lambda activity: HIDDEN.get(activity.pk),
            out_of_view=lambda activity: activity.pk in HIDDEN,
            lock=lock_sample,
            hide=hide_sample,
            restore=restore_sample,
            describe=describe_sample,
        )
    )
