import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant, User
from sammen.activities.forms import DATETIME_FORMAT, DateTimeLocalInput
from sammen.core.forms import IdChoiceField, IdsChoiceField, MultipleImagesField
from sammen.core.http import parse_ids
from sammen.core.images import reencode_image
from sammen.core.markdown import MARKDOWN_HELP
from sammen.core.validators import no_control_characters, single_line

from .actions import MAX_REVIEW_DATES, ImageInput
from .co_authors import co_author_candidates
from .models import (
    ANSWER_MAX_LENGTH,
    ANSWER_STATUSES,
    BODY_MAX_LENGTH,
    MAX_CRITERIA,
    MAX_IMAGES_PER_IDEA,
    MAX_MOMENTUM_STAGES,
    RULES_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Call,
    Criterion,
    Idea,
    IdeaStatus,
    Stage,
    Supporters,
)

IDEA_IMAGE_MAX_SIDE = 1600
COVER_MAX_SIDE = 2000


class NamedChoiceField(IdsChoiceField):
    """Offer people by the name others see, never by email."""

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "public_name", None) or obj.display_name)


def rules_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=RULES_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CallRulesForm(forms.Form):
    description = rules_field(
        _("What are you asking for?"),
        _("Invite people in: what you want to create together and why it matters."),
    )
    scope = rules_field(_("What is in scope"), _("What ideas fit, and what falls outside."))
    criteria = rules_field(
        _("What ideas are judged on"), _("The criteria you and the jury will use, in plain words.")
    )
    after_selection = rules_field(
        _("What happens to selected ideas"), _("What you will do with them, and by when.")
    )
    reward = rules_field(
        _("What participants get"),
        _(
            "The real reward: a ticket, credit as co-creator, a share of sales, "
            "a thank-you evening."
        ),
    )
    supporters = forms.ChoiceField(
        label=_("Who may support ideas"),
        choices=Supporters.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Asking for an account is the most common reason people do not take part. "
            "A verified email or one support per browser keeps it light."
        ),
    )
    blind = forms.BooleanField(
        label=_("Blind mode: hide authors' names until their idea is answered"),
        required=False,
        help_text=_("So ideas are judged on their merit, by everyone, the jury included."),
    )
    cover = forms.ImageField(label=_("Cover image"), required=False)
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    def clean_cover(self) -> ContentFile | None:
        upload = self.cleaned_data.get("cover")
        return reencode_image(upload, max_side=COVER_MAX_SIDE) if upload else None

    @classmethod
    def initial_from(cls, call: Call) -> dict[str, Any]:
        return {
            field: getattr(call, field)
            for field in [
                "description",
                "scope",
                "criteria",
                "after_selection",
                "reward",
                "supporters",
                "blind",
            ]
        }


