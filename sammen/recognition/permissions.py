import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404

from sammen.accounts.models import Participant, User
from sammen.spaces.models import Role
from sammen.spaces.permissions import access_space

from .models import Badge


def has_public_profile(participant: Participant) -> bool:
    """Erased participants and nameless anonymous ones have no page: there is nobody to show."""
    if participant.erased_at is not None:
        return False
    if participant.user is not None:
        return participant.user.is_active
    return bool(participant.display_name.strip())


def access_person(public_id: uuid.UUID) -> Participant:
    """Return the participant whose public profile this is; 404 when there is none to show."""
    person = Participant.objects.select_related("user").filter(public_id=public_id).first()
    if person is None or not has_public_profile(person):
        raise Http404
    return person


def access_badge(user: User, person: Participant, badge_id: int) -> Badge:
    """Return the person's badge for an owner of its space; 404 or 403 for anyone else."""
    badge = get_object_or_404(
        Badge.objects.select_related("space"), pk=badge_id, participant=person
    )
    access_space(user, badge.space.slug, min_role=Role.OWNER)
    return badge
