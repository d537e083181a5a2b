from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting
from django_stubs_ext import StrOrPromise

from .http import MAX_ID, parse_id


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
