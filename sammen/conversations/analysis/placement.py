"""Using a map between recomputes: placing a newcomer and choosing the next statement to show."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .state import MapState, OpinionMap, Placement
from .votes import ENTRY_VOTES, FloatArray

META_PRIORITY = 7.0
"""Pol.is's fixed priority of meta statements, before squaring."""


def place_participant(
    opinion_map: OpinionMap | MapState, votes: Mapping[int, int]
) -> Placement | None:
    """Project a participant's votes ({statement id: -1, 0 or 1}) onto a map.

    Use the map's statement means and components, with the same sparsity scaling as
    the analysis, and name the group of the nearest base cluster once the participant
    has enough votes to enter the analysis. Return None when the map has no state
    (not ready) or none of the votes is on a statement of the map.
    """
    state = opinion_map.state if isinstance(opinion_map, OpinionMap) else opinion_map
    if state is None or len(state.statement_ids) == 0:
        return None
    statement_ids = np.fromiter(votes.keys(), dtype=np.int64, count=len(votes))
    values = np.fromiter(votes.values(), dtype=np.float64, count=len(votes))
    where = np.minimum(np.searchsorted(state.statement_ids, statement_ids), len(state.mean) - 1)
    known = state.statement_ids[where] == statement_ids
    if not known.any():
        return None
    where, values = where[known], values[known]
    scale = math.sqrt(state.scaling_statements / (len(where) + state.scaling_extra_votes))
    x, y = ((values - state.mean[where]) @ state.components[where]) * scale
    group_id = None
    if len(where) >= min(ENTRY_VOTES, state.scaling_statements) and len(state.base_centres):
        nearest = int(np.argmin(np.linalg.norm(state.base_centres - (x, y), axis=1)))
        group_id = int(state.base_groups[nearest])
    return Placement(x=float(x), y=float(y), group_id=group_id, vote_count=len(where))


def statement_priorities(
    opinion_map: OpinionMap,
    statement_ids: Sequence[int] | ArrayLike,
    *,
    meta_statements: Iterable[int] = (),
) -> FloatArray:
    """Return Pol.is's weight for showing each statement next (aligned with the ids).

    ``(importance x (1 + 8 x 2^(-votes/5)))^2`` where importance is
    ``(1 - P(pass)) x (extremity + 1) x P(agree)``, both probabilities with a
    pseudocount of 1, counted over the grouped participants' votes: statements with
    few votes are boosted, and statements that move people along the map (that
    separate groups) are shown more. Meta statements get Pol.is's fixed 7^2. A
    statement the map does not know yet counts as new, with no votes and no extremity.
    Pol.is reads the group votes of the update before; this uses the current ones.
    """
    ids = np.asarray(statement_ids, dtype=np.int64).ravel()
    n_known = len(opinion_map.statement_ids)
    where = np.minimum(np.searchsorted(opinion_map.statement_ids, ids), max(n_known - 1, 0))
    known = opinion_map.statement_ids[where] == ids if n_known else np.zeros(len(ids), dtype=bool)
    tallies = opinion_map.tallies
    if opinion_map.ready:
        agree_all = tallies.agree.sum(axis=0)
        seen_all = tallies.seen.sum(axis=0)
    else:
        agree_all = tallies.total_agree
        seen_all = tallies.total_agree + tallies.total_disagree + tallies.total_passed
    passed_all = (
        seen_all
        - agree_all
        - (tallies.disagree.sum(axis=0) if opinion_map.ready else tallies.total_disagree)
    )
    agree = np.where(known, agree_all[where] if n_known else 0, 0).astype(np.float64)
    seen = np.where(known, seen_all[where] if n_known else 0, 0).astype(np.float64)
    passed = np.where(known, passed_all[where] if n_known else 0, 0).astype(np.float64)
    extremity = np.where(known, opinion_map.extremity[where] if n_known else 0.0, 0.0)
    p_agree = (agree + 1) / (seen + 2)
    p_pass = (passed + 1) / (seen + 2)
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    priority = importance * (1 + 8 * np.power(2.0, -seen / 5))
    meta = np.isin(ids, np.fromiter(meta_statements, dtype=np.int64))
    return np.square(np.where(meta, META_PRIORITY, priority))
