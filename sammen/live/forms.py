from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.core.forms import IdChoiceField
from sammen.core.validators import no_control_characters, single_line

from .actions import LiveSettings, OptionInput
from .models import (
    EMAIL_DOMAIN_MAX_LENGTH,
    HIDDEN_REASON_MAX_LENGTH,
    MAX_OPTIONS,
    NAME_MAX_LENGTH,
    OPTION_MAX_LENGTH,
    POLL_TITLE_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    Admission,
    CrewRole,
    LiveSession,
    Moderation,
    Poll,
    PollKind,
    TextDisplay,
)


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "live-code-input",
            }
        ),
    )


class NameForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        validators=[no_control_characters, single_line],
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": QUESTION_MAX_LENGTH}),
    )
    anonymous = forms.BooleanField(label=_("Ask without my name"), required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the author sees this)"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        required=False,
        validators=[no_control_characters, single_line],
    )


class LiveSettingsForm(forms.Form):
    admission = forms.ChoiceField(
        label=_("Who may join"), choices=Admission.choices, widget=forms.RadioSelect
    )
    email_domain = forms.CharField(
        label=_("Email domain"),
        help_text=_("Only for “people signed in with an email address at one domain”."),
        max_length=EMAIL_DOMAIN_MAX_LENGTH,
        required=False,
        validators=[no_control_characters, single_line],
    )
    moderation = forms.ChoiceField(
        label=_("Questions"), choices=Moderation.choices, widget=forms.RadioSelect
    )
    anonymous_questions = forms.BooleanField(
        label=_("People may ask without their name"), required=False
    )
    reactions_enabled = forms.BooleanField(label=_("Reactions on the big screen"), required=False)
    results_to_participants = forms.BooleanField(
        label=_("Poll results show while the poll is open"),
        help_text=_(
            "On the big screen and on phones. The presenter can show or hide each poll's "
            "results at any moment. Quiz results wait until the question closes."
        ),
        required=False,
    )
    attached_to = IdChoiceField(
        label=_("Part of"),
        help_text=_("Link this session to an open call or meeting of the same space."),
        queryset=Activity.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, session: LiveSession, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "admission": session.admission,
                "email_domain": session.email_domain,
                "moderation": session.moderation,
                "anonymous_questions": session.anonymous_questions,
                "reactions_enabled": session.reactions_enabled,
                "results_to_participants": session.results_to_participants,
                "attached_to": session.attached_to,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["attached_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Activity.objects.filter(space=session.activity.space)
            .exclude(pk=session.activity.pk)
            .exclude(kind="live")
        )

    def settings(self) -> LiveSettings:
        data = self.cleaned_data
        return LiveSettings(
            admission=data["admission"],
            email_domain=data["email_domain"],
            moderation=data["moderation"],
            anonymous_questions=data["anonymous_questions"],
            reactions_enabled=data["reactions_enabled"],
            results_to_participants=data["results_to_participants"],
            attached_to=data["attached_to"],
        )


class PollForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of poll"), choices=PollKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Question"),
        max_length=POLL_TITLE_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )
    scale_max = forms.IntegerField(
        label=_("Rating scale from 1 to"), min_value=2, max_value=10, initial=5, required=False
    )
    text_display = forms.ChoiceField(
        label=_("Show open answers as"),
        choices=TextDisplay.choices,
        initial=TextDisplay.CLOUD,
        widget=forms.RadioSelect,
        required=False,
    )
    quiz_seconds = forms.IntegerField(
        label=_("Seconds to answer for full points (quiz)"),
        min_value=5,
        max_value=600,
        initial=20,
        required=False,
    )

    time_limit = forms.IntegerField(
        label=_("Time limit in seconds (quiz, optional)"),
        help_text=_(
            "Phones and the big screen count down; answers after the limit are refused and "
            "the question closes by itself."
        ),
        min_value=TIME_LIMIT_MIN,
        max_value=TIME_LIMIT_MAX,
        required=False,
    )

    def __init__(self, *args: Any, poll: Poll | None = None, **kwargs: Any) -> None:
        if poll is not None:
            initial = {
                "kind": poll.kind,
                "title": poll.title,
                "scale_max": poll.scale_max,
                "text_display": poll.text_display,
                "quiz_seconds": poll.quiz_seconds,
                "time_limit": poll.time_limit,
            }
            for index, option in enumerate(poll.options.all(), start=1):
                initial[f"option_{index}"] = option.label
                initial[f"correct_{index}"] = option.is_correct
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for index in range(1, MAX_OPTIONS + 1):
            self.fields[f"option_{index}"] = forms.CharField(
                label=_("Option %(number)s") % {"number": index},
                max_length=OPTION_MAX_LENGTH,
                required=False,
                validators=[no_control_characters, single_line],
            )
            self.fields[f"correct_{index}"] = forms.BooleanField(
                label=_("Correct answer"), required=False
            )

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"option_{i}"], self[f"correct_{i}"]) for i in range(1, MAX_OPTIONS + 1)]

    def options(self) -> list[OptionInput]:
        data = self.cleaned_data
        return [
            OptionInput(data.get(f"option_{i}") or "", bool(data.get(f"correct_{i}")))
            for i in range(1, MAX_OPTIONS + 1)
        ]


def display_name(user: Any) -> str:
    return str(user.display_name)


class CrewForm(forms.Form):
    user = IdChoiceField(label=_("Member"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("No role")), *CrewRole.choices], required=False
    )

    def __init__(self, *args: Any, session: LiveSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(memberships__space=session.activity.space).order_by(
            "display_name"
        )
        field.label_from_instance = display_name  # type: ignore[method-assign,assignment]
