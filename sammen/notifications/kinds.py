"""What each kind of notification says. Rendered in the reader's language when shown."""

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

Render = Callable[[Mapping[str, Any]], str]

_kinds: dict[str, Render] = {}


def register_notification(kind: str, render: Render) -> None:
    _kinds[kind] = render


def render_notification(kind: str, params: Mapping[str, Any]) -> str:
    render = _kinds.get(kind)
    if render is None:
        return _("Something changed.")
    try:
        return render(params)
    except (KeyError, TypeError, ValueError):
        return _("Something changed.")
