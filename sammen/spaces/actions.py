import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.accounts.sso import signed_in_with, sso_provider
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from .audit_actions import AuditAction
from .models import Block, Invite, Membership, Role, Space

MAX_SPACES_PER_DAY = 10
MAX_INVITE_USES = 10_000
MAX_INVITE_DAYS = 365
BLOCK_REASON_MAX_LENGTH = 200


def do_create_space(
    creator: User,
    *,
    name: str,
    slug: str,
    description: str = "",
    visibility: str = "public",
    default_language: str = "en",
    logo: ContentFile | None = None,
) -> Space:
    """Create a space with `creator` as its first owner."""
    since = timezone.now() - timedelta(days=1)
    if (
        Space.objects.filter(created_by=creator, created_at__gte=since).count()
        >= MAX_SPACES_PER_DAY
    ):
        raise ActionRefused(_("You have created many spaces today. Try again tomorrow."))
    try:
        with transaction.atomic():
            space = Space(
                name=name,
                slug=slug,
                description=description,
                visibility=visibility,
                default_language=default_language,
                created_by=creator,
            )
            if logo is not None:
                space.logo.save(logo.name or "logo.webp", logo, save=False)
            space.save()
            Membership.objects.create(space=space, user=creator, role=Role.OWNER)
            do_log_audit_entry(creator, space, AuditAction.SPACE_CREATED, space)
    except IntegrityError:
        raise ActionRefused(
            _("Another space already uses this web address. Choose another."), field="slug"
        ) from None
    return space


def do_update_space(
    actor: User,
    space: Space,
    *,
    name: str,
    description: str,
    visibility: str,
    default_language: str,
    logo: ContentFile | None = None,
    remove_logo: bool = False,
) -> None:
    old_logo = space.logo.name if space.logo else ""
    changed = [
        field
        for field, value in [
            ("name", name),
            ("description", description),
            ("visibility", visibility),
            ("default_language", default_language),
        ]
        if getattr(space, field) != value
    ]
    space.name, space.description = name, description
    space.visibility, space.default_language = visibility, default_language
    if logo is not None:
        space.logo.save(logo.name or "logo.webp", logo, save=False)
        changed.append("logo")
    elif remove_logo and old_logo:
        space.logo = None
        changed.append("logo")
    if not changed:
        return
    with transaction.atomic():
        space.save(update_fields=changed)
        do_log_audit_entry(actor, space, AuditAction.SPACE_UPDATED, space, fields=changed)
        if old_logo and "logo" in changed:
            transaction.on_commit(lambda: space.logo.storage.delete(old_logo))


def do_require_sso(actor: User, space: Space, provider_id: str) -> None:
    """Require owners and moderators to sign in with `provider_id` to use their tools ("":
    lift the requirement).

    Refuse a provider this site does not have, and one the actor's own session did not
    sign in with: they would lose their own tools the moment they saved.
    """
    if provider_id:
        provider = sso_provider(provider_id)
        if provider is None:
            raise ActionRefused(_("This site has no such sign-in provider."))
        if provider_id not in signed_in_with(actor):
            raise ActionRefused(
                _(
                    "Sign in with %(provider)s first: only then can you require it, "
                    "so you cannot lock yourself out."
                )
                % {"provider": provider.name}
            )
    with transaction.atomic():
        locked = Space.objects.select_for_update().get(pk=space.pk)
        if locked.sso_provider == provider_id:
            return
        locked.sso_provider = provider_id
        locked.save(update_fields=["sso_provider"])
        space.sso_provider = provider_id
        do_log_audit_entry(
            actor,
            space,
            AuditAction.SSO_REQUIRED if provider_id else AuditAction.SSO_LIFTED,
            space,
            provider=provider_id,
        )


def do_delete_space(actor: User, space: Space) -> None:
    """Delete a space with everything in it. Only its owners may (checked by the caller)."""
    logo = space.logo.name if space.logo else ""
    storage = space.logo.storage
    with transaction.atomic():
        space.delete()
        if logo:
            transaction.on_commit(lambda: storage.delete(logo))


def refuse_if_blocked(user: User, space: Space) -> None:
    if Block.objects.filter(space=space, user=user).exists():
        raise ActionRefused(
            _("The organisers of this space have blocked you, so you cannot join it.")
        )


def do_join_space(user: User, space: Space) -> Membership:
    """Make `user` a member of a public space. Joining twice changes nothing."""
    refuse_if_blocked(user, space)
    if not space.is_joinable:
        raise ActionRefused(_("This space can only be joined with an invitation."))
    membership, _created = Membership.objects.get_or_create(
        space=space, user=user, defaults={"role": Role.MEMBER}
    )
    return membership


def owner_count(space: Space) -> int:
    return Membership.objects.filter(space=space, role=Role.OWNER).count()


def do_leave_space(user: User, space: Space) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
        if membership is None:
            return
        if membership.role == Role.OWNER and owner_count(space) == 1:
            raise ActionRefused(
                _("You are the only owner. Make someone else an owner before you leave.")
            )
        membership.delete()


