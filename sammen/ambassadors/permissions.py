from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import User
from sammen.spaces.models import Role
from sammen.spaces.permissions import SpaceAccess, access_space

from .models import TOKEN_LENGTH, Ambassador


def access_ambassador(user: User, space_slug: str, ambassador_id: int) -> Ambassador:
    """Return one of the space's ambassadors for its owner; 404 or 403 for anyone else."""
    access = access_space(user, space_slug, min_role=Role.OWNER)
    return get_object_or_404(
        Ambassador.objects.select_related("space", "user"), pk=ambassador_id, space=access.space
    )


def access_own_ambassadorship(user: User, space_slug: str) -> tuple[SpaceAccess, Ambassador]:
    """Return the viewer's own invitation or role as an ambassador of the space, or 404."""
    access = access_space(user, space_slug)
    ambassador = Ambassador.objects.filter(space=access.space, user=user).first()
    if ambassador is None or not access.is_member:
        raise Http404
    return access, ambassador


def ambassador_by_token(token: str) -> Ambassador:
    """Return the ambassador whose link this is, in any state; 404 for a token nobody has."""
    if len(token) != TOKEN_LENGTH:
        raise Http404
    ambassador = Ambassador.objects.select_related("space").filter(token=token).first()
    if ambassador is None:
        raise Http404
    return ambassador


def require_owner(access: SpaceAccess) -> None:
    if not access.is_owner:
        raise PermissionDenied
