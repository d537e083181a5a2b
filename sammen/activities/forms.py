from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import PlannedDateTimeField
from sammen.core.validators import no_control_characters, single_line

from .actions import MeasureInput
from .kinds import installed_kinds
from .models import (
    ANSWER_MAX_LENGTH,
    BRIEF_LABELS,
    BRIEF_TEXT_MAX_LENGTH,
    MAX_SUCCESS_MEASURES,
    MEASURE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Activity,
    Brief,
)
from .selfcheck import NO, YES, questions

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def kind_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Decide after writing the brief")),
        *[(kind.key, kind.label) for kind in installed_kinds()],
    ]


class NewActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters, single_line],
        help_text=_("Say what you want to create together, in a few words."),
    )
    kind = forms.ChoiceField(label=_("Format"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kind_choices()


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class ActivitySettingsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists of activities."),
    )
    opens_at = PlannedDateTimeField(
        label=_("Planned opening"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
    )
    closes_at = PlannedDateTimeField(
        label=_("Planned closing"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing date must come after the opening date."))
        return cleaned


def brief_text_field(
    label: Any, help_text: Any, placeholder: Any, rows: int = 3
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=BRIEF_TEXT_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": rows, "placeholder": placeholder}),
    )


ANSWER_CHOICES = [(YES, _("Yes")), (NO, _("No")), ("", _("Not sure yet"))]


class BriefForm(forms.Form):
    """The why-first brief: each part may stay empty while drafting."""

    goal = brief_text_field(
        BRIEF_LABELS["goal"],
        _("What should be different when this activity is over?"),
        _("For example: an exhibition that visitors recognise as partly theirs."),
    )
    business_challenge = brief_text_field(
        BRIEF_LABELS["business_challenge"],
        _("What problem of your organisation does this help solve?"),
        _("For example: young adults rarely visit, and we do not know what would draw them."),
    )
    audience = brief_text_field(
        BRIEF_LABELS["audience"],
        _("Whom do you want to hear from? Be specific."),
        _("For example: people aged 18 to 30 who live in the city."),
        rows=2,
    )
    audience_insight = brief_text_field(
        BRIEF_LABELS["audience_insight"],
        _("What is in it for them? What do they get, feel or change?"),
        _("For example: their story on display, credit in the exhibition, free entry."),
    )
    audience_challenge = brief_text_field(
        BRIEF_LABELS["audience_challenge"],
        _("What do they struggle with that this touches?"),
        _("For example: museums feel like places that are not made for them."),
    )
    channels = brief_text_field(
        BRIEF_LABELS["channels"],
        _("How will you reach them, and in which formats will they take part?"),
        _("For example: an open call online, posters at the station, an evening in the museum."),
    )
    channels_reason = brief_text_field(
        BRIEF_LABELS["channels_reason"],
        _("Why are these the best ways to reach the goal, and not others?"),
        _("For example: they meet us online first; the evening lets us thank them in person."),
    )
    kind = forms.ChoiceField(label=_("Format on Sammen"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kind_choices()
        for question in questions():
            self.fields[f"check_{question.key}"] = forms.ChoiceField(
                label=question.text,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    @classmethod
    def initial_from(cls, activity: Activity) -> dict[str, Any]:
        brief: Brief = activity.brief
        initial: dict[str, Any] = {part: getattr(brief, part) for part in Brief.TEXT_PARTS}
        initial["kind"] = activity.kind
        for question in questions():
            initial[f"check_{question.key}"] = brief.self_check.get(question.key, "")
        return initial

    def texts(self) -> dict[str, str]:
        return {part: self.cleaned_data.get(part, "") for part in Brief.TEXT_PARTS}

    def self_check(self) -> dict[str, str]:
        return {
            question.key: self.cleaned_data.get(f"check_{question.key}", "")
            for question in questions()
        }

    def text_fields(self) -> list[forms.BoundField]:
        return [self[part] for part in Brief.TEXT_PARTS]

    def check_fields(self) -> list[forms.BoundField]:
        return [self[f"check_{question.key}"] for question in questions()]


class MeasureForm(forms.Form):
    measure = forms.CharField(
        label=_("Measure"),
        max_length=MEASURE_MAX_LENGTH,
        required=False,
        validators=[no_control_characters, single_line],
        widget=forms.TextInput(attrs={"placeholder": _("For example: storylines submitted")}),
    )
    target = forms.DecimalField(
        label=_("Target"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("9999999999"),
        decimal_places=2,
        localize=True,
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        required=False,
        validators=[no_control_characters, single_line],
        widget=forms.TextInput(attrs={"placeholder": _("people, %, ideas…")}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_measure = bool(cleaned.get("measure"))
        has_target = cleaned.get("target") is not None
        if has_measure and not has_target and "target" not in self.errors:
            self.add_error("target", _("Give the measure a target number."))
        if has_target and not has_measure:
            self.add_error("measure", _("Say what the target counts."))
        if cleaned.get("unit") and not has_measure:
            self.add_error("measure", _("Say what the target counts."))
        return cleaned


class BaseMeasureFormSet(forms.BaseFormSet):
    def measures(self) -> list[MeasureInput]:
        return [
            MeasureInput(
                measure=form.cleaned_data["measure"],
                target=form.cleaned_data["target"],
                unit=form.cleaned_data.get("unit", ""),
            )
            for form in self.forms
            if form.cleaned_data.get("measure")
        ]


MeasureFormSet = forms.formset_factory(
    MeasureForm,
    formset=BaseMeasureFormSet,
    extra=0,
    max_num=MAX_SUCCESS_MEASURES,
    absolute_max=MAX_SUCCESS_MEASURES,
    validate_max=True,
)


def whole_if_integral(number: Decimal) -> Decimal:
    """Return 150 for 150.00, so the form shows what the organiser typed."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def measure_formset(data: Any, activity: Activity) -> BaseMeasureFormSet:
    """Return the measures formset: the saved measures and up to two empty rows."""
    saved = [
        {
            "measure": measure.measure,
            "target": whole_if_integral(measure.target),
            "unit": measure.unit,
        }
        for measure in activity.brief.measures.all()
    ]
    blank_rows = min(2, MAX_SUCCESS_MEASURES - len(saved))
    # A bound formset gets no initial rows: rows equal to their initial value would
    # otherwise count as unchanged and be dropped.
    formset = MeasureFormSet(
        data,
        initial=None if data else saved + [{} for _row in range(blank_rows)],
        prefix="measures",
    )
    return cast(BaseMeasureFormSet, formset)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your public answer"),
        max_length=ANSWER_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What did you learn, what will you do with it, what will you not do, and why? "
            "Everyone who took part can read it."
        ),
    )


class ResultsForm(forms.Form):
    """For each success measure: a figure Sammen counts, or the result measured elsewhere."""

    def __init__(
        self, *args: Any, measures: list[Any], metrics: dict[str, tuple[str, float]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("I enter the result myself")),
            *[(key, f"{label} ({value:g})") for key, (label, value) in metrics.items()],
        ]
        self.measures = measures
        for measure in measures:
            self.fields[f"metric_{measure.pk}"] = forms.ChoiceField(
                label=_("Counted by Sammen as"),
                choices=choices,
                required=False,
                initial=measure.metric,
            )
            self.fields[f"result_{measure.pk}"] = forms.DecimalField(
                label=_("Result"),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal("9999999999"),
                decimal_places=2,
                localize=True,
                initial=measure.result,
            )

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"metric_{m.pk}"], self[f"result_{m.pk}"]) for m in self.measures]

    def results(self) -> dict[int, tuple[str, Decimal | None]]:
        return {
            m.pk: (self.cleaned_data[f"metric_{m.pk}"], self.cleaned_data[f"result_{m.pk}"])
            for m in self.measures
        }
