import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
# A token reads "smn_" and 43 URL-safe characters (32 random bytes): the prefix lets secret
# scanners and people recognise it; only its SHA-256 digest is stored.
TOKEN_PREFIX = "smn_"  # noqa: S105 - a prefix, not a secret
# What the token list shows of a token, so its owner can tell them apart.
SHOWN_LENGTH = len(TOKEN_PREFIX) + 4


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token: its owner's rights, limited to some spaces, read or read+write."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    shown = models.CharField(max_length=SHOWN_LENGTH)
    spaces = models.ManyToManyField("spaces.Space", related_name="+", verbose_name=_("spaces"))
    can_write = models.BooleanField(_("may write"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
