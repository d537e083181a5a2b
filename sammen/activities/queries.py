from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.spaces.models import Space
from sammen.spaces.permissions import SpaceAccess

from .kinds import get_kind, metrics_of
from .models import Activity, ActivityLink, Brief, Phase, SuccessMeasure


def quoted_labels(labels: list[str]) -> str:
    """Return form labels as a list in quotes, as they are named in a sentence."""
    # Translators: a form field's label quoted inside a sentence; use your language's quotes.
    return ", ".join(_("“%(label)s”") % {"label": label} for label in labels)


def opening_blockers(activity: Activity) -> list[str]:
    """Return why the activity cannot open yet (translated); an empty list means it can."""
    brief: Brief = activity.brief
    blockers: list[str] = []
    missing = brief.missing_parts(brief.measures.count())
    if missing:
        blockers.append(
            _("The brief is not complete yet. Still missing: %(parts)s.")
            % {"parts": quoted_labels(missing)}
        )
    kind = get_kind(activity.kind)
    if not activity.kind:
        blockers.append(_("Choose a format for the activity."))
    elif kind is None:
        blockers.append(_("The chosen format is not available on this site."))
    elif kind.opening_blockers is not None:
        blockers.extend(kind.opening_blockers(activity))
    return blockers


def activities_by_phase(access: SpaceAccess) -> dict[str, list[Activity]]:
    """Return the space's activities a viewer may see, grouped by phase, newest first."""
    activities = (
        Activity.objects.filter(space=access.space).select_related("space").order_by("-created_at")
    )
    if not access.is_organiser:
        activities = activities.exclude(phase=Phase.DRAFT)
    grouped: dict[str, list[Activity]] = {phase: [] for phase in Phase.values}
    for activity in activities:
        grouped[activity.phase].append(activity)
    return grouped


def recently_answered(space: Space, limit: int = 3) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(space=space, phase=Phase.ANSWERED)
        .select_related("space")
        .order_by("-answered_at")[:limit]
    )


def activity_counts(space: Space) -> dict[str, int]:
    rows = (
        Activity.objects.filter(space=space)
        .values("phase")
        .annotate(count=Count("id"))
        .values_list("phase", "count")
    )
    return dict(rows)


def personal_activities_data(user: User) -> dict[str, Any]:
    return {
        "activities_created": [
            {
                "space": activity.space.name,
                "title": activity.title,
                "phase": activity.phase,
                "created_at": activity.created_at.isoformat(),
            }
            for activity in Activity.objects.filter(created_by=user).select_related("space")
        ]
    }


@dataclass(frozen=True)
class Outcome:
    """How one success measure turned out."""

    measure: SuccessMeasure
    actual: float | None
    counted_by: str  # the label of the figure Sammen counted, or "" when entered by hand

    @property
    def reached(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= float(self.measure.target)

    @property
    def share(self) -> int | None:
        """Return the result as a percentage of the target (for bars), capped at 100."""
        if self.actual is None or not self.measure.target:
            return None
        return min(100, round(100 * self.actual / float(self.measure.target)))


def measure_outcomes(activity: Activity) -> list[Outcome]:
    """Return each success measure with its result: counted by the kind, or entered."""
    measures = list(activity.brief.measures.all())
    # The figures are counted only for a measure that is counted by one (each kind and
    # shared provider may query for its own).
    metrics = metrics_of(activity) if any(measure.metric for measure in measures) else {}
    outcomes = []
    for measure in measures:
        if measure.metric and measure.metric in metrics:
            label, value = metrics[measure.metric]
            outcomes.append(Outcome(measure, float(value), label))
        else:
            result = float(measure.result) if measure.result is not None else None
            outcomes.append(Outcome(measure, result, ""))
    return outcomes


@dataclass(frozen=True)
class Linked:
    """An activity linked to the one shown, and where in the source the link starts."""

    activity: Activity
    anchor: str
    anchor_label: str


@dataclass(frozen=True)
class LinkedActivities:
    """What an activity was opened from, and what was opened from it."""

    opened_from: list[Linked]
    opened_here: list[Linked]

    def __bool__(self) -> bool:
        return bool(self.opened_from or self.opened_here)

    def at(self, anchor: str) -> list[Linked]:
        """Return the activities opened from one part of this one (`anchor`)."""
        return [linked for linked in self.opened_here if linked.anchor == anchor]


def linked_activities(activity: Activity, *, drafts: bool = False) -> LinkedActivities:
    """Return the activities linked to `activity` both ways, in one query.

    Drafts are left out unless `drafts` (organisers see them; others would get a 404).
    """
    links = ActivityLink.objects.filter(Q(source=activity) | Q(target=activity)).select_related(
        "source__space", "target__space"
    )
    opened_from: list[Linked] = []
    opened_here: list[Linked] = []
    for link in links:
        outgoing = link.source_id == activity.pk
        other = link.target if outgoing else link.source
        if other.phase == Phase.DRAFT and not drafts:
            continue
        linked = Linked(other, link.anchor, link.anchor_label)
        (opened_here if outgoing else opened_from).append(linked)
    return LinkedActivities(opened_from, opened_here)
