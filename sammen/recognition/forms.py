from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.validators import no_control_characters, single_line
from sammen.spaces.models import Space

from .models import BADGE_NAME_MAX_LENGTH, BADGE_NOTE_MAX_LENGTH


class BadgeForm(forms.Form):
    space = forms.ChoiceField(label=_("For their part in"))
    name = forms.CharField(
        label=_("Badge"),
        max_length=BADGE_NAME_MAX_LENGTH,
        validators=[no_control_characters, single_line],
        help_text=_("A few words, such as “Storyteller of the year”."),
    )
    note = forms.CharField(
        label=_("Why (shown with the badge)"),
        required=False,
        max_length=BADGE_NOTE_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, spaces: list[Space], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["space"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(space.slug, space.name) for space in spaces]
