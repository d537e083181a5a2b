from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sammen.core.images import reencode_image
from sammen.core.validators import no_control_characters, single_line

from .email_links import EMAIL_MAX_LENGTH
from .models import DISPLAY_NAME_MAX_LENGTH, EMAIL_NOTIFICATION_CHOICES, User

AVATAR_MAX_SIDE = 512


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Display name"))
        kwargs.setdefault("help_text", _("The name others see next to what you contribute."))
        super().__init__(
            max_length=DISPLAY_NAME_MAX_LENGTH,
            validators=[no_control_characters, single_line],
            **kwargs,
        )


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks besides email and password."""

    display_name = DisplayNameField(
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        """Do nothing more: the adapter saved the display name with the user."""


class ProfileForm(forms.Form):
    display_name = DisplayNameField()
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("My browser's language")), *settings.LANGUAGES],
        required=False,
    )
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image of at most 5 MB. We remove its metadata."),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)
    email_notifications = forms.ChoiceField(
        label=_("Email me about notifications"),
        choices=EMAIL_NOTIFICATION_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("About the calls and ideas you follow, and about your own ideas."),
    )

    def clean_avatar(self) -> ContentFile | None:
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        return reencode_image(upload, max_side=AVATAR_MAX_SIDE)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."), code="wrong_password")
        return password


class EmailLinkForm(forms.Form):
    """The address a one-time link goes to (see `email_links`)."""

    email = forms.EmailField(label=_("Your email address"), max_length=EMAIL_MAX_LENGTH)
