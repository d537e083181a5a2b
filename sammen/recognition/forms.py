from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sammen.activities.models import Activity
from sammen.core.forms import IdChoiceField
from sammen.core.validators import no_control_characters, single_line
from sammen.spaces.models import Space

from .models import (
    BADGE_NAME_MAX_LENGTH,
    BADGE_NOTE_MAX_LENGTH,
    GRANT_REASON_MAX_LENGTH,
    REWARD_DESCRIPTION_MAX_LENGTH,
    REWARD_TITLE_MAX_LENGTH,
    THANK_YOU_MAX_LENGTH,
    Reward,
    RewardKind,
)


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


class RewardForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of reward"),
        choices=RewardKind.choices,
        error_messages={"invalid_choice": _("Choose one of the kinds of reward offered.")},
    )
    title = forms.CharField(
        label=_("Reward"),
        max_length=REWARD_TITLE_MAX_LENGTH,
        validators=[no_control_characters, single_line],
        help_text=_("As you would say it in the brief, such as “Two tickets to the festival”."),
    )
    description = forms.CharField(
        label=_("What it involves (optional)"),
        required=False,
        max_length=REWARD_DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activity = IdChoiceField(
        label=_("For"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("The whole space"),
        error_messages={"invalid_choice": _("Choose one of the activities offered.")},
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, IdChoiceField)
        field.queryset = activities


class RewardChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class GrantRewardForm(forms.Form):
    reward = RewardChoiceField(
        label=_("Reward"),
        queryset=Reward.objects.none(),
        empty_label=_("Choose a reward"),
        error_messages={"invalid_choice": _("Choose one of the rewards offered.")},
    )
    reason = forms.CharField(
        label=_("Why they get it (they will read this)"),
        max_length=GRANT_REASON_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rewards: QuerySet[Reward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reward"]
        assert isinstance(field, RewardChoiceField)
        field.queryset = rewards


class ThankYouForm(forms.Form):
    """A note to the one person whose page this is: the form has no field for another."""

    text = forms.CharField(
        label=_("Your note"),
        max_length=THANK_YOU_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Written to this person alone, in your own words. They read it in the app, "
            "and by email if they gave a verified address."
        ),
    )
