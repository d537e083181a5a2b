from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from sammen.activities.kinds import get_kind
from sammen.activities.models import Activity
from sammen.core.forms import IdChoiceField
from sammen.spaces.models import Space

from .models import MINUTES_MAX
from .queries import Filters, Minutes

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class FiltersForm(forms.Form):
    """The period and the activity the page and its exports are narrowed to."""

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    activity = IdChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("All activities"),
    )

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activities = Activity.objects.filter(space=space).order_by("created_at", "pk")
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]

    def clean_since(self) -> date | None:
        return self.within_range(self.cleaned_data["since"])

    def clean_until(self) -> date | None:
        return self.within_range(self.cleaned_data["until"])

    def within_range(self, day: date | None) -> date | None:
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("Choose a date between the years 2000 and 2100."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(since=data["since"], until=data["until"], activity=data["activity"])


def labelled(setting: Minutes) -> str:
    """Name a source with its format, as "Ideas (Open call)"; shared sources by name only."""
    kind = get_kind(setting.source.kind) if setting.source.kind else None
    if kind is None:
        return str(setting.source.label)
    return f"{setting.source.label} ({kind.label})"


class MinutesForm(forms.Form):
    """The minutes one contribution of each source takes; empty keeps the kind's estimate."""

    def __init__(self, *args: Any, minutes: dict[str, Minutes], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = minutes
        for key, setting in minutes.items():
            self.fields[key] = forms.DecimalField(
                label=labelled(setting),
                required=False,
                min_value=Decimal(0),
                max_value=MINUTES_MAX,
                max_digits=6,
                decimal_places=2,
                initial=setting.minutes if setting.adjusted else None,
                help_text=_("Its format's estimate: %(minutes)s minutes")
                % {"minutes": localize(setting.source.minutes.normalize())},
                widget=forms.NumberInput(
                    attrs={"step": "0.01", "min": "0", "max": "600", "inputmode": "decimal"}
                ),
            )

    def minutes(self) -> dict[str, Decimal | None]:
        return {key: self.cleaned_data[key] for key in self.sources}
