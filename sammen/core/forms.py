from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django_stubs_ext import StrOrPromise


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