class CallScheduleForm(forms.Form):
    submission_ends_at = forms.DateTimeField(
        label=_("Submissions close"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty to keep accepting ideas until you move on by hand."),
    )
    support_ends_at = forms.DateTimeField(
        label=_("Support closes"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
    )
    review_ends_at = forms.DateTimeField(
        label=_("Review ends"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
    )
    stage_override = forms.ChoiceField(
        label=_("Current stage"),
        choices=[("", _("Follow the dates")), *Stage.choices],
        required=False,
        help_text=_("Move to a stage by hand, whatever the dates say."),
    )
    submissions_paused = forms.BooleanField(label=_("Pause submissions"), required=False)

    @classmethod
    def initial_from(cls, call: Call) -> dict[str, Any]:
        return {
            field: getattr(call, field)
            for field in [
                "submission_ends_at",
                "support_ends_at",
                "review_ends_at",
                "stage_override",
                "submissions_paused",
            ]
        }


class MomentumForm(forms.Form):
    supports_needed = forms.IntegerField(
        label=_("Supports"), required=False, min_value=1, max_value=10_000_000
    )
    within_days = forms.IntegerField(
        label=_("Within days"), required=False, min_value=1, max_value=3650
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("supports_needed") is None) != (cleaned.get("within_days") is None):
            raise forms.ValidationError(_("Give both the supports and the days, or neither."))
        return cleaned


class BaseMomentumFormSet(forms.BaseFormSet):
    def stages(self) -> list[tuple[int, int]]:
        return [
            (form.cleaned_data["supports_needed"], form.cleaned_data["within_days"])
            for form in self.forms
            if form.cleaned_data.get("supports_needed") is not None
        ]


MomentumFormSet = forms.formset_factory(
    MomentumForm,
    formset=BaseMomentumFormSet,
    extra=0,
    max_num=MAX_MOMENTUM_STAGES,
    absolute_max=MAX_MOMENTUM_STAGES,
    validate_max=True,
)


def momentum_formset(data: Any, call: Call) -> BaseMomentumFormSet:
    saved = [
        {"supports_needed": stage.supports_needed, "within_days": stage.within_days}
        for stage in call.momentum_stages.all()
    ]
    blank: list[dict[str, Any]] = [{} for _row in range(min(3, MAX_MOMENTUM_STAGES - len(saved)))]
    return cast(
        BaseMomentumFormSet,
        MomentumFormSet(data, initial=None if data else saved + blank, prefix="momentum"),
    )


class ReviewDateForm(forms.Form):
    date = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BaseReviewDateFormSet(forms.BaseFormSet):
    def dates(self) -> list[Any]:
        return [form.cleaned_data["date"] for form in self.forms if form.cleaned_data.get("date")]


ReviewDateFormSet = forms.formset_factory(
    ReviewDateForm,
    formset=BaseReviewDateFormSet,
    extra=0,
    max_num=MAX_REVIEW_DATES,
    absolute_max=MAX_REVIEW_DATES,
    validate_max=True,
)


def review_date_formset(data: Any, call: Call) -> BaseReviewDateFormSet:
    saved = [{"date": review.date} for review in call.review_dates.all()]
    blank: list[dict[str, Any]] = [{} for _row in range(min(2, MAX_REVIEW_DATES - len(saved)))]
    return cast(
        BaseReviewDateFormSet,
        ReviewDateFormSet(data, initial=None if data else saved + blank, prefix="reviews"),
    )


class CriterionForm(forms.Form):
    name = forms.CharField(
        label=_("Criterion"),
        max_length=100,
        required=False,
        validators=[no_control_characters, single_line],
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, required=False)


class BaseCriterionFormSet(forms.BaseFormSet):
    def criteria(self) -> list[tuple[str, int]]:
        return [
            (form.cleaned_data["name"], form.cleaned_data.get("weight") or 1)
            for form in self.forms
            if form.cleaned_data.get("name")
        ]

    def clean(self) -> None:
        super().clean()
        names = [name for name, _weight in self.criteria()]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Give each criterion its own name."))


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=0,
    max_num=MAX_CRITERIA,
    absolute_max=MAX_CRITERIA,
    validate_max=True,
)


def criterion_formset(data: Any, call: Call) -> BaseCriterionFormSet:
    saved = [{"name": c.name, "weight": c.weight} for c in call.jury_criteria.all()]
    blank: list[dict[str, Any]] = [{} for _row in range(min(2, MAX_CRITERIA - len(saved)))]
    return cast(
        BaseCriterionFormSet,
        CriterionFormSet(data, initial=None if data else saved + blank, prefix="criteria"),
    )


class EvaluatorsForm(forms.Form):
    evaluators = NamedChoiceField(
        label=_("Evaluators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who score the ideas in review, privately."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["evaluators"]).queryset = members


def images_help(room: int) -> str:
    """Say what the image input takes when `room` new images fit."""
    if room == 0:
        return ngettext(
            "This idea has %(count)s image, the most it can have: to add one, tick “Remove” "
            "beside it above.",
            "This idea has %(count)s images, the most it can have: to add one, tick “Remove” "
            "beside one of them above.",
            MAX_IMAGES_PER_IDEA,
        ) % {"count": MAX_IMAGES_PER_IDEA}
    sizes = ngettext(
        "%(count)s JPEG, PNG, WebP or GIF image of at most %(size)s MB.",
        "Up to %(count)s JPEG, PNG, WebP or GIF images of at most %(size)s MB "
        "each: choose them together.",
        room,
    ) % {"count": room, "size": settings.SAMMEN_MAX_IMAGE_BYTES // 2**20}
    if room == MAX_IMAGES_PER_IDEA:  # nothing is kept: nothing to remove
        return sizes
    return sizes + " " + gettext("To add more, tick “Remove” beside one of the images above.")


def too_many_images(room: int) -> str:
    """Say that more images were chosen than the `room` left, and what to do."""
    if room == 0:
        return gettext(
            "This idea has no room for another image: tick “Remove” beside one of its images "
            "above, or choose none."
        )
    if room == MAX_IMAGES_PER_IDEA:
        return ngettext(
            "There is room for %(count)s image: choose fewer.",
            "There is room for %(count)s images: choose fewer.",
            room,
        ) % {"count": room}
    return ngettext(
        "There is room for %(count)s image: choose fewer, or tick “Remove” beside another "
        "image above.",
        "There is room for %(count)s images: choose fewer, or tick “Remove” beside another "
        "image above.",
        room,
    ) % {"count": room}


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters, single_line],
        help_text=_("Your idea in one line."),
    )
    body = forms.CharField(
        label=_("Your idea"),
        max_length=BODY_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    builds_on = IdChoiceField(
        label=_("Builds on"),
        queryset=Idea.objects.none(),
        required=False,
        empty_label=_("No other idea"),
        help_text=_("Does your idea grow out of someone else's? Say which, so both are linked."),
    )
    co_authors = NamedChoiceField(
        label=_("Co-authors"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        call: Call,
        author: Participant,
        idea: Idea | None = None,
        images_now: int = 0,
        **kwargs: Any,
    ) -> None:
        """`images_now`: how many images the idea has (none for a new one). Ticking
        "Remove" on some makes room for as many new ones, in the same post."""
        super().__init__(*args, **kwargs)
        others = Idea.objects.filter(call=call, hidden_at__isnull=True).exclude(
            status__in=[IdeaStatus.WITHDRAWN]
        )
        if idea is not None:
            others = others.exclude(pk=idea.pk)
            del self.fields["co_authors"]
            self.fields["remove_image"] = IdsChoiceField(
                queryset=idea.images.all(),
                required=False,
                error_messages={
                    "invalid_choice": _("That image is not part of this idea."),
                    "invalid_pk_value": _("That image is not part of this idea."),
                },
            )
        else:
            co_authors = cast(forms.ModelMultipleChoiceField, self.fields["co_authors"])
            co_authors.queryset = co_author_candidates(call, author)
        builds_on = cast(forms.ModelChoiceField, self.fields["builds_on"])
        builds_on.queryset = others.order_by("title")
        self.images_now = images_now
        # However many images the idea has, removing them all makes room for three: the
        # input and a description for each show, and `clean` counts what is kept.
        self.fields["images"] = MultipleImagesField(
            label=_("Images (optional)"),
            required=False,
            max_files=MAX_IMAGES_PER_IDEA,
            max_side=IDEA_IMAGE_MAX_SIDE,
            help_text=images_help(self.room(self.ticked())),
        )
        for number in range(1, MAX_IMAGES_PER_IDEA + 1):
            self.fields[f"image_description_{number}"] = forms.CharField(
                label=_("What image %(number)s shows") % {"number": number},
                max_length=200,
                required=False,
                validators=[no_control_characters, single_line],
                widget=forms.TextInput(attrs={"aria-describedby": "image-descriptions-help"}),
            )

    def ticked(self) -> list[int]:
        """Return the ids of the images ticked for removal in the data sent, if any."""
        if not self.is_bound or "remove_image" not in self.fields:
            return []
        return parse_ids(self["remove_image"].data or [], limit=MAX_IMAGES_PER_IDEA) or []

    def room(self, removed: list[Any]) -> int:
        """Return how many new images fit once `removed` are gone."""
        return max(MAX_IMAGES_PER_IDEA - max(self.images_now - len(removed), 0), 0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("images") or []
        # A removal that did not clean (not this idea's image) makes no room.
        room = self.room(list(cleaned.get("remove_image") or []))
        if len(chosen) > room:
            self.add_error(
                "images",
                forms.ValidationError(
                    ngettext(
                        "You chose %(count)s image.", "You chose %(count)s images.", len(chosen)
                    )
                    % {"count": len(chosen)}
                    + " "
                    + too_many_images(room),
                    code="full",
                ),
            )
        return cleaned

    def chosen_images(self) -> list[ImageInput]:
        """Return the chosen images, each with the description given in its place."""
        return [
            ImageInput(content, self.cleaned_data.get(f"image_description_{number}", ""))
            for number, content in enumerate(self.cleaned_data.get("images", []), start=1)
        ]

    def image_descriptions(self) -> list[forms.BoundField]:
        return [self[f"image_description_{number}"] for number in range(1, MAX_IMAGES_PER_IDEA + 1)]

    def images_to_choose_again(self) -> bool:
        """Return whether images came with a form that comes back: the browser drops them."""
        return bool(self.is_bound and self.errors and self.files.getlist("images"))

    def image_room_texts(self) -> str:
        """Return, as JSON, the help and the warning for each number of free places the
        ticked removals can leave: sammen.js shows the ones that fit as they change."""
        rooms = range(self.room([]), MAX_IMAGES_PER_IDEA + 1)
        return json.dumps({room: [images_help(room), too_many_images(room)] for room in rooms})

    def text_fields(self) -> list[forms.BoundField]:
        # Co-authors are found by name in a picker of their own (calls/idea_form.html).
        names = ["title", "body", "builds_on"]
        return [self[name] for name in names if name in self.fields]


class AnswerIdeaForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("noun", "Answer"),
        choices=[(status.value, status.label) for status in ANSWER_STATUSES],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Why, in public"),
        max_length=ANSWER_MAX_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Everyone can read it. Say why, and what happens next."),
    )


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(value, str(value)) for value in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.criteria = criteria

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class SupportEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link. Click it and your support counts. No password needed."),
    )
