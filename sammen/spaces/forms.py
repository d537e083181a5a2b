from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import RegexValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sammen.accounts.sso import Provider
from sammen.core.forms import RadioSelectWithHelp
from sammen.core.images import reencode_image
from sammen.core.validators import no_control_characters, single_line

from .actions import MAX_INVITE_DAYS, MAX_INVITE_USES
from .models import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    Role,
    Space,
    Visibility,
)

LOGO_MAX_SIDE = 1024
RESERVED_SLUGS = {"new", "admin", "api", "static", "media", "accounts", "invite"}

slug_format = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lowercase letters, digits and single hyphens, like “city-museum”."),
)

# What each choice does, in the words of the code: membership of an invite-only space
# needs an invitation, but its activities stay open to whoever they let in (a
# conversation or a live session "for anyone" takes anyone's votes).
VISIBILITY_HELP: dict[str, StrOrPromise] = {
    Visibility.PUBLIC: _(
        "Anyone can see the space and its activities, and become a member in one click."
    ),
    Visibility.INVITE_ONLY: _(
        "Anyone can see the space and take part in the activities you open to everyone. "
        "Only people with an invitation link become members."
    ),
    Visibility.PRIVATE: _(
        "Only members see the space and take part in it. "
        "People become members with an invitation link."
    ),
}


class SpaceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX_LENGTH, validators=[no_control_characters, single_line]
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
        help_text=_("Who you are and what you want to create together."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=RadioSelectWithHelp(VISIBILITY_HELP),
    )
    default_language = forms.ChoiceField(
        label=_("Main language of the space"),
        choices=settings.LANGUAGES,
        help_text=_("The language most of your activities are written in."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image of at most 5 MB."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_logo(self) -> ContentFile | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return reencode_image(upload, max_side=LOGO_MAX_SIDE)


class NewSpaceForm(SpaceForm):
    slug = forms.CharField(
        label=_("Web address"),
        max_length=SLUG_MAX_LENGTH,
        required=False,
        validators=[slug_format],
        help_text=_("The end of the space's address. Leave empty to make one from the name."),
    )
    field_order = ["name", "slug", "description", "visibility", "default_language", "logo"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["remove_logo"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This web address is reserved. Choose another."))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("slug") and cleaned.get("name") and "slug" not in self.errors:
            cleaned["slug"] = unused_slug(slugify(cleaned["name"])[:SLUG_MAX_LENGTH] or "space")
        return cleaned


def unused_slug(base: str) -> str:
    """Return `base`, or `base-2`, `base-3`... whichever no space uses yet."""
    base = base.strip("-") or "space"
    if base in RESERVED_SLUGS:
        base = f"{base}-space"
    taken = set(Space.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        number += 1
    return candidate


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("They join as"),
        choices=[(Role.MEMBER, Role.MEMBER.label), (Role.MODERATOR, Role.MODERATOR.label)],
        initial=Role.MEMBER,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_INVITE_DAYS, initial=14
    )
    max_uses = forms.IntegerField(
        label=_("Number of people who can use it"),
        min_value=1,
        max_value=MAX_INVITE_USES,
        initial=25,
    )

    def __init__(self, *args: Any, can_invite_moderators: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_invite_moderators:
            cast(forms.ChoiceField, self.fields["role"]).choices = [
                (Role.MEMBER, Role.MEMBER.label)
            ]


class SingleSignOnForm(forms.Form):
    """Which provider, if any, a space's owners and moderators must sign in with."""

    provider = forms.ChoiceField(
        label=_("Owners and moderators must sign in with"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["provider"])
        field.choices = [
            ("", _("Any way of signing in")),
            *((provider.id, provider.name) for provider in providers),
        ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DeleteSpaceForm(forms.Form):
    confirm_slug = forms.CharField(label=_("Type the space's web address to confirm"))

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.space = space

    def clean_confirm_slug(self) -> str:
        value: str = self.cleaned_data["confirm_slug"].strip()
        if value != self.space.slug:
            raise forms.ValidationError(_("That is not this space's web address."))
        return value
