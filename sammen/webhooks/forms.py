from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sammen.core.validators import no_control_characters, single_line

from .models import URL_MAX_LENGTH
from .network import UnsafeTarget, check_url
from .registry import webhook_events


class EventsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Events"),
            help_text=_("Sammen sends a signed POST to the address when one of these happens."),
            error_messages={
                "required": _("Choose at least one event."),
                "invalid_choice": _("Choose among the events offered."),
            },
            **kwargs,
        )

    def refresh_choices(self) -> None:
        # Read when the form is built: kinds register their events in ready().
        self.choices = [(event.key, event.label) for event in webhook_events()]


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address"),
        max_length=URL_MAX_LENGTH,
        validators=[no_control_characters, single_line],
        help_text=_("An https:// address on the public internet that receives the events."),
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/sammen-webhook"}),
    )
    events = EventsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.fields["events"]
        assert isinstance(events, EventsField)
        events.refresh_choices()

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        try:
            # The shape here; the action resolves the host (and each delivery again).
            check_url(url)
        except UnsafeTarget as refusal:
            raise ValidationError(refusal.message, code="unsafe") from None
        return url


class EventsForm(forms.Form):
    events = EventsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.fields["events"]
        assert isinstance(events, EventsField)
        events.refresh_choices()
