"""What insights knows of the kinds it serves: where their contributions and answers are.

Each kind registers, from its own `AppConfig.ready()`, a `ContributionSource` for every
kind of contribution it stores (an idea, a vote, a rating, a check-in): the model's rows
and the paths to their space, activity, participant and time, the minutes one usually
takes, and optionally an `AnswerSource` for contributions the organisers answer one by
one (an idea's answer, a live question marked answered). Insights never names a kind:
the rollup (`rollup.py`) turns each source's rows into GROUP BY queries in SQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Model, QuerySet
from django.db.models.functions import TruncDate
from django_stubs_ext import StrOrPromise

SOURCE_KEY_MAX_LENGTH = 40


@dataclass(frozen=True)
class ContributionSource:
    """One kind of contribution: where its rows are and what one takes of a person's time.

    `rows()` returns every row of the model (the rollup filters it by space); `space`,
    `activity`, `participant` and `at` are lookups from that model to the space's id, the
    activity's id, the participant's id and when the contribution was made.
    `minutes` is what one contribution takes, as the kind estimates it; organisers may
    set their own figure per space.
    """

    kind: str  # the kind that brings it ("" for a shared app, such as comments)
    key: str  # unique over all sources: "<kind>.<noun>", such as "call.idea"
    label: StrOrPromise
    minutes: Decimal
    rows: Callable[[], QuerySet[Model]]
    space: str
    activity: str
    participant: str
    at: str

    def of_space(self, space_id: int) -> QuerySet[Model, dict[str, Any]]:
        """Return this source's contributions in one space: activity, participant, day."""
        return (
            self.rows()
            .filter(
                **{
                    self.space: space_id,
                    f"{self.activity}__isnull": False,
                    f"{self.participant}__isnull": False,
                }
            )
            .values(
                insight_activity=F(self.activity),
                insight_participant=F(self.participant),
                insight_day=TruncDate(self.at),
            )
        )


@dataclass(frozen=True)
class AnswerSource:
    """Contributions that the organisers answer one by one, and when they did.

    `rows()` returns every row of the model; only rows whose `answered_at` is set count.
    """

    key: str  # the ContributionSource whose contributions are answered
    label: StrOrPromise
    rows: Callable[[], QuerySet[Model]]
    space: str
    activity: str
    contributed_at: str
    answered_at: str

    def of_space(self, space_id: int) -> QuerySet[Model, dict[str, Any]]:
        """Return the answered contributions of one space: activity, made, answered."""
        return (
            self.rows()
            .filter(**{self.space: space_id, f"{self.answered_at}__isnull": False})
            .values(
                insight_activity=F(self.activity),
                insight_made=F(self.contributed_at),
                insight_answered=F(self.answered_at),
            )
        )


_sources: dict[str, ContributionSource] = {}
_answers: dict[str, AnswerSource] = {}


def register_contribution_source(*sources: ContributionSource) -> None:
    """Have insights count a kind of contribution; an app calls it in its ready()."""
    for source in sources:
        if len(source.key) > SOURCE_KEY_MAX_LENGTH:
            raise ImproperlyConfigured(f"The source {source.key!r} is too long a key.")
        if not Decimal(0) <= source.minutes <= Decimal(600):
            raise ImproperlyConfigured(f"The source {source.key!r} takes 0 to 600 minutes.")
        existing = _sources.get(source.key)
        if existing is not None and existing.kind != source.kind:
            raise ImproperlyConfigured(f"Two apps register the source {source.key!r}.")
        _sources[source.key] = source


def register_answer_source(*sources: AnswerSource) -> None:
    """Have insights measure how fast a kind of contribution is answered."""
    for source in sources:
        existing = _answers.get(source.key)
        if (
            existing is not None
            and existing.rows is not source.rows
            and existing.label != source.label
        ):
            raise ImproperlyConfigured(f"Two apps register answers of {source.key!r}.")
        _answers[source.key] = source


def contribution_sources() -> list[ContributionSource]:
    """Return the registered sources in the order they registered."""
    return list(_sources.values())


def contribution_source(key: str) -> ContributionSource | None:
    return _sources.get(key)


def answer_sources() -> list[AnswerSource]:
    return list(_answers.values())
