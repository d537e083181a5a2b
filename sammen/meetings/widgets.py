"""The widgets attendees answer with on a phone: faces for a rating, chips for a scale."""

from typing import Any

from django import forms

# The mouth of each face, from a frown (1) to a smile (5), in a 48 by 48 drawing.
MOUTHS = {
    "1": "M15 35 Q24 19 33 35",
    "2": "M15 33.5 Q24 25.5 33 33.5",
    "3": "M15 32 Q24 32 33 32",
    "4": "M15 32 Q24 40 33 32",
    "5": "M15 32 Q24 48 33 32",
}


class FacesRadio(forms.RadioSelect):
    """The five faces of a rating, each with its word beside it, never a colour alone; the
    radio buttons stay real, so keys and screen readers use them as such."""

    template_name = "meetings/widgets/faces.html"
    option_template_name = "meetings/widgets/face_option.html"

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["mouth"] = MOUTHS.get(str(value), "")
        return option


class ChipsRadio(forms.RadioSelect):
    """Radio buttons drawn as large chips: five words in a row that wraps, or the eleven
    steps of a percentage in two rows on a phone (`variant` "percent")."""

    template_name = "meetings/widgets/chips.html"
    option_template_name = "meetings/widgets/chip_option.html"

    def __init__(self, *args: Any, variant: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variant = variant

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["variant"] = self.variant
        return context
