"""The forms of the figures page: a decision at a touchpoint, a plan, an open call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.activities.models import TITLE_MAX_LENGTH
from sammen.core.validators import no_control_characters
from sammen.moderation.registry import HIDE_REASON_MAX_LENGTH

from .models import DECISION_MAX_LENGTH, PLAN_MAX_LENGTH, PlanKind, ServiceChoice


class DecisionForm(forms.Form):
    service_choice = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("", _("Not decided yet")), *ServiceChoice.choices],
        required=False,
    )
    decision = forms.CharField(
        label=_("What you decided, in words"),
        help_text=_("It goes into the draft of your public answer."),
        required=False,
        max_length=DECISION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices, initial=PlanKind.GESTURE)
    text = forms.CharField(
        label=_("What you plan"),
        max_length=PLAN_MAX_LENGTH,
        validators=[no_control_characters],
    )


class OpenCallForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the open call"),
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters],
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you hide it"),
        max_length=HIDE_REASON_MAX_LENGTH,
        validators=[no_control_characters],
    )
