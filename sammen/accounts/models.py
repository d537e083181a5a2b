import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX_LENGTH = 60
EMAIL_NOTIFICATION_CHOICES = [
    ("immediate", _("Right away")),
    ("daily", _("Once a day")),
    ("off", _("Never")),
]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person with an account. Contributions hang on their Participant, not here."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=DISPLAY_NAME_MAX_LENGTH)
    # The language the person chose in their profile (or with the switcher while signed
    # in); blank means "my browser's language", and every page follows what they read in.
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    # The language they last read Sammen in when they signed up, signed in or switched:
    # no choice, only what emails are written in while they have not chosen one.
    reading_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, editable=False
    )
    email_notifications = models.CharField(
        _("email notifications"),
        max_length=10,
        choices=EMAIL_NOTIFICATION_CHOICES,
        default="immediate",
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)

    objects = UserManager()  # type: ignore[assignment,misc]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name or _("participant #%(id)s") % {"id": self.pk}

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def email_language(self) -> str:
        """Return the language to write to the person in: their choice, else what they read."""
        return self.preferred_language or self.reading_language or settings.LANGUAGE_CODE


class Participant(models.Model):
    """Whoever takes part: a person with an account, or an anonymous visitor.

    An anonymous participant is recognised by a signed cookie holding `public_id`;
    when that person signs up, the participant is claimed by their new account, so
    what they contributed stays theirs. When an account is deleted, its participant
    stays (others' replies and votes may depend on its contributions) but is erased:
    no user, no name.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
    )
    display_name = models.CharField(
        _("display name"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.public_name)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.erased_at is None

    @property
    def public_name(self) -> str:
        """Return the name others see."""
        if self.erased_at is not None:
            return str(_("deleted participant"))
        if self.user is not None:
            return self.user.display_name
        return self.display_name or str(_("anonymous participant"))


class ParticipantEmail(models.Model):
    """An email address a participant without an account proved is theirs (a one-time link)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="verified_emails"
    )
    email = models.EmailField(unique=True)
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verified email of a participant")
        verbose_name_plural = _("verified emails of participants")

    def __str__(self) -> str:
        return self.email
