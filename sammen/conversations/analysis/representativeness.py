"""The statements that set each group apart (Pol.is's ``repness.clj``)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .state import RepresentativeStatement
from .votes import Direction, FloatArray, IntArray

Z_90 = 1.2816
"""One-sided z at the 90% level, as Pol.is's ``z-sig-90?``."""

MAX_REPRESENTATIVE = 5


def proportion_z(successes: ArrayLike, trials: ArrayLike) -> FloatArray:
    """Return Pol.is's one-sample z of a proportion against 1/2 (pseudocount 1)."""
    succ = np.asarray(successes, dtype=np.float64) + 1
    n = np.asarray(trials, dtype=np.float64) + 1
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def two_proportion_z(
    successes_in: ArrayLike, successes_out: ArrayLike, trials_in: ArrayLike, trials_out: ArrayLike
) -> FloatArray:
    """Return Pol.is's two-proportion z, in-group against the rest (pseudocount 1 each)."""
    s_in = np.asarray(successes_in, dtype=np.float64) + 1
    s_out = np.asarray(successes_out, dtype=np.float64) + 1
    n_in = np.asarray(trials_in, dtype=np.float64) + 1
    n_out = np.asarray(trials_out, dtype=np.float64) + 1
    pooled = (s_in + s_out) / (n_in + n_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s_in / n_in - s_out / n_out) / spread
    return np.where(pooled >= 1, 0.0, z)


def _representative_statements(
    statement_ids: IntArray,
    agree: NDArray[np.int64],
    disagree: NDArray[np.int64],
    seen: NDArray[np.int64],
) -> list[list[RepresentativeStatement]]:
    """Select each group's representative statements as Pol.is's ``select-rep-comments``."""
    rest_agree = agree.sum(axis=0) - agree
    rest_disagree = disagree.sum(axis=0) - disagree
    rest_seen = seen.sum(axis=0) - seen
    pa = (agree + 1) / (seen + 2)
    pd = (disagree + 1) / (seen + 2)
    pat = proportion_z(agree, seen)
    pdt = proportion_z(disagree, seen)
    ra = pa / ((rest_agree + 1) / (rest_seen + 2))
    rd = pd / ((rest_disagree + 1) / (rest_seen + 2))
    rat = two_proportion_z(agree, rest_agree, seen, rest_seen)
    rdt = two_proportion_z(disagree, rest_disagree, seen, rest_seen)
    agree_passes = (pat > Z_90) & (rat > Z_90)
    disagree_passes = (pdt > Z_90) & (rdt > Z_90)

    def statement(
        g: int, s: int, direction: Direction, best_agree: bool
    ) -> RepresentativeStatement:
        if direction == "agree":
            n_success, p, p_z, r, r_z = agree, pa, pat, ra, rat
        else:
            n_success, p, p_z, r, r_z = disagree, pd, pdt, rd, rdt
        return RepresentativeStatement(
            statement_id=int(statement_ids[s]),
            direction=direction,
            n_success=int(n_success[g, s]),
            n_trials=int(seen[g, s]),
            probability=float(p[g, s]),
            probability_z=float(p_z[g, s]),
            repness=float(r[g, s]),
            repness_z=float(r_z[g, s]),
            significant=bool(agree_passes[g, s] or disagree_passes[g, s]),
            best_agree=best_agree,
        )

    selected = []
    for g in range(agree.shape[0]):
        best_agree = _best_agree(agree[g], disagree[g], pa[g], pat[g], ra[g], rat[g])
        sufficient = np.flatnonzero(agree_passes[g] | disagree_passes[g])
        chosen: list[RepresentativeStatement] = []
        if best_agree is not None:
            chosen.append(statement(g, best_agree, "agree", best_agree=True))
        if len(sufficient):
            # Pol.is names the direction by the larger repness z; a statement can pass
            # the disagree tests and still have the larger agree z. Name the direction
            # by the tests it passed instead.
            directions: list[Direction] = [
                "agree" if agree_passes[g, s] else "disagree" for s in sufficient
            ]
            metric = [
                ra[g, s] * rat[g, s] * pa[g, s] * pat[g, s]
                if d == "agree"
                else rd[g, s] * rdt[g, s] * pd[g, s] * pdt[g, s]
                for s, d in zip(sufficient, directions, strict=True)
            ]
            ranked = sorted(
                zip(sufficient, directions, metric, strict=True), key=lambda item: -item[2]
            )
            chosen += [
                statement(g, int(s), d, best_agree=False) for s, d, _m in ranked if s != best_agree
            ]
        elif best_agree is None:
            strongest = int(np.argmax(np.maximum(rat[g], rdt[g])))
            direction: Direction = "agree" if rat[g, strongest] > rdt[g, strongest] else "disagree"
            chosen.append(statement(g, strongest, direction, best_agree=False))
        chosen = chosen[:MAX_REPRESENTATIVE]
        # Agrees before disagrees, each kept in rank order (Pol.is's stable concat).
        chosen.sort(key=lambda item: item.direction != "agree")
        selected.append(chosen)
    return selected


def _best_agree(
    agree: NDArray[np.int64],
    disagree: NDArray[np.int64],
    pa: FloatArray,
    pat: FloatArray,
    ra: FloatArray,
    rat: FloatArray,
) -> int | None:
    """Return the statement a group agrees with most, by Pol.is's ``beats-best-agr?``."""
    best: int | None = None
    for s in np.flatnonzero((agree > 0) | (disagree > 0)):
        if best is None:
            accept = pat[s] > Z_90 or (ra[s] > 1.0 and pa[s] > 0.5)
        elif ra[best] > 1.0:
            accept = ra[s] * rat[s] * pa[s] * pat[s] > ra[best] * rat[best] * pa[best] * pat[best]
        else:
            accept = pa[s] * pat[s] > pa[best] * pat[best]
        if accept:
            best = int(s)
    return best
