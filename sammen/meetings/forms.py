from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sammen.accounts.email_links import EMAIL_MAX_LENGTH
from sammen.core.forms import IdsChoiceField, PlannedDateTimeField
from sammen.core.http import parse_int
from sammen.core.validators import no_control_characters, single_line

from .actions.design import URL_MAX_LENGTH, CostInput, ObjectiveInput, SessionInput
from .actions.follow_ups import Estimate, FollowUpInput
from .attendees import SEARCH_MAX_LENGTH
from .models import (
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_AMOUNT,
    MAX_CAPACITY,
    NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Applied,
    Audience,
    CostCategory,
    CostLine,
    Format,
    Frequency,
    ImpactEstimate,
    Level,
    Meeting,
    Objective,
    RegistrationState,
    Session,
)
from .widgets import ChipsRadio, FacesRadio

CODE_MAX_LENGTH = 32


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(PlannedDateTimeField):
    """A moment typed into a datetime-local box, in the site's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class MeetingSettingsForm(forms.Form):
    description = forms.CharField(
        label=_("What the meeting is for"),
        help_text=_("Why it should exist, for whom, and what they will take home."),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_at = LocalDateTimeField(label=_("Starts"), required=False)
    ends_at = LocalDateTimeField(label=_("Ends"), required=False)
    venue = forms.CharField(
        label=_("Venue"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        validators=[no_control_characters],
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Leave empty for no limit. When it is full, people join a waiting list."),
    )
    audience = forms.ChoiceField(
        label=_("Who may register"), choices=Audience.choices, widget=forms.RadioSelect
    )
    registration_open = forms.BooleanField(label=_("Registration is open"), required=False)
    follow_up_days = forms.CharField(
        label=_("Follow up after (days)"),
        help_text=_("Attendees are asked what they applied, e.g. 30, 90."),
        required=False,
        max_length=40,
    )

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict[str, Any]:
        return {
            "description": meeting.description,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "venue": meeting.venue,
            "online_url": meeting.online_url,
            "capacity": meeting.capacity,
            "audience": meeting.audience,
            "registration_open": meeting.registration_open,
            "follow_up_days": ", ".join(str(day) for day in meeting.follow_up_days),
        }

    def clean_follow_up_days(self) -> list[int]:
        text = self.cleaned_data["follow_up_days"].replace(";", ",")
        days = []
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            day = parse_int(part, high=9999)
            if day is None:
                raise forms.ValidationError(
                    _("Write whole numbers of days, separated by commas, such as 30, 90.")
                )
            days.append(day)
        return days


# The design: objectives, the programme, costs and intangible benefits.

LINE = [no_control_characters, single_line]


class ObjectiveForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=Level.choices,
        help_text=_(
            "Reaction: how people feel about it. Learning: what they know or can do at the "
            "end. Application: what they do differently weeks later. Impact: the business "
            "figure that changes."
        ),
    )
    text = forms.CharField(
        label=_("Objective"),
        max_length=TEXT_MAX_LENGTH,
        validators=LINE,
        widget=forms.TextInput(
            attrs={"placeholder": _("For example: partners can run a co-creation workshop")}
        ),
    )
    measure = forms.CharField(
        label=_("Measure"),
        help_text=_("What you count or ask, such as “share who rate the day 4 or 5”."),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=LINE,
    )
    target = forms.DecimalField(
        label=_("Target"),
        required=False,
        min_value=-Decimal(MAX_AMOUNT),
        max_value=Decimal(MAX_AMOUNT),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )
    how_measured = forms.CharField(
        label=_("How it will be measured"),
        help_text=_("Who is asked what, and when: at the end, after 30 days, from sales figures…"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=LINE,
    )

    @classmethod
    def initial_from(cls, objective: Objective) -> dict[str, Any]:
        return {
            "level": objective.level,
            "text": objective.text,
            "measure": objective.measure,
            "target": objective.target,
            "how_measured": objective.how_measured,
        }

    def to_input(self) -> ObjectiveInput:
        data = self.cleaned_data
        return ObjectiveInput(
            level=data["level"],
            text=data["text"],
            measure=data["measure"],
            target=data["target"],
            how_measured=data["how_measured"],
        )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX_LENGTH, validators=LINE)
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    audience_minutes = forms.IntegerField(
        label=_("Minutes for the audience"),
        help_text=_("How long the audience speaks: questions, discussion, work in groups."),
        min_value=0,
        max_value=24 * 60,
        initial=0,
    )
    room = forms.CharField(
        label=_("Room"), required=False, max_length=PLACE_MAX_LENGTH, validators=LINE
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=URL_MAX_LENGTH, assume_scheme="https"
    )
    speaker = forms.CharField(
        label=_("Speaker"), required=False, max_length=NAME_MAX_LENGTH, validators=LINE
    )
    objectives = IdsChoiceField(
        label=_("Objectives it serves"),
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objectives"]
        assert isinstance(field, IdsChoiceField)
        field.queryset = Objective.objects.filter(meeting=meeting)
        if not field.queryset.exists():
            del self.fields["objectives"]

    @classmethod
    def initial_from(cls, session: Session) -> dict[str, Any]:
        return {
            "title": session.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "format": session.format,
            "audience_minutes": session.audience_minutes,
            "room": session.room,
            "online_url": session.online_url,
            "speaker": session.speaker,
            "objectives": [objective.pk for objective in session.objectives.all()],
        }

    @classmethod
    def initial_after(cls, meeting: Meeting, sessions: list[Session]) -> dict[str, Any]:
        """Start a new session where the programme ends, or when the meeting starts."""
        starts: datetime | None = sessions[-1].ends_at if sessions else meeting.starts_at
        if starts is None:
            return {"format": Format.WORKSHOP}
        return {
            "format": Format.WORKSHOP,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            room=data["room"],
            online_url=data["online_url"],
            speaker=data["speaker"],
            format=data["format"],
            audience_minutes=data["audience_minutes"],
            objective_ids=tuple(objective.pk for objective in data.get("objectives", [])),
        )


class CostLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    description = forms.CharField(
        label=_("What"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=LINE,
        widget=forms.TextInput(attrs={"placeholder": _("For example: the hall, a whole day")}),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_AMOUNT),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )

    @classmethod
    def initial_from(cls, line: CostLine) -> dict[str, Any]:
        return {"category": line.category, "description": line.description, "amount": line.amount}

    def to_input(self) -> CostInput:
        data = self.cleaned_data
        return CostInput(
            category=data["category"], amount=data["amount"], description=data["description"]
        )


class IntangibleForm(forms.Form):
    text = forms.CharField(
        label=_("Benefit"),
        help_text=_("Something the meeting brings that you will not turn into money."),
        max_length=TEXT_MAX_LENGTH,
        validators=LINE,
        widget=forms.TextInput(
            attrs={"placeholder": _("For example: partners trust each other more")}
        ),
    )


# Registration and check-in.


class RegistrationForm(forms.Form):
    """A name for the badge, and for visitors without an account an address to confirm."""

    name = forms.CharField(
        label=_("Your name"),
        help_text=_("As it should appear on your badge."),
        max_length=NAME_MAX_LENGTH,
        validators=[no_control_characters],
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_(
            "We email you a link to confirm it. The organisers see your name and this address."
        ),
        max_length=EMAIL_MAX_LENGTH,
    )

    def __init__(self, *args: Any, with_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_email:
            del self.fields["email"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if with_email:
            self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give your name, as it should appear on your badge."))
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class DoorSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or email"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        help_text=_("The letters and digits under the attendee's QR code."),
        max_length=CODE_MAX_LENGTH,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]+$", _("This is not a registration code. Check it and try again.")
            )
        ],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class RegistrationListForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everyone")), *RegistrationState.choices],
    )
    q = forms.CharField(
        label=_("Name or email"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(),
    )


# What attendees answer: a session's rating, learning, the planned action, the follow-up.

RATING_WORDS = {
    1: _("Very poor"),
    2: _("Poor"),
    3: _("OK"),
    4: _("Good"),
    5: _("Excellent"),
}
LEARNING_WORDS = {
    1: _("Not at all"),
    2: _("A little"),
    3: _("Fairly well"),
    4: _("Well"),
    5: _("Very well"),
}


def percent_label(percent: int) -> str:
    return _("%(percent)s%%") % {"percent": percent}


PERCENT_CHOICES = [(step, lazy(percent_label, str)(step)) for step in range(0, 101, 10)]


def score_field(
    label: Any, words: dict[int, Any], widget: type[forms.Widget], **kwargs: Any
) -> Any:
    """A choice from 1 to 5, compared as written: " 4" or "٤" is no answer."""
    return forms.TypedChoiceField(
        label=label,
        choices=list(words.items()),
        coerce=int,
        widget=widget,
        error_messages={
            "required": _("Choose an answer from 1 to 5."),
            "invalid_choice": _("Choose an answer from 1 to 5."),
        },
        **kwargs,
    )


def percent_field(label: Any, **kwargs: Any) -> Any:
    return forms.TypedChoiceField(
        label=label,
        choices=PERCENT_CHOICES,
        coerce=int,
        empty_value=None,
        widget=ChipsRadio(variant="percent"),
        error_messages={
            "required": _("Choose a percentage from 0 to 100."),
            "invalid_choice": _("Choose a percentage from 0 to 100, in steps of 10."),
        },
        **kwargs,
    )


def answer_text_field(label: Any, *, required: bool = False, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=ANSWER_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class SessionRatingForm(forms.Form):
    score = score_field(_("How was this session for you?"), RATING_WORDS, FacesRadio)
    comment = answer_text_field(_("Anything to add? (optional)"))

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        # Ids of its own per session: the end page shows several of these forms.
        kwargs.setdefault("auto_id", f"session-{session.pk}-%s")
        super().__init__(*args, **kwargs)


class LearningAnswerForm(forms.Form):
    value = score_field(_("How well can you do this now?"), LEARNING_WORDS, ChipsRadio)

    def __init__(self, *args: Any, objective: Objective, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"objective-{objective.pk}-%s")
        super().__init__(*args, **kwargs)


class LearningBeforeForm(forms.Form):
    """The learning objectives asked before the meeting, each optional, on one page."""

    def __init__(self, *args: Any, objectives: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            self.fields[f"objective_{objective.pk}"] = score_field(
                objective.text, LEARNING_WORDS, ChipsRadio, required=False, empty_value=None
            )

    def questions(self) -> list[tuple[Objective, Any]]:
        return [(objective, self[f"objective_{objective.pk}"]) for objective in self.objectives]

    def answers(self) -> dict[Objective, int]:
        return {
            objective: value
            for objective in self.objectives
            if (value := self.cleaned_data.get(f"objective_{objective.pk}")) is not None
        }


class PlannedActionForm(forms.Form):
    text = answer_text_field(
        _("What will you do differently after this meeting?"),
        required=True,
        help_text=_("In your own words: one thing you will start, stop or change."),
        error_messages={"required": _("Write what you will do differently, in your own words.")},
    )
    confidence = percent_field(_("How confident are you that you will do it?"))


def earlier_estimate_text(estimate: ImpactEstimate) -> str:
    """Say what the attendee estimated in an earlier round, and that a new one replaces it."""
    return ngettext(
        "In the follow-up after %(days)s day you estimated that %(contribution)s%% of the "
        "change came from the meeting, and you were %(confidence)s%% sure. A new estimate "
        "replaces that one; leave both empty to keep it.",
        "In the follow-up after %(days)s days you estimated that %(contribution)s%% of the "
        "change came from the meeting, and you were %(confidence)s%% sure. A new estimate "
        "replaces that one; leave both empty to keep it.",
        estimate.days,
    ) % {
        "days": estimate.days,
        "contribution": estimate.contribution,
        "confidence": estimate.confidence,
    }


class FollowUpForm(forms.Form):
    """Whether the planned action happened, and the meeting's share in each business measure."""

    applied = forms.ChoiceField(
        label=_("Have you done what you planned?"),
        choices=Applied.choices,
        widget=ChipsRadio,
        error_messages={
            "required": _("Say whether you applied it: yes, partly or not yet."),
            "invalid_choice": _("Say whether you applied it: yes, partly or not yet."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        help_text=_("If you did, at least partly."),
        choices=Frequency.choices,
        required=False,
        widget=ChipsRadio,
        error_messages={"invalid_choice": _("Say how often: once, sometimes or often.")},
    )
    helped = answer_text_field(_("What helped you? (optional)"))
    hindered = answer_text_field(_("What got in the way? (optional)"))
    share_name = forms.BooleanField(
        label=_("The organisers may see my name with these answers"),
        help_text=_("Otherwise they read your answers without your name."),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        objectives: list[Objective],
        earlier: Mapping[int, ImpactEstimate] | None = None,
        **kwargs: Any,
    ) -> None:
        """`earlier`: the attendee's own estimates from another round, by objective id."""
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            given = (earlier or {}).get(objective.pk)
            self.fields[f"contribution_{objective.pk}"] = percent_field(
                _("How much of this change came from the meeting, in your estimate?"),
                required=False,
                help_text=earlier_estimate_text(given) if given else "",
            )
            self.fields[f"confidence_{objective.pk}"] = percent_field(
                _("How sure are you of that estimate?"), required=False
            )

    def estimates_asked(self) -> list[tuple[Objective, Any, Any]]:
        return [
            (objective, self[f"contribution_{objective.pk}"], self[f"confidence_{objective.pk}"])
            for objective in self.objectives
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        applied = data.get("applied")
        if applied and applied != Applied.NO and not data.get("frequency"):
            self.add_error("frequency", _("Say how often: once, sometimes or often."))
        for objective in self.objectives:
            contribution = data.get(f"contribution_{objective.pk}")
            confidence = data.get(f"confidence_{objective.pk}")
            if (contribution is None) != (confidence is None):
                self.add_error(
                    f"confidence_{objective.pk}" if confidence is None else None,
                    _("Give both: the meeting's share of the change, and how sure you are."),
                )
        return data

    def to_input(self) -> FollowUpInput:
        data = self.cleaned_data
        estimates = {}
        for objective in self.objectives:
            contribution = data.get(f"contribution_{objective.pk}")
            confidence = data.get(f"confidence_{objective.pk}")
            if contribution is not None and confidence is not None:
                estimates[objective.pk] = Estimate(contribution, confidence)
        return FollowUpInput(
            applied=data["applied"],
            frequency=data.get("frequency") or "",
            helped=data.get("helped") or "",
            hindered=data.get("hindered") or "",
            share_name=bool(data.get("share_name")),
            estimates=estimates,
        )
