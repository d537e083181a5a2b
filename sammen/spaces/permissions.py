from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.accounts.permissions import TwoFactorRequired, lacks_required_two_factor

from .models import ROLE_RANK, SLUG_MAX_LENGTH, Membership, Role, Space

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class SpaceAccess:
    """A space as one viewer may use it: the space and the viewer's role in it (or None)."""

    space: Space
    role: str | None
    # True for an owner or moderator who must use two-factor authentication
    # (SAMMEN_REQUIRE_2FA_FOR_OWNERS) and does not yet: asking for their management
    # rights raises TwoFactorRequired, so every page and action that needs those
    # rights sends them to set it up, whichever view asks.
    needs_two_factor: bool = False

    def at_least(self, role: str) -> bool:
        if self.role is None or ROLE_RANK[Role(self.role)] < ROLE_RANK[Role(role)]:
            return False
        if self.needs_two_factor and ROLE_RANK[Role(role)] >= ROLE_RANK[Role.MODERATOR]:
            raise TwoFactorRequired
        return True

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def is_organiser(self) -> bool:
        """Owners and moderators run the space's activities."""
        return self.at_least(Role.MODERATOR)

    @property
    def is_owner(self) -> bool:
        return self.at_least(Role.OWNER)


def role_of(user: AnyUser, space: Space) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(space=space, user=user).values_list("role", flat=True).first()


def space_access_for(user: AnyUser, space: Space) -> SpaceAccess:
    """Return the viewer's role in the space, and whether they lack a required second factor."""
    role = role_of(user, space)
    needs_two_factor = (
        role in {Role.OWNER, Role.MODERATOR}
        and isinstance(user, User)
        and lacks_required_two_factor(user)
    )
    return SpaceAccess(space=space, role=role, needs_two_factor=needs_two_factor)


def can_view_space(space: Space, role: str | None) -> bool:
    return space.is_listed or role is not None


def access_space(user: AnyUser, slug: str, *, min_role: str | None = None) -> SpaceAccess:
    """Return the space `slug` as `user` may use it.

    Raise Http404 when the space is private and the user is not a member (so its
    existence does not leak), PermissionDenied when the user may see it but lacks
    `min_role`.
    """
    if len(slug) > SLUG_MAX_LENGTH or not slug_re.fullmatch(slug):
        raise Http404  # no space has this address; PostgreSQL would refuse a NUL in it
    space = get_object_or_404(Space, slug=slug)
    access = space_access_for(user, space)
    if not can_view_space(space, access.role):
        raise Http404
    if min_role is not None and not access.at_least(min_role):
        raise PermissionDenied
    return access


def can_join(user: AnyUser, access: SpaceAccess) -> bool:
    return access.space.is_joinable and not access.is_member


def can_invite(access: SpaceAccess, role: str = Role.MEMBER) -> bool:
    """Owners invite members and moderators; moderators invite members."""
    if role == Role.MEMBER:
        return access.is_organiser
    return access.is_owner


def can_see_members(access: SpaceAccess) -> bool:
    return access.is_organiser
