from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.spaces.models import Space
from sammen.spaces.permissions import AnyUser, SpaceAccess, access_space

from .models import Activity, Phase


@dataclass(frozen=True)
class ActivityAccess:
    activity: Activity
    space_access: SpaceAccess

    @property
    def can_manage(self) -> bool:
        """Owners and moderators of the space run its activities."""
        return self.space_access.is_organiser


@dataclass(frozen=True)
class KindAccess:
    """What every kind's own access (a call's, a conversation's…) starts from: the
    activity as the viewer may use it. A kind's access adds its object and standing."""

    activity_access: ActivityAccess

    @property
    def activity(self) -> Activity:
        return self.activity_access.activity

    @property
    def space(self) -> Space:
        return self.activity_access.activity.space

    @property
    def space_access(self) -> SpaceAccess:
        return self.activity_access.space_access

    @property
    def can_manage(self) -> bool:
        return self.activity_access.can_manage


def can_view_activity(activity: Activity, space_access: SpaceAccess) -> bool:
    """Drafts are for organisers; everything else is for whoever may see the space."""
    return activity.phase != Phase.DRAFT or space_access.is_organiser


def can_create_activity(space_access: SpaceAccess) -> bool:
    return space_access.is_organiser


def access_activity(
    user: AnyUser, space_slug: str, activity_slug: str, *, manage: bool = False
) -> ActivityAccess:
    """Return the activity as `user` may use it; 404 when hidden, 403 when not theirs to run."""
    space_access = access_space(user, space_slug)
    activity = get_object_or_404(
        Activity.objects.select_related("space", "brief"),
        space=space_access.space,
        slug=activity_slug,
    )
    if not can_view_activity(activity, space_access):
        raise Http404
    access = ActivityAccess(activity=activity, space_access=space_access)
    if manage and not access.can_manage:
        raise PermissionDenied
    return access
