"""The actions the audit log knows: each app registers the ones it performs, with their labels.

An app lists its actions as a `TextChoices` class (the value is the stored key, the label
what owners read) and calls `register_audit_actions()` from its `AppConfig.ready()`. The
audit app names none of them, so a new kind adds actions without a migration here.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_stubs_ext import StrOrPromise

ACTION_MAX_LENGTH = 40

_actions: dict[str, tuple[type[models.TextChoices], StrOrPromise]] = {}


def register_audit_actions(actions: type[models.TextChoices]) -> None:
    """Let these actions be written to the audit log, each shown with its label."""
    for action in actions:
        key = str(action.value)
        if len(key) > ACTION_MAX_LENGTH:
            raise ImproperlyConfigured(f"The audit action {key!r} is over {ACTION_MAX_LENGTH}.")
        if key in _actions and _actions[key][0] is not actions:
            raise ImproperlyConfigured(f"Two apps register the audit action {key!r}.")
        _actions[key] = (actions, action.label)


def is_registered_action(key: str) -> bool:
    return key in _actions


def audit_action_label(key: str) -> str:
    """Return what owners read for an action: its label, or the key of one nobody registers."""
    registered = _actions.get(key)
    return str(registered[1]) if registered is not None else key
