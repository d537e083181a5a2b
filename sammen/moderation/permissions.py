from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.spaces.models import Block, Membership, Role
from sammen.spaces.permissions import SpaceAccess, access_space

from .models import Report
from .registry import reportable_for


def access_moderation(user: User, space_slug: str) -> SpaceAccess:
    """Return the space for its owners and moderators; 403 for others who may see it."""
    return access_space(user, space_slug, min_role=Role.MODERATOR)


def can_report(user: User, target: Model) -> bool:
    """Anyone signed in may report what they see, except what they wrote themselves."""
    reportable = reportable_for(target)
    if reportable is None:
        return False
    author = reportable.describe(target).author
    return author is None or author.user_id != user.pk


def access_report(access: SpaceAccess, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("space"), pk=report_id, space=access.space
    )


def access_membership_to_block(access: SpaceAccess, user: User, membership_id: int) -> Membership:
    """Return a member the viewer may block: not an owner, not themselves.

    Only owners block moderators, so moderators cannot push each other out.
    """
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, space=access.space
    )
    if membership.user_id == user.pk or membership.role == Role.OWNER:
        raise PermissionDenied
    if membership.role == Role.MODERATOR and not access.is_owner:
        raise PermissionDenied
    return membership


def access_block(access: SpaceAccess, block_id: int) -> Block:
    return get_object_or_404(
        Block.objects.select_related("user", "space"), pk=block_id, space=access.space
    )