def do_change_role(actor: User, membership: Membership, role: str) -> None:
    if role not in Role.values:
        raise ActionRefused(_("Choose one of the roles offered."))
    with transaction.atomic():
        # Lock the space's owners so two owners demoting each other at once cannot
        # leave the space without one.
        owners = list(
            Membership.objects.select_for_update()
            .filter(space_id=membership.space_id, role=Role.OWNER)
            .values_list("pk", flat=True)
        )
        membership.refresh_from_db(fields=["role"])
        if membership.role == role:
            return
        if membership.role == Role.OWNER and owners == [membership.pk]:
            raise ActionRefused(
                _("A space needs at least one owner. Make someone else an owner first.")
            )
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        do_log_audit_entry(
            actor,
            membership.space,
            AuditAction.MEMBER_ROLE_CHANGED,
            membership.user,
            previous=previous,
            role=role,
        )


def do_remove_member(actor: User, membership: Membership) -> None:
    if membership.role == Role.OWNER:
        raise ActionRefused(_("Make an owner a member first, then remove them."))
    with transaction.atomic():
        do_log_audit_entry(actor, membership.space, AuditAction.MEMBER_REMOVED, membership.user)
        membership.delete()


def do_create_invite(
    actor: User, space: Space, *, role: str = Role.MEMBER, days: int = 14, max_uses: int = 25
) -> Invite:
    if role not in {Role.MEMBER, Role.MODERATOR}:
        raise ActionRefused(_("An invitation can make people members or moderators."))
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise ActionRefused(
            _("An invitation lasts from 1 to %(days)s days.") % {"days": MAX_INVITE_DAYS}
        )
    if not 1 <= max_uses <= MAX_INVITE_USES:
        raise ActionRefused(
            _("An invitation can be used from 1 to %(uses)s times.") % {"uses": MAX_INVITE_USES}
        )
    with transaction.atomic():
        invite = Invite.objects.create(
            space=space,
            token=secrets.token_urlsafe(24),
            role=role,
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=days),
            max_uses=max_uses,
        )
        do_log_audit_entry(
            actor,
            space,
            AuditAction.INVITE_CREATED,
            invite,
            role=role,
            days=days,
            max_uses=max_uses,
        )
    return invite


def do_revoke_invite(actor: User, invite: Invite) -> None:
    if invite.revoked_at is not None:
        return
    with transaction.atomic():
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        do_log_audit_entry(actor, invite.space, AuditAction.INVITE_REVOKED, invite)


def do_accept_invite(user: User, invite: Invite) -> Membership:
    """Join the invite's space. Each new member uses the invite once; members use nothing."""
    refuse_if_blocked(user, invite.space)
    with transaction.atomic():
        existing = Membership.objects.filter(space_id=invite.space_id, user=user).first()
        if existing is not None:
            return existing
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        if invite.revoked_at is not None:
            raise ActionRefused(_("This invitation was withdrawn. Ask for a new one."))
        if invite.expires_at <= timezone.now():
            raise ActionRefused(_("This invitation has expired. Ask for a new one."))
        # The conditional update keeps the count within the limit even when many
        # people accept at the same moment.
        used = Invite.objects.filter(pk=invite.pk, use_count__lt=F("max_uses")).update(
            use_count=F("use_count") + 1
        )
        if not used:
            raise ActionRefused(_("This invitation has been used up. Ask for a new one."))
        return Membership.objects.create(space_id=invite.space_id, user=user, role=invite.role)


def do_block_member(actor: User, space: Space, user: User, reason: str = "") -> Block:
    """Bar `user` from the space: their membership goes and they cannot join again.

    Owners cannot be blocked, and only owners block moderators, so a moderator
    cannot take a space over. What they wrote stays until a moderator hides it.
    """
    reason = reason.strip()
    if user.pk == actor.pk:
        raise ActionRefused(_("You cannot block yourself."))
    if len(reason) > BLOCK_REASON_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the reason to %(count)s characters or fewer.")
            % {"count": BLOCK_REASON_MAX_LENGTH},
            field="reason",
        )
    already_blocked = _("%(name)s is already blocked from this space.") % {
        "name": user.display_name
    }
    try:
        with transaction.atomic():
            roles = dict(
                Membership.objects.select_for_update()
                .filter(space=space, user__in=[actor, user])
                .values_list("user_id", "role")
            )
            role = roles.get(user.pk)
            if role == Role.OWNER:
                raise ActionRefused(_("Owners cannot be blocked. Make them a member first."))
            if role == Role.MODERATOR and roles.get(actor.pk) != Role.OWNER:
                raise ActionRefused(_("Only an owner can block a moderator."))
            if Block.objects.filter(space=space, user=user).exists():
                raise ActionRefused(already_blocked)
            Membership.objects.filter(space=space, user=user).delete()
            block = Block.objects.create(space=space, user=user, blocked_by=actor, reason=reason)
            do_log_audit_entry(
                actor, space, AuditAction.MEMBER_BLOCKED, user, reason=reason, role=role or ""
            )
    except IntegrityError:  # blocked by someone else at the same moment
        raise ActionRefused(already_blocked) from None
    return block


def do_unblock_member(actor: User, block: Block) -> None:
    """Lift a block. The person may join again; their old membership does not come back."""
    with transaction.atomic():
        deleted, _rows = Block.objects.filter(pk=block.pk).delete()
        if deleted:
            do_log_audit_entry(actor, block.space, AuditAction.MEMBER_UNBLOCKED, block.user)
