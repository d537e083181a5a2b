from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.validators import no_control_characters, single_line
from sammen.spaces.actions import BLOCK_REASON_MAX_LENGTH

from .actions import NOTE_MAX_LENGTH
from .models import Reason
from .registry import HIDE_REASON_MAX_LENGTH


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything to add?"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Only the owners and moderators of the space read it."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason shown in its place"),
        max_length=HIDE_REASON_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Why? (optional)"),
        max_length=BLOCK_REASON_MAX_LENGTH,
        required=False,
        validators=[no_control_characters, single_line],
        help_text=_("Only the owners and moderators of the space see it."),
    )
