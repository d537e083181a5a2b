from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.accounts.permissions import require_two_factor_for_owner

from .models import ROLE_RANK, Membership, Role, Space

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class SpaceAccess:
    """A space as one viewer may use it: the space and the viewer's role in it (or None)."""

    space: Space
    role: str | None

    def at_least(self, role: str) -> bool:
        return self.role is not None and ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]

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
        return self.role == Role.OWNER


def role_of(user: AnyUser, space: Space) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(space=space, user=user).values_list("role", flat=True).first()


def can_view_space(space: Space, role: str | None) -> bool:
    return space.is_listed or role is not None


def access_space(user: AnyUser, slug: str, *, min_role: str | None = None) -> SpaceAccess:
    """Return the space `slug` as `user` may use it.

    Raise Http404 when the space is private and the user is not a member (so its
    existence does not leak), PermissionDenied when the user may see it but lacks
    `min_role`.
    """
    space = get_object_or_404(Space, slug=slug)
    access = SpaceAccess(space=space, role=role_of(user, space))
    if not can_view_space(space, access.role):
        raise Http404
    if min_role is not None:
        if not access.at_least(min_role):
            raise PermissionDenied
        if min_role == Role.OWNER and isinstance(user, User):
            require_two_factor_for_owner(user)
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
