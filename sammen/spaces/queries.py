from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sammen.accounts.models import User

from .models import Membership, Role, Space, Visibility
from .permissions import AnyUser


def spaces_in_directory(viewer: AnyUser) -> QuerySet[Space]:
    """Return the spaces a viewer may find: listed ones, and private ones they belong to."""
    visible = ~Q(visibility=Visibility.PRIVATE)
    if viewer.is_authenticated:
        visible |= Q(pk__in=Membership.objects.filter(user=viewer).values("space_id"))
    return (
        Space.objects.filter(visible).annotate(member_count=Count("memberships")).order_by("name")
    )


def memberships_of(user: AnyUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("space")
        .annotate(member_count=Count("space__memberships"))
        .order_by("space__name")
    )


def members_of(space: Space) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(space=space)
        .select_related("user__participant")
        .order_by("-role", "user__display_name")
    )


def organisers_of(space_id: int) -> QuerySet[User]:
    """Return the people who run a space: its owners and moderators."""
    return User.objects.filter(
        memberships__space=space_id, memberships__role__in=[Role.OWNER, Role.MODERATOR]
    ).distinct()


def member_count(space: Space) -> int:
    return Membership.objects.filter(space=space).count()


def personal_spaces_data(user: User) -> dict[str, Any]:
    return {
        "spaces": [
            {
                "space": membership.space.name,
                "slug": membership.space.slug,
                "role": membership.role,
                "joined_at": membership.joined_at.isoformat(),
            }
            for membership in Membership.objects.filter(user=user).select_related("space")
        ]
    }


def spaces_blocking_deletion(user: User) -> list[str]:
    """Return why the account cannot go yet: spaces where the user is the only owner."""
    owned_ids = Membership.objects.filter(user=user, role=Role.OWNER).values("space_id")
    # Filter by id first: counting through the same join as the filter would only
    # ever count the user's own membership.
    owned = Space.objects.filter(pk__in=owned_ids).annotate(
        owners=Count("memberships", filter=Q(memberships__role=Role.OWNER))
    )
    return [
        _(
            "You are the only owner of “%(space)s”. Make someone else an owner, "
            "or delete the space, first."
        )
        % {"space": space.name}
        for space in owned
        if space.owners == 1
    ]
