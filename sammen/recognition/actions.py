from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, ParticipantEmail, User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.core.tasks import send_email
from sammen.notifications.actions import do_notify
from sammen.spaces.models import Membership, Role, Space

from .audit_actions import AuditAction
from .models import (
    BADGE_NAME_MAX_LENGTH,
    BADGE_NOTE_MAX_LENGTH,
    GRANT_REASON_MAX_LENGTH,
    REWARD_DESCRIPTION_MAX_LENGTH,
    REWARD_TITLE_MAX_LENGTH,
    THANK_YOU_MAX_LENGTH,
    Badge,
    Recognition,
    Reward,
    RewardGrant,
    RewardKind,
    ThankYou,
)
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


# Rewards and personal notes are rare by nature; these stop a runaway script.
REWARDS_STATED_PER_HOUR = 20
GRANTS_PER_HOUR = 30
THANK_YOUS_PER_HOUR = 20


def is_organiser(user: User, space: Space) -> bool:
    return Membership.objects.filter(
        space=space, user=user, role__in=[Role.OWNER, Role.MODERATOR]
    ).exists()


def do_state_reward(
    actor: User,
    space: Space,
    *,
    kind: str,
    title: str,
    description: str = "",
    activity: Activity | None = None,
) -> Reward:
    """State what the space gives the people who carry it (or one activity's)."""
    title, description = title.strip(), description.strip()
    if not is_owner(actor, space):
        raise ActionRefused(_("Only owners of the space state its rewards."))
    if kind not in RewardKind.values:
        raise ActionRefused(_("Choose one of the kinds of reward offered."), field="kind")
    if not title:
        raise ActionRefused(_("Name the reward."), field="title")
    if len(title) > REWARD_TITLE_MAX_LENGTH:
        raise ActionRefused(
            _("A reward's name has at most %(count)s characters.")
            % {"count": REWARD_TITLE_MAX_LENGTH},
            field="title",
        )
    if len(description) > REWARD_DESCRIPTION_MAX_LENGTH:
        raise ActionRefused(
            _("The description has at most %(count)s characters.")
            % {"count": REWARD_DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    if activity is not None and activity.space_id != space.pk:
        raise ActionRefused(_("Choose an activity of this space."), field="activity")
    since = timezone.now() - timedelta(hours=1)
    if Reward.objects.filter(created_by=actor, created_at__gte=since).count() >= (
        REWARDS_STATED_PER_HOUR
    ):
        raise ActionRefused(_("You stated many rewards in the last hour. Please wait a little."))
    with transaction.atomic():
        reward = Reward.objects.create(
            space=space,
            activity=activity,
            kind=kind,
            title=title,
            description=description,
            created_by=actor,
        )
        do_log_audit_entry(actor, space, AuditAction.REWARD_STATED, reward, kind=kind)
    return reward


def do_grant_reward(
    actor: User, reward: Reward, participant: Participant, reason: str
) -> RewardGrant:
    """Grant a reward to one named person, saying why; they see it on their profile."""
    reason = reason.strip()
    space = reward.space
    if not is_owner(actor, space):
        raise ActionRefused(_("Only owners of the space grant its rewards."))
    if not reason:
        raise ActionRefused(_("Say why this person gets the reward."), field="reason")
    if len(reason) > GRANT_REASON_MAX_LENGTH:
        raise ActionRefused(
            _("The reason has at most %(count)s characters.") % {"count": GRANT_REASON_MAX_LENGTH},
            field="reason",
        )
    if participant.user_id == actor.pk:
        raise ActionRefused(_("Rewards are for others: you cannot grant one to yourself."))
    if not has_public_profile(participant):
        raise ActionRefused(_("This person can no longer be rewarded."))
    if not has_taken_part(participant, space):
        raise ActionRefused(_("Rewards go to people who took part in the space or belong to it."))
    since = timezone.now() - timedelta(hours=1)
    if RewardGrant.objects.filter(granted_by=actor, granted_at__gte=since).count() >= (
        GRANTS_PER_HOUR
    ):
        raise ActionRefused(_("You granted many rewards in the last hour. Please wait a little."))
    try:
        with transaction.atomic():
            grant = RewardGrant.objects.create(
                reward=reward, participant=participant, reason=reason, granted_by=actor
            )
            do_log_audit_entry(
                actor,
                space,
                AuditAction.REWARD_GRANTED,
                grant,
                reward=reward.title,
                to=participant.public_name,
                participant=str(participant.public_id),
            )
            transaction.on_commit(
                partial(
                    do_notify,
                    [participant.user],
                    "reward_granted",
                    {"space": space.name, "reward": reward.title},
                    reverse("recognition:profile", args=[participant.public_id]),
                    skip=actor,
                )
            )
    except IntegrityError:
        raise ActionRefused(
            _("This person already has this reward."), field="participant"
        ) from None
    return grant


def verified_address(participant: Participant) -> tuple[str, str] | None:
    """Return a verified address of the participant and the language to write in, if any."""
    user = participant.user
    if user is not None:
        if not user.is_active:
            return None
        address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
        return (address.email, user.email_language) if address is not None else None
    proven = ParticipantEmail.objects.filter(participant=participant).first()
    return (proven.email, settings.LANGUAGE_CODE) if proven is not None else None


def do_send_thank_you(actor: User, space: Space, participant: Participant, text: str) -> ThankYou:
    """Send one participant a personal note: in the app and, where proven, by email.

    One note has one recipient: there is no list to add a second one to.
    """
    text = text.strip()
    if not is_organiser(actor, space):
        raise ActionRefused(_("Only owners and moderators of the space send thank-you notes."))
    if not text:
        raise ActionRefused(_("Write your note."), field="text")
    if len(text) > THANK_YOU_MAX_LENGTH:
        raise ActionRefused(
            _("A note has at most %(count)s characters.") % {"count": THANK_YOU_MAX_LENGTH},
            field="text",
        )
    if participant.user_id == actor.pk:
        raise ActionRefused(_("Thank-you notes are for others."))
    if not has_public_profile(participant) or not has_taken_part(participant, space):
        raise ActionRefused(_("Thank-you notes go to people who took part in the space."))
    since = timezone.now() - timedelta(hours=1)
    if ThankYou.objects.filter(sender=actor, sent_at__gte=since).count() >= THANK_YOUS_PER_HOUR:
        raise ActionRefused(_("You sent many notes in the last hour. Please wait a little."))
    address = verified_address(participant)
    with transaction.atomic():
        note = ThankYou.objects.create(
            space=space, sender=actor, recipient=participant, text=text, emailed=address is not None
        )
        do_log_audit_entry(
            actor,
            space,
            AuditAction.THANK_YOU_SENT,
            note,
            to=participant.public_name,
            participant=str(participant.public_id),
        )
        transaction.on_commit(
            partial(
                do_notify,
                [participant.user],
                "thank_you",
                {"space": space.name, "sender": actor.display_name},
                reverse("recognition:thank_yous"),
                skip=actor,
                mailed_separately=True,
            )
        )
        if address is not None:
            email, language = address
            transaction.on_commit(partial(mail_thank_you, note, email, language))
    return note


def mail_thank_you(note: ThankYou, email: str, language: str) -> None:
    with translation.override(language):
        context = {
            "note": note,
            "sender": note.sender.display_name if note.sender else "",
            "space": note.space.name,
            "SAMMEN_NAME": settings.SAMMEN_NAME,
        }
        subject = _("A thank-you note from %(space)s") % {"space": note.space.name}
        body = render_to_string("recognition/email/thank_you.txt", context)
    send_email.enqueue(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
