from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.accounts.permissions import TwoFactorRequired, lacks_required_two_factor
from sammen.accounts.sso import Provider, signed_in_with, sso_provider

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
    # The provider an owner or moderator must sign in with before their role counts,
    # when the space requires one and their session did not use it: until then `role`
    # is member, so they see the space as a member does (and a banner says why).
    needs_sso: Provider | None = None

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


def missing_sso(user: AnyUser, space: Space) -> Provider | None:
    """Return the provider `space` requires of its organisers, if this session did not use it.

    None when the space requires none, when the session signed in through it, and when
    the provider is no longer configured (nobody could sign in with it; the owners'
    settings page says the requirement lapsed).
    """
    if not space.sso_provider or space.sso_provider in signed_in_with(user):
        return None
    return sso_provider(space.sso_provider)


def space_access_for(user: AnyUser, space: Space) -> SpaceAccess:
    """Return the viewer's role in the space, and whether they lack a required second factor
    or single sign-on."""
    role = role_of(user, space)
    is_organiser = role in {Role.OWNER, Role.MODERATOR}
    needs_sso = missing_sso(user, space) if is_organiser else None
    if needs_sso is not None:
        return SpaceAccess(space=space, role=Role.MEMBER, needs_sso=needs_sso)
    needs_two_factor = is_organiser and isinstance(user, User) and lacks_required_two_factor(user)
    return SpaceAccess(space=space, role=role, needs_two_factor=needs_two_factor)


def sso_requirement_for(user: AnyUser, slug: str) -> tuple[Space, Provider] | None:
    """Return the space `slug` and the provider it requires, when `user` is one of its
    organisers and their session did not sign in through it; else None."""
    space = Space.objects.filter(slug=slug).first() if len(slug) <= SLUG_MAX_LENGTH else None
    if space is None:
        return None
    access = space_access_for(user, space)
    if access.needs_sso is None:
        return None
    return space, access.needs_sso


def can_require_sso(user: AnyUser, access: SpaceAccess, provider_id: str) -> bool:
    """Owners may require a provider they signed in with in this session, so they cannot
    lock themselves out; any owner may lift the requirement."""
    if not access.is_owner:
        return False
    return not provider_id or provider_id in signed_in_with(user)


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
