"""What an analysis returns: the map, its groups and statements, and the state between updates."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .votes import Direction, FloatArray, IntArray

NOT_ENOUGH_VOTES = "not enough votes yet"


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart, with Pol.is's repness figures.

    ``n_success`` of the group's ``n_trials`` votes went in ``direction``;
    ``probability`` is (n_success + 1) / (n_trials + 2) and ``probability_z`` its
    one-sample z against 1/2; ``repness`` is that probability over the same
    probability among the other groups and ``repness_z`` the two-proportion z.
    ``significant`` says both z pass the one-sided 90% level; ``best_agree`` marks
    the statement the group agrees with most, which Pol.is always shows first.
    """

    statement_id: int
    direction: Direction
    n_success: int
    n_trials: int
    probability: float
    probability_z: float
    repness: float
    repness_z: float
    significant: bool
    best_agree: bool


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement a majority in every group agrees (or disagrees) with.

    Per group (aligned with ``OpinionMap.groups``), ``n_success`` of the members'
    ``n_trials`` votes went in ``direction``. ``probability`` and ``probability_z`` are
    the lowest over the groups of Pol.is's (n_success + 1) / (n_trials + 2) and its
    one-sample z; ``group_informed`` is their product over the groups, which for
    "agree" is Pol.is's group-informed consensus.
    """

    statement_id: int
    direction: Direction
    n_success: tuple[int, ...]
    n_trials: tuple[int, ...]
    probability: float
    probability_z: float
    group_informed: float


@dataclass(frozen=True)
class Consensus:
    """The statements that unite the groups: up to 5 agreed, up to 5 disagreed.

    ``statements_with_enough_votes`` counts the statements on which every group cast
    ``UNITING_MIN_VOTES`` votes or more, the only ones that can unite the groups;
    ``statements_with_too_few_votes`` those that group members voted on, but not that
    often in every group. When both lists are empty, these say whether that is because
    the groups differ or because there are too few votes to tell.
    """

    agree: tuple[ConsensusStatement, ...] = ()
    disagree: tuple[ConsensusStatement, ...] = ()
    statements_with_enough_votes: int = 0
    statements_with_too_few_votes: int = 0

    @property
    def statement_ids(self) -> list[int]:
        """Return the agreed statements' ids, then the disagreed ones'."""
        return [s.statement_id for s in (*self.agree, *self.disagree)]


@dataclass(frozen=True, eq=False)
class Group:
    """An opinion group: its members, centre on the map and representative statements."""

    id: int
    members: IntArray
    centre: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]

    @property
    def size(self) -> int:
        """Return the number of participants in the group."""
        return len(self.members)


@dataclass(frozen=True, eq=False)
class VoteTallies:
    """Votes per statement (columns aligned with ``OpinionMap.statement_ids``).

    ``agree``, ``disagree`` and ``passed`` are (groups x statements) counts of the
    group members' votes, row i for ``OpinionMap.groups[i]``; the ``total_*`` arrays
    count everyone's votes, in the analysis or not.
    """

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    passed: NDArray[np.int64]
    total_agree: NDArray[np.int64]
    total_disagree: NDArray[np.int64]
    total_passed: NDArray[np.int64]

    @property
    def seen(self) -> NDArray[np.int64]:
        """Return the group members' votes per statement, passes included."""
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True, eq=False)
class MapState:
    """What the next update and the placement of a newcomer need from this map.

    Small (a few kilobytes plus the ids of the participants in the analysis) and
    serialisable with ``to_bytes``/``from_bytes``, so a background task can keep it
    between recomputes.
    """

    statement_ids: IntArray
    mean: FloatArray
    components: FloatArray
    in_analysis: IntArray
    base_centres: FloatArray
    base_sizes: IntArray
    base_groups: IntArray
    group_centres: FloatArray
    group_clusterings: dict[int, FloatArray] = field(default_factory=dict)
    scaling_statements: int = 0
    scaling_extra_votes: int = 0
    last_k: int = 0
    last_k_count: int = 0
    smoothed_k: int = 0

    def to_bytes(self) -> bytes:
        """Serialise the state as a NumPy .npz archive (no pickle)."""
        buffer = io.BytesIO()
        arrays: dict[str, NDArray[np.generic]] = {
            "statement_ids": self.statement_ids,
            "mean": self.mean,
            "components": self.components,
            "in_analysis": self.in_analysis,
            "base_centres": self.base_centres,
            "base_sizes": self.base_sizes,
            "base_groups": self.base_groups,
            "group_centres": self.group_centres,
            "k_smoother": np.array([self.last_k, self.last_k_count, self.smoothed_k]),
            "scaling": np.array([self.scaling_statements, self.scaling_extra_votes]),
        }
        for k, centres in self.group_clusterings.items():
            arrays[f"clustering_{k}"] = centres
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> MapState:
        """Load a state written by ``to_bytes``."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            last_k, last_k_count, smoothed_k = (int(v) for v in archive["k_smoother"])
            scaling_statements, scaling_extra_votes = (int(v) for v in archive["scaling"])
            return cls(
                statement_ids=archive["statement_ids"],
                mean=archive["mean"],
                components=archive["components"],
                in_analysis=archive["in_analysis"],
                base_centres=archive["base_centres"],
                base_sizes=archive["base_sizes"],
                base_groups=archive["base_groups"],
                group_centres=archive["group_centres"],
                group_clusterings={
                    int(name.removeprefix("clustering_")): archive[name]
                    for name in archive.files
                    if name.startswith("clustering_")
                },
                scaling_statements=scaling_statements,
                scaling_extra_votes=scaling_extra_votes,
                last_k=last_k,
                last_k_count=last_k_count,
                smoothed_k=smoothed_k,
            )


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The result of one analysis.

    Per participant (aligned with ``participant_ids``, sorted): ``positions`` (x, y;
    NaN when the map is not ready), ``participant_groups`` (group id, -1 when not
    grouped), ``in_analysis`` and ``base_labels`` (-1 outside the analysis). Per
    statement (aligned with ``statement_ids``, sorted, excluded statements left out):
    ``group_informed_consensus`` (NaN when not ready), ``extremity`` and ``tallies``.
    When ``ready`` is false, ``reason`` says why and there are no groups.
    """

    ready: bool
    reason: str
    participant_ids: IntArray
    positions: FloatArray
    participant_groups: IntArray
    in_analysis: NDArray[np.bool_]
    base_labels: IntArray
    base_centres: FloatArray
    base_sizes: IntArray
    base_groups: IntArray
    statement_ids: IntArray
    groups: tuple[Group, ...]
    consensus: Consensus
    group_informed_consensus: FloatArray
    extremity: FloatArray
    tallies: VoteTallies
    state: MapState | None

    def group_of(self, participant_id: int) -> int | None:
        """Return the participant's group id, or None when they are not in a group."""
        index = np.searchsorted(self.participant_ids, participant_id)
        if index >= len(self.participant_ids) or self.participant_ids[index] != participant_id:
            return None
        group = int(self.participant_groups[index])
        return None if group < 0 else group

    def informed_consensus(self, statement_id: int) -> float | None:
        """Return the statement's group-informed consensus, None if unknown or not ready."""
        index = np.searchsorted(self.statement_ids, statement_id)
        if index >= len(self.statement_ids) or self.statement_ids[index] != statement_id:
            return None
        value = float(self.group_informed_consensus[index])
        return None if math.isnan(value) else value


@dataclass(frozen=True)
class Placement:
    """Where a participant stands on a map before the next recompute."""

    x: float
    y: float
    group_id: int | None
    vote_count: int
