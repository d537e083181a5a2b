from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
SLUG_MAX_LENGTH = 50
DESCRIPTION_MAX_LENGTH = 2000
SSO_PROVIDER_MAX_LENGTH = 50


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INVITE_ONLY = "invite", _("Invite-only")
    PRIVATE = "private", _("Private")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


ROLE_RANK = {Role.MEMBER: 1, Role.MODERATOR: 2, Role.OWNER: 3}


class Space(models.Model):
    """An organisation's community: where its activities and members live."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    slug = models.SlugField(_("web address"), max_length=SLUG_MAX_LENGTH, unique=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The id of the OpenID Connect provider (sammen/accounts/sso.py) its owners and
    # moderators must sign in with to use their tools; "" when any sign-in will do.
    sso_provider = models.CharField(
        _("single sign-on for organisers"), max_length=SSO_PROVIDER_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="space_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("spaces:home", kwargs={"space_slug": self.slug})

    @property
    def is_listed(self) -> bool:
        """Return whether outsiders may find the space (private spaces stay out of sight)."""
        return self.visibility != Visibility.PRIVATE

    @property
    def is_joinable(self) -> bool:
        """Return whether anyone may join in one click, without an invitation."""
        return self.visibility == Visibility.PUBLIC


class Membership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="membership_once_per_space"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["space", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.space}"


class Invite(models.Model):
    """A link that lets a limited number of people join a space, until it expires."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("uses allowed"))
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invite_max_uses_positive"),
            models.CheckConstraint(
                condition=Q(use_count__lte=F("max_uses")), name="invite_within_use_limit"
            ),
            models.CheckConstraint(
                condition=~Q(role="owner"), name="invite_never_grants_ownership"
            ),
        ]

    def __str__(self) -> str:
        return f"Invite to {self.space} ({self.use_count}/{self.max_uses})"

    def get_absolute_url(self) -> str:
        return reverse("spaces:invite", kwargs={"token": self.token})

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.use_count < self.max_uses

    @property
    def uses_left(self) -> int:
        return max(0, self.max_uses - self.use_count)


class Block(models.Model):
    """A person an owner or moderator barred from the space: no joining, no taking part."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="blocks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_blocks"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="block_once_per_space"),
        ]

    def __str__(self) -> str:
        return f"{self.user} blocked from {self.space}"
