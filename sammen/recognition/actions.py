from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.notifications.actions import do_notify
from sammen.spaces.models import Membership, Role, Space

from .audit_actions import AuditAction
from .models import BADGE_NAME_MAX_LENGTH, BADGE_NOTE_MAX_LENGTH, Badge, Recognition
from .permissions import has_public_profile
from .queries import has_taken_part
from .registry import Deed, registered_deed

# A thank-you means more when it is rare; this also stops a runaway script.
BADGES_PER_HOUR = 20


def do_recognise(participant: Participant, space: Space, deed: Deed, source: str) -> None:
    """Add a deed to the participant's ledger; the same deed for the same source counts once."""
    if registered_deed(deed.key) is not deed:
        raise ValueError(f"No app registers the deed {deed.key!r}.")
    # One INSERT ... ON CONFLICT DO NOTHING: the unique constraint keeps the deed to one
    # entry, without a lookup and two savepoints around it (every support records one).
    Recognition.objects.bulk_create(
        [
            Recognition(
                participant=participant,
                space=space,
                deed=deed.key,
                source=source,
                points=deed.points,
            )
        ],
        ignore_conflicts=True,
    )


def do_withdraw_recognition(participant: Participant, deed: Deed, source: str) -> None:
    Recognition.objects.filter(participant=participant, deed=deed.key, source=source).delete()


def is_owner(user: User, space: Space) -> bool:
    return Membership.objects.filter(space=space, user=user, role=Role.OWNER).exists()


def do_award_badge(
    actor: User, space: Space, participant: Participant, name: str, note: str = ""
) -> Badge:
    """Thank someone who took part in the space with a badge, in the owner's own words."""
    name, note = name.strip(), note.strip()
    if not is_owner(actor, space):
        raise ActionRefused(_("Only owners of the space thank contributors with badges."))
    if not name:
        raise ActionRefused(_("Give the badge a name."), field="name")
    if len(name) > BADGE_NAME_MAX_LENGTH:
        raise ActionRefused(
            _("A badge's name has at most %(count)s characters.")
            % {"count": BADGE_NAME_MAX_LENGTH},
            field="name",
        )
    if len(note) > BADGE_NOTE_MAX_LENGTH:
        raise ActionRefused(
            _("The note has at most %(count)s characters.") % {"count": BADGE_NOTE_MAX_LENGTH},
            field="note",
        )
    if participant.user_id == actor.pk:
        raise ActionRefused(_("Badges thank others: you cannot give one to yourself."))
    if not has_public_profile(participant):
        raise ActionRefused(_("This person can no longer be thanked."))
    if not has_taken_part(participant, space):
        raise ActionRefused(
            _("Badges thank people who took part in the space or belong to it."), field="space"
        )
    if Badge.objects.filter(space=space, participant=participant, name__iexact=name).exists():
        raise ActionRefused(_("This person already has this badge from this space."), field="name")
    since = timezone.now() - timedelta(hours=1)
    if Badge.objects.filter(awarded_by=actor, created_at__gte=since).count() >= BADGES_PER_HOUR:
        raise ActionRefused(_("You have given many badges in the last hour. Please wait a little."))
    with transaction.atomic():
        badge = Badge.objects.create(
            space=space, participant=participant, name=name, note=note, awarded_by=actor
        )
        do_log_audit_entry(
            actor,
            space,
            AuditAction.BADGE_AWARDED,
            badge,
            to=participant.public_name,
            participant=str(participant.public_id),
        )
        transaction.on_commit(
            partial(
                do_notify,
                [participant.user],
                "badge_awarded",
                {"space": space.name, "badge": name},
                reverse("recognition:profile", args=[participant.public_id]),
                skip=actor,
            )
        )
    return badge


def do_revoke_badge(actor: User, badge: Badge) -> None:
    """Take back a badge given in error; only the space's owners may."""
    if not is_owner(actor, badge.space):
        raise ActionRefused(_("Only owners of the space take back its badges."))
    with transaction.atomic():
        do_log_audit_entry(
            actor,
            badge.space,
            AuditAction.BADGE_REVOKED,
            badge,
            badge=badge.name,
            to=badge.participant.public_name,
            participant=str(badge.participant.public_id),
        )
        badge.delete()


def do_merge_recognition(source: Participant, target: Participant) -> None:
    """Move the ledger and the badges to `target`; a deed both have counts once."""
    both = Recognition.objects.filter(
        participant=target, deed=OuterRef("deed"), source=OuterRef("source")
    )
    Recognition.objects.filter(participant=source).filter(Exists(both)).delete()
    Recognition.objects.filter(participant=source).update(participant=target)
    Badge.objects.filter(participant=source).update(participant=target)
