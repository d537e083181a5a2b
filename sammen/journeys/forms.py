from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import IdChoiceField, RadioSelectWithHelp
from sammen.core.validators import no_control_characters, single_line
from sammen.moderation.registry import HIDE_REASON_MAX_LENGTH

from .actions.mapping import TouchpointInput
from .emotions import MAX_WORDS_PER_RATING, WORDS, bits_to_words, faces
from .face_drawing import drawing
from .importing import MAX_IMPORT_BYTES, decode_upload
from .models import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_SEGMENTS,
    MAX_VOLUME,
    SEGMENT_LABEL_MAX_LENGTH,
    SEGMENT_QUESTION_MAX_LENGTH,
    STAGE_NAME_MAX_LENGTH,
    TOUCHPOINT_DESCRIPTION_MAX_LENGTH,
    TOUCHPOINT_NAME_MAX_LENGTH,
    WAVE_LABEL_MAX_LENGTH,
    Audience,
    Channel,
    Journey,
    Performer,
    Preference,
    Rating,
    Respondent,
    Risk,
    Scale,
    Segment,
    Touchpoint,
)
from .starters import STARTERS


class JourneySettingsForm(forms.Form):
    description = forms.CharField(
        label=_("What customers go through"),
        help_text=_(
            "A few words on the experience they rate, and what you will do with their answers."
        ),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audience = forms.ChoiceField(
        label=_("Who may rate"), choices=Audience.choices, widget=forms.RadioSelect
    )
    scale = forms.TypedChoiceField(
        label=_("Emotion scale"),
        choices=Scale.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Shown as faces with words. It cannot change once ratings are in."),
    )
    proposals_allowed = forms.BooleanField(
        label=_("Customers may propose a touchpoint you missed"),
        required=False,
        help_text=_("You approve each one before others see it."),
    )
    ask_recommendation = forms.BooleanField(
        label=_("End with: how likely are you to recommend us (0-10)?"), required=False
    )
    segment_question = forms.CharField(
        label=_("Segment question (optional)"),
        help_text=_("For example: Is this your first visit?"),
        required=False,
        max_length=SEGMENT_QUESTION_MAX_LENGTH,
        validators=[no_control_characters],
    )
    segments = forms.CharField(
        label=_("Its answers, one per line"),
        help_text=_("At least two, at most %(count)s.") % {"count": MAX_SEGMENTS},
        required=False,
        max_length=(SEGMENT_LABEL_MAX_LENGTH + 1) * MAX_SEGMENTS * 2,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_from(cls, journey: Journey) -> dict[str, Any]:
        return {
            "description": journey.description,
            "audience": journey.audience,
            "scale": journey.scale,
            "proposals_allowed": journey.proposals_allowed,
            "ask_recommendation": journey.ask_recommendation,
            "segment_question": journey.segment_question,
            "segments": "\n".join(segment.label for segment in journey.segments.all()),
        }

    def clean_segments(self) -> list[str]:
        return [line for line in self.cleaned_data["segments"].splitlines() if line.strip()]


# The map editor's forms (views/mapping.py).


class StageForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the stage"),
        max_length=STAGE_NAME_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )


class TouchpointForm(forms.Form):
    name = forms.CharField(
        label=_("Touchpoint"),
        help_text=_("What the customer does or meets, in their words: “The welcome at the desk”."),
        max_length=TOUCHPOINT_NAME_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )
    description = forms.CharField(
        label=_("Short description (optional)"),
        required=False,
        max_length=TOUCHPOINT_DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    performer = forms.ChoiceField(label=_("Who does it today"), choices=Performer.choices)
    monthly_volume = forms.IntegerField(
        label=_("Times a month (optional)"),
        help_text=_("About how often it happens: it weighs in the advice on automating."),
        required=False,
        min_value=0,
        max_value=MAX_VOLUME,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    risk = forms.ChoiceField(
        label=_("What goes wrong if it fails"),
        choices=Risk.choices,
        initial=Risk.LOW,
        widget=RadioSelectWithHelp(
            {
                Risk.LOW: _("An annoyance."),
                Risk.MEDIUM: _("A customer loses time or money, or gives up."),
                Risk.HIGH: _("Harm, a lost customer or a broken promise."),
            }
        ),
    )

    @classmethod
    def initial_from(cls, touchpoint: Touchpoint) -> dict[str, Any]:
        return {
            "name": touchpoint.name,
            "description": touchpoint.description,
            "channel": touchpoint.channel,
            "performer": touchpoint.performer,
            "monthly_volume": touchpoint.monthly_volume,
            "risk": touchpoint.risk,
        }

    def to_input(self) -> TouchpointInput:
        return TouchpointInput(**self.cleaned_data)


class HideTouchpointForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you hide it"),
        help_text=_("The other organisers see it, and so does whoever proposed it."),
        max_length=HIDE_REASON_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )


class StarterForm(forms.Form):
    starter = forms.ChoiceField(
        label=_("Start from an example"),
        choices=[(key, starter.title) for key, starter in STARTERS.items()],
        widget=forms.RadioSelect,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("A CSV file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    text = forms.CharField(
        label=_("Or paste the lines here"),
        required=False,
        max_length=MAX_IMPORT_BYTES,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "off", "wrap": "off"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            self.add_error(
                "file",
                _("The file is too large: keep it under %(size)s KB.")
                % {"size": MAX_IMPORT_BYTES // 1000},
            )
        elif upload is None and not cleaned.get("text", "").strip() and not self.errors:
            raise forms.ValidationError(_("Choose a CSV file, or paste its lines."))
        return cleaned

    def csv_text(self) -> str:
        """Return the text to import: the file's (refused unless UTF-8), else the pasted."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return decode_upload(upload.read(MAX_IMPORT_BYTES + 1))
        text: str = self.cleaned_data["text"]
        return text


class WaveForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the new wave (optional)"),
        help_text=_("For example: After the new entrance opened."),
        required=False,
        max_length=WAVE_LABEL_MAX_LENGTH,
        validators=[no_control_characters, single_line],
    )


# Rating


class FacesWidget(forms.RadioSelect):
    """The emotion scale: each option a large face (face_drawing.py) with its word, never
    colour alone. The radio buttons stay real, so keys and screen readers use them as such."""

    template_name = "journeys/widgets/faces.html"
    option_template_name = "journeys/widgets/face_option.html"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.points = 7

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["drawing"] = drawing(int(value), self.points)
        return option


class ChipsRadio(forms.RadioSelect):
    """Radio buttons drawn as large chips in a row that wraps (the preference, a segment)."""

    template_name = "journeys/widgets/chips.html"
    option_template_name = "journeys/widgets/chip_option.html"
    variant = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["variant"] = self.variant
        return context


class ScaleChips(ChipsRadio):
    """The eleven numbers from 0 to 10, in one row on a wide screen and two on a phone."""

    variant = "scale"


class WordChips(forms.CheckboxSelectMultiple):
    """Checkboxes drawn as chips, two to a row: the emotion words side by side in pairs."""

    template_name = "journeys/widgets/chips.html"
    option_template_name = "journeys/widgets/chip_option.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["variant"] = "pairs"
        return context


class RatingForm(forms.Form):
    """How a participant felt at one touchpoint. Only the face is needed to save."""

    score = forms.TypedChoiceField(
        label=_("How did you feel here?"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=FacesWidget,
    )
    words = forms.MultipleChoiceField(
        label=_("Words that fit (optional)"),
        choices=[(word.key, word.label) for word in WORDS],
        required=False,
        widget=WordChips,
        error_messages={"invalid_choice": _("Choose words from the list.")},
    )
    preference = forms.ChoiceField(
        label=_("Here I would rather deal with…"),
        choices=[
            (Preference.PERSON, _("a person")),
            (Preference.MACHINE, _("a machine")),
            (Preference.NONE, _("no preference")),
        ],
        required=False,
        widget=ChipsRadio,
        error_messages={"invalid_choice": _("Choose a person, a machine or no preference.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, scale: int, touchpoint: Touchpoint, **kwargs: Any) -> None:
        # Ids of its own per card, so htmx swapping in the next card keeps nothing of this one.
        kwargs.setdefault("auto_id", f"touchpoint-{touchpoint.pk}-%s")
        super().__init__(*args, **kwargs)
        scale_faces = faces(scale)
        score = self.fields["score"]
        assert isinstance(score, forms.TypedChoiceField)
        score.choices = [(str(face.score), face.label) for face in scale_faces]
        score.error_messages["invalid_choice"] = _("Choose one of the %(count)s faces.") % {
            "count": len(scale_faces)
        }
        assert isinstance(score.widget, FacesWidget)
        score.widget.points = len(scale_faces)
        # Messages with numbers are made here, in the language of the request.
        self.fields["words"].help_text = _("Up to %(count)s.") % {"count": MAX_WORDS_PER_RATING}
        self.fields["comment"].error_messages["max_length"] = _(
            "Keep your comment under %(count)s characters."
        ) % {"count": COMMENT_MAX_LENGTH}

    @classmethod
    def initial_from(cls, rating: Rating | None) -> dict[str, Any]:
        if rating is None or rating.score is None:
            return {}
        return {
            "score": rating.score,
            "words": [word.key for word in bits_to_words(rating.words)],
            "preference": rating.preference,
            "comment": rating.comment,
        }

    def clean_words(self) -> list[str]:
        words: list[str] = self.cleaned_data["words"]
        if len(set(words)) > MAX_WORDS_PER_RATING:
            raise forms.ValidationError(
                _("Choose at most %(count)s words.") % {"count": MAX_WORDS_PER_RATING}
            )
        return words

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("score") is None and "score" not in self.errors:
            self.add_error(
                "score", _("Choose the face that fits, or say you didn't go through this.")
            )
        return cleaned


RECOMMENDATION_CHOICES = [(str(number), str(number)) for number in range(11)]


class ClosingForm(forms.Form):
    """The questions at the end: the organiser's segment question and 0-10 to recommend.

    Only the questions the journey asks are fields; each may stay unanswered.
    """

    segment = IdChoiceField(
        queryset=Segment.objects.none(),
        required=False,
        empty_label=None,
        widget=ChipsRadio,
        error_messages={"invalid_choice": _("Choose one of the answers offered.")},
    )
    recommendation = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        help_text=_("0 is not at all likely, 10 is extremely likely."),
        choices=RECOMMENDATION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=ScaleChips,
        error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
    )

    def __init__(self, *args: Any, journey: Journey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segment = self.fields["segment"]
        assert isinstance(segment, IdChoiceField)
        if journey.segment_question:
            segment.queryset = journey.segments.all()
            segment.label = journey.segment_question
        else:
            del self.fields["segment"]
        if not journey.ask_recommendation:
            del self.fields["recommendation"]

    @classmethod
    def initial_from(cls, respondent: Respondent | None) -> dict[str, Any]:
        if respondent is None:
            return {}
        return {"segment": respondent.segment_id, "recommendation": respondent.recommendation}


class ProposalForm(forms.Form):
    """A touchpoint a participant missed between this one and the next."""

    name = forms.CharField(
        label=_("What is missing?"),
        help_text=_("For example: Finding a place to park"),
        max_length=TOUCHPOINT_NAME_MAX_LENGTH,
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("A few words on it (optional)"),
        required=False,
        max_length=TOUCHPOINT_DESCRIPTION_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    channel = forms.ChoiceField(
        label=_("Where does it happen?"), choices=Channel.choices, initial=Channel.IN_PERSON
    )
