"""The events webhooks can subscribe to: each app registers the ones it emits, with labels.

The app that performs an action registers its event keys (`"idea.submitted"`) from its
`AppConfig.ready()` with `register_webhook_event()` and emits them with
`sammen.webhooks.actions.emit()`. This app names none of them: a new kind brings its own
events without a migration here. Emitting a key nobody registered is refused, so a typo
fails in the tests.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django_stubs_ext import StrOrPromise

EVENT_MAX_LENGTH = 40
# Sent by "Send a test ping": every webhook receives it, whatever it subscribes to.
PING = "ping"


class UnknownWebhookEvent(LookupError):
    """An event key no app registers."""


@dataclass(frozen=True)
class WebhookEvent:
    key: str
    label: StrOrPromise


_events: dict[str, WebhookEvent] = {}


def register_webhook_event(key: str, label: StrOrPromise) -> None:
    """Let webhooks subscribe to `key`, shown to owners as `label`."""
    if len(key) > EVENT_MAX_LENGTH or key == PING or not key:
        raise ImproperlyConfigured(f"{key!r} cannot be a webhook event.")
    known = _events.get(key)
    if known is not None and str(known.label) != str(label):
        raise ImproperlyConfigured(f"Two apps register the webhook event {key!r}.")
    _events[key] = WebhookEvent(key, label)


def webhook_events() -> list[WebhookEvent]:
    """Return the events webhooks can subscribe to, in a stable order (by key)."""
    return sorted(_events.values(), key=lambda event: event.key)


def is_registered_event(key: str) -> bool:
    return key in _events


def event_label(key: str) -> str:
    """Return what owners read for an event: its label, or the bare key of one gone."""
    if key == PING:
        return "ping"
    event = _events.get(key)
    return str(event.label) if event is not None else key
