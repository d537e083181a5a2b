from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in a space that the audit log records; registered in apps.py."""

    SPACE_CREATED = "space.created", _("created the space")
    SPACE_UPDATED = "space.updated", _("changed the space's settings")
    SSO_REQUIRED = "space.sso_required", _("required single sign-on of organisers")
    SSO_LIFTED = "space.sso_lifted", _("stopped requiring single sign-on of organisers")
    MEMBER_ROLE_CHANGED = "member.role_changed", _("changed a member's role")
    MEMBER_REMOVED = "member.removed", _("removed a member")
    INVITE_CREATED = "invite.created", _("created an invitation link")
    INVITE_REVOKED = "invite.revoked", _("revoked an invitation link")
    MEMBER_BLOCKED = "member.blocked", _("blocked a member")
    MEMBER_UNBLOCKED = "member.unblocked", _("lifted a block")
