from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from .http import MAX_ID, parse_id
from .images import ACCEPTED_TYPES, reencode_image


class FormRenderer(TemplatesSetting):
    """Render every form with Sammen's field markup (label, help, inline errors, input)."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class RadioSelectWithHelp(forms.RadioSelect):
    """Radio buttons with a sentence under each option, tied to it by aria-describedby."""

    option_template_name = "forms/radio_option_with_help.html"

    def __init__(self, option_help: Mapping[str, StrOrPromise], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.option_help = dict(option_help)

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["help"] = self.option_help.get(str(value), "")
        if option["help"] and option["attrs"].get("id"):
            option["help_id"] = f"{option['attrs']['id']}_help"
            option["attrs"]["aria-describedby"] = option["help_id"]
        return option


class IdField(forms.IntegerField):
    """The id of a row, as a page sends it: ASCII digits from 1 to MAX_ID, else invalid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdChoiceField(forms.ModelChoiceField):
    """Choose one row by its id; an id no page could send is an invalid choice, not a 500."""

    def to_python(self, value: Any) -> Any:
        is_row = isinstance(value, models.Model)
        if value not in self.empty_values and not is_row and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Choose rows by their ids. Django's own lets a 20-digit id reach the database."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, (list, tuple)) else []:
            if not isinstance(pk, models.Model) and parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super().clean(value)


# Years an activity or a meeting can be planned in: the year 1 overflows on its way to
# UTC, and no one plans for the year 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2999


class PlannedDateTimeField(forms.DateTimeField):
    """A moment typed into a datetime-local box, in the site's time zone, in a year one
    can plan for; other years are refused with a message instead of failing."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give a date between the years %(first)s and %(last)s."),
                code="year",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return moment


class MultipleFileInput(forms.FileInput):
    """One file input that takes several files (Django's own refuses `multiple`)."""

    allow_multiple_selected = True


class MultipleImagesField(forms.FileField):
    """Up to `max_files` images chosen in one input, each checked and re-encoded to WebP
    (core.images). Too many files, or any bad one, refuses them all, naming the file."""

    def __init__(self, *, max_files: int, max_side: int, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        super().__init__(**kwargs)
        self.max_files = max_files
        self.max_side = max_side

    def clean(self, data: Any, initial: Any = None) -> list[ContentFile]:
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(count)s image: you chose %(chosen)s.",
                    "Choose at most %(count)s images: you chose %(chosen)s.",
                    self.max_files,
                )
                % {"count": self.max_files, "chosen": len(uploads)},
                code="too_many",
            )
        images: list[ContentFile] = []
        problems: list[forms.ValidationError] = []
        for upload in uploads:
            try:
                images.append(
                    reencode_image(super().clean(upload, initial), max_side=self.max_side)
                )
            except forms.ValidationError as error:
                name = Truncator(getattr(upload, "name", "") or "").chars(60)
                problems.extend(
                    forms.ValidationError(
                        _("%(name)s: %(problem)s") % {"name": name, "problem": message},
                        code=error.code,
                    )
                    for message in error.messages
                )
        if problems:
            raise forms.ValidationError(problems)
        return images
