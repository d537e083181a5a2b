"""What unites the groups: group-informed consensus and the statements every group backs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .representativeness import Z_90, proportion_z
from .state import Consensus, ConsensusStatement
from .votes import Direction, FloatArray

MAX_CONSENSUS = 5

UNITING_MIN_VOTES = 3
"""Votes (agree, disagree or pass) each group must have cast on a statement before the
statement can be said to unite the groups: Pol.is's test of a majority passes a single
unanimous vote."""


def group_informed_consensus(agree: ArrayLike, seen: ArrayLike) -> FloatArray:
    """Return, per statement, the product over groups of (agrees + 1) / (votes + 2).

    ``agree`` and ``seen`` are (groups x statements) counts; ``seen`` counts agree,
    disagree and pass votes of the group's members, as Pol.is's ``group-votes`` does.
    """
    agree = np.asarray(agree, dtype=np.float64)
    seen = np.asarray(seen, dtype=np.float64)
    return np.prod((agree + 1.0) / (seen + 2.0), axis=0)


def consensus_across_groups(
    statement_ids: ArrayLike,
    agree: ArrayLike,
    disagree: ArrayLike,
    passed: ArrayLike,
    *,
    limit: int | None = MAX_CONSENSUS,
) -> Consensus:
    """Select the statements that unite the groups, up to ``limit`` each way.

    ``agree``, ``disagree`` and ``passed`` are (groups x statements) counts of the
    group members' votes. A statement unites the groups in a direction when every
    group cast at least ``UNITING_MIN_VOTES`` votes on it and, in every group, passes
    Pol.is's test of a majority (``select-consensus-comments``, which Pol.is applies to
    everyone at once): the probability of that vote over 1/2 and its one-sample z
    significant at 90%, passes counted among the votes. Ranked by the product of the
    groups' probabilities (group-informed consensus), then by statement id.
    """
    ids = np.asarray(statement_ids, dtype=np.int64)
    agree = np.asarray(agree, dtype=np.int64)
    disagree = np.asarray(disagree, dtype=np.int64)
    seen = agree + disagree + np.asarray(passed, dtype=np.int64)
    if seen.ndim != 2 or seen.shape[0] == 0:
        return Consensus()
    enough = (seen >= UNITING_MIN_VOTES).all(axis=0)
    voted = seen.sum(axis=0) > 0

    def top(successes: NDArray[np.int64], direction: Direction) -> tuple[ConsensusStatement, ...]:
        probability = (successes + 1) / (seen + 2)
        z = proportion_z(successes, seen)
        in_every_group = enough & ((probability > 0.5) & (z > Z_90)).all(axis=0)
        candidates = np.flatnonzero(in_every_group)
        score = np.prod(probability, axis=0)
        ranked = candidates[np.lexsort((ids[candidates], -score[candidates]))]
        return tuple(
            ConsensusStatement(
                statement_id=int(ids[s]),
                direction=direction,
                n_success=tuple(int(n) for n in successes[:, s]),
                n_trials=tuple(int(n) for n in seen[:, s]),
                probability=float(probability[:, s].min()),
                probability_z=float(z[:, s].min()),
                group_informed=float(score[s]),
            )
            for s in ranked[:limit]
        )

    return Consensus(
        agree=top(agree, "agree"),
        disagree=top(disagree, "disagree"),
        statements_with_enough_votes=int(enough.sum()),
        statements_with_too_few_votes=int((voted & ~enough).sum()),
    )
