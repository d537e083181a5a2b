from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused

from . import hooks
from .models import EMAIL_NOTIFICATION_CHOICES, Participant, ParticipantEmail, User


def do_create_account(
    email: str,
    password: str | None,
    display_name: str,
    *,
    preferred_language: str = "",
    reading_language: str = "",
    verified: bool = True,
) -> User:
    """Create a person's account with its email address and participant.

    Sign-up goes through allauth; this is for demo data, tests and operators.
    """
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            display_name=display_name,
            preferred_language=preferred_language,
            reading_language=reading_language,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        do_attach_participant(user, None)
    return user


def do_create_anonymous_participant(display_name: str = "") -> Participant:
    return Participant.objects.create(display_name=display_name)


def do_attach_participant(user: User, anonymous: Participant | None) -> Participant:
    """Give a new account its participant: the anonymous one it brought along, or a new one."""
    with transaction.atomic():
        existing = Participant.objects.filter(user=user).first()
        if existing is not None:
            if anonymous is not None and anonymous.pk != existing.pk:
                do_merge_participants(anonymous, existing)
            return existing
        if anonymous is not None and anonymous.is_anonymous:
            claimed = (
                Participant.objects.select_for_update()
                .filter(pk=anonymous.pk, user__isnull=True, erased_at__isnull=True)
                .update(user=user, claimed_at=timezone.now())
            )
            if claimed:
                return Participant.objects.get(pk=anonymous.pk)
        return Participant.objects.create(user=user)


def do_merge_participants(source: Participant, target: Participant) -> None:
    """Move everything an anonymous participant did to a person's participant, then drop it."""
    if not source.is_anonymous or source.pk == target.pk:
        return
    with transaction.atomic():
        for merge in hooks.participant_mergers:
            merge(source, target)
        # The addresses the visitor proved stay theirs, so using one again in
        # another browser finds this person instead of starting anew.
        ParticipantEmail.objects.filter(participant=source).update(participant=target)
        Participant.objects.filter(pk=source.pk).delete()


def do_verify_participant_email(current: Participant | None, email: str) -> Participant:
    """Record that the visitor proved `email` is theirs; return the participant to use.

    An address verified before, in another browser, brings that participant back,
    so one address takes part once (one support per idea, one vote per statement)
    wherever it is used.
    """
    email = email.strip().lower()
    with transaction.atomic():
        existing = (
            ParticipantEmail.objects.select_related("participant").filter(email=email).first()
        )
        if existing is not None:
            return existing.participant
        participant = current if current is not None and current.is_anonymous else None
        if participant is None:
            participant = Participant.objects.create()
        ParticipantEmail.objects.create(
            participant=participant, email=email, verified_at=timezone.now()
        )
    return participant


def do_update_profile(
    user: User,
    *,
    display_name: str,
    preferred_language: str,
    avatar: ContentFile | None = None,
    remove_avatar: bool = False,
    email_notifications: str | None = None,
) -> None:
    """Save the profile; `email_notifications` None keeps how often the person is emailed."""
    if email_notifications is not None and email_notifications not in {
        value for value, _label in EMAIL_NOTIFICATION_CHOICES
    }:
        raise ActionRefused(
            _("Choose how often we email you from the options offered."),
            field="email_notifications",
        )
    old_avatar = user.avatar.name if user.avatar else ""
    user.display_name = display_name
    user.preferred_language = preferred_language
    fields = ["display_name", "preferred_language"]
    if email_notifications is not None:
        user.email_notifications = email_notifications
        fields.append("email_notifications")
    if avatar is not None:
        user.avatar.save(avatar.name or "avatar.webp", avatar, save=False)
        fields.append("avatar")
    elif remove_avatar and old_avatar:
        user.avatar = None
        fields.append("avatar")
    user.save(update_fields=fields)
    if old_avatar and "avatar" in fields:
        transaction.on_commit(lambda: user.avatar.storage.delete(old_avatar))


def do_set_preferred_language(user: User, language: str) -> None:
    if (user.preferred_language, user.reading_language) != (language, language):
        user.preferred_language = user.reading_language = language
        user.save(update_fields=["preferred_language", "reading_language"])


def do_note_reading_language(user: User, language: str) -> None:
    """Remember the language a person reads in, for emails while they have chosen none."""
    if language in {code for code, _name in settings.LANGUAGES} and (
        user.reading_language != language
    ):
        user.reading_language = language
        user.save(update_fields=["reading_language"])


def do_delete_account(user: User) -> None:
    """Delete a person's account and personal data, keeping contributions others rely on.

    Their participant stays, erased, so replies and counts elsewhere still add up;
    it shows as "deleted participant".
    """
    reasons = [reason for blocker in hooks.deletion_blockers for reason in blocker(user)]
    if reasons:
        raise ActionRefused(" ".join(reasons))
    avatar = user.avatar.name if user.avatar else ""
    storage = user.avatar.storage
    with transaction.atomic():
        for participant in Participant.objects.filter(user=user):
            for erase in hooks.participant_erasers:
                erase(participant)
        Participant.objects.filter(user=user).update(
            user=None, display_name="", erased_at=timezone.now()
        )
        user.delete()
        if avatar:
            transaction.on_commit(lambda: storage.delete(avatar))
