"""The form of the return page: an impact objective's business figures."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MAX_AMOUNT, Objective


def amount_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    # The bounds and the two decimals are the action's (clean_amount); the form reads
    # the number as the reader's language writes it and refuses what is no number.
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=14,
        decimal_places=2,
        max_value=Decimal(MAX_AMOUNT),
        min_value=-Decimal(MAX_AMOUNT),
        localize=True,
    )


class ImpactForm(forms.Form):
    before = amount_field(
        gettext_lazy("Value before the meeting"),
        gettext_lazy("The business measure in the period before, in its own unit."),
    )
    after = amount_field(
        gettext_lazy("Value after the meeting"),
        gettext_lazy("The same measure over an equal period after."),
    )
    per_unit = amount_field(gettext_lazy("What one unit is worth"))

    def __init__(self, *args: Any, objective: Objective, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"impact-{objective.pk}")
        kwargs.setdefault(
            "initial",
            {
                "before": objective.value_before,
                "after": objective.value_after,
                "per_unit": objective.value_per_unit,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["per_unit"]
        field.label = _("What one unit is worth (%(currency)s)") % {"currency": currency}
        field.help_text = _(
            "In money. If the measure should fall (complaints, costs), give the objective a "
            "target below the value before."
        )
