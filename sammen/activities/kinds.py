"""The registry of activity kinds. Each kind's app registers itself in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Activity
    from .permissions import ActivityAccess
    from .selfcheck import Format


@dataclass(frozen=True)
class ActivityKind:
    key: str
    label: StrOrPromise
    description: StrOrPromise
    # Rendered inside the activity page, below the brief, with `activity` and `access`.
    template: str
    # Rendered above the brief: what participants can do now (optional).
    intro_template: str = ""
    # Extra context for `template`.
    context: Callable[["HttpRequest", "Activity", "ActivityAccess"], dict[str, Any]] | None = None
    # Reasons (translated) why the kind's own setup does not yet allow opening.
    opening_blockers: Callable[["Activity"], list[str]] | None = None
    # Creates the kind's own rows when an activity takes this kind; must be idempotent.
    setup: Callable[["Activity"], object] | None = None
    # The organiser's page for the kind's own settings (a URL name taking the
    # space_slug and activity_slug), shown in the activity's organiser tools.
    settings_url_name: str = ""
    # Figures a success measure can be counted by: {key: (label, value)}.
    metrics: Callable[["Activity"], dict[str, tuple[str, float]]] | None = None
    # A page where people join with a code they were given (a URL name taking no
    # arguments, reading the code from `?code=`), offered on every page.
    join_url_name: str = ""
    # The kind's own stylesheet (a static path), loaded on every page after the shared one.
    stylesheet: str = ""
    # What the brief's self-check asks about this format and advises (optional).
    selfcheck: "Format | None" = None
    # Called once the activity's public answer is first published (after commit): the
    # kind tells the people who took part, say.
    answered: Callable[["Activity"], None] | None = None
    # Warnings (translated) the brief's self-check adds about the kind's own setup, such
    # as a meeting's objective without a measurement (optional).
    brief_warnings: Callable[["Activity"], list[str]] | None = None


_kinds: dict[str, ActivityKind] = {}


def register_kind(kind: ActivityKind) -> None:
    _kinds[kind.key] = kind


def get_kind(key: str) -> ActivityKind | None:
    return _kinds.get(key)


MetricsProvider = Callable[["Activity"], dict[str, tuple[str, float]]]

# Figures every activity can be counted by, whatever its kind (ambassadors' links, say),
# registered by the shared apps that count them.
_shared_metrics: list[MetricsProvider] = []


def register_shared_metrics(provider: MetricsProvider) -> None:
    if provider not in _shared_metrics:
        _shared_metrics.append(provider)


def metrics_of(activity: "Activity") -> dict[str, tuple[str, float]]:
    """Return the figures a success measure of `activity` can be counted by: kind's, shared."""
    kind = get_kind(activity.kind)
    metrics = dict(kind.metrics(activity)) if kind is not None and kind.metrics else {}
    for provider in _shared_metrics:
        for key, figure in provider(activity).items():
            metrics.setdefault(key, figure)
    return metrics


def installed_kinds() -> list[ActivityKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)
