"""Base clusters and opinion groups by k-means, stable group ids (Pol.is's ``clusters.clj``)."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

from .state import MapState
from .votes import FloatArray, IntArray

BASE_CLUSTERS = 100
MAX_GROUPS = 5
GROUP_K_BUFFER = 4
"""Updates in a row a new number of groups must win before it replaces the current one."""


def _base_clusters(
    points: FloatArray, k: int, previous_centres: FloatArray | None, seed: int
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Cluster the projections into k fine base clusters; return centres and labels."""
    if previous_centres is not None and len(previous_centres):
        init: FloatArray | str = _grow_centres(points, np.unique(previous_centres, axis=0), k)
    else:
        init = "k-means++"
    kmeans = KMeans(n_clusters=k, init=init, n_init=1, max_iter=100, random_state=seed)
    with warnings.catch_warnings():
        # Fewer distinct clusters than asked for is handled below: empty ones are dropped.
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = kmeans.fit_predict(points)
    used, labels = np.unique(labels, return_inverse=True)
    return kmeans.cluster_centers_[used], labels.astype(np.int64)


def _grow_centres(points: FloatArray, centres: FloatArray, k: int) -> FloatArray:
    """Return k starting centres: the previous ones, plus the farthest points as new ones.

    This is Pol.is's ``clean-start-clusters``: structure is kept and new clusters are
    opened where the newly arrived participants are worst served.
    """
    centres = centres[:k]
    if len(centres) == k:
        return centres
    nearest = (
        np.min(np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2), axis=1)
        if len(points) * len(centres) <= 10_000_000
        else _nearest_distance(points, centres)
    )
    grown = [centres]
    for _ in range(k - len(centres)):
        farthest = int(np.argmax(nearest))
        if nearest[farthest] <= 0:
            break
        grown.append(points[farthest][None, :])
        nearest = np.minimum(nearest, np.linalg.norm(points - points[farthest], axis=1))
    result = np.vstack(grown)
    if len(result) < k:
        # Everyone sits on an existing centre: fall back to distinct points.
        distinct = np.unique(points, axis=0)
        extra = distinct[~(distinct[:, None, :] == result[None, :, :]).all(axis=2).any(axis=1)]
        result = np.vstack([result, extra[: k - len(result)]])
    return result


def _nearest_distance(points: FloatArray, centres: FloatArray) -> FloatArray:
    nearest = np.full(len(points), np.inf)
    for centre in centres:
        nearest = np.minimum(nearest, np.linalg.norm(points - centre, axis=1))
    return nearest


def _group_clusterings(
    base_centres: FloatArray, base_sizes: IntArray, state: MapState | None, seed: int
) -> tuple[dict[int, tuple[FloatArray, NDArray[np.int64]]], dict[int, float]]:
    """Cluster the base centres, weighted by size, for each candidate number of groups.

    Return {k: (group centres, group of each base cluster)} and {k: silhouette}.
    """
    n_bases = len(base_centres)
    largest_k = min(MAX_GROUPS, 2 + n_bases // 12, max(n_bases - 1, 2))
    clusterings: dict[int, tuple[FloatArray, NDArray[np.int64]]] = {}
    silhouettes: dict[int, float] = {}
    weights = base_sizes.astype(np.float64)
    rng = np.random.default_rng(seed)
    for k in range(2, largest_k + 1):
        best = min(
            (
                _weighted_kmeans(
                    base_centres, weights, _kmeans_plus_plus(base_centres, weights, k, rng)
                )
                for _ in range(10)
            ),
            key=lambda result: result[2],
        )
        previous = state.group_clusterings.get(k) if state else None
        if previous is not None and len(previous) == k:
            warm = _weighted_kmeans(base_centres, weights, previous)
            # Keep the warm start (stable groups) unless a fresh start is clearly better.
            if warm[2] <= best[2] * 1.01:
                best = warm
        centres, labels, _inertia = best
        used, labels = np.unique(labels, return_inverse=True)
        clusterings[k] = (centres[used], labels.astype(np.int64))
        n_labels = len(used)
        silhouettes[k] = (
            float(silhouette_score(base_centres, labels)) if 2 <= n_labels < n_bases else 0.0
        )
    return clusterings, silhouettes


def _kmeans_plus_plus(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Return k starting centres drawn by weighted k-means++."""
    centres = [points[rng.choice(len(points), p=weights / weights.sum())]]
    nearest = np.sum((points - centres[0]) ** 2, axis=1)
    for _ in range(1, k):
        odds = weights * nearest
        if odds.sum() <= 0:
            break
        centres.append(points[rng.choice(len(points), p=odds / odds.sum())])
        nearest = np.minimum(nearest, np.sum((points - centres[-1]) ** 2, axis=1))
    return np.array(centres)


def _weighted_kmeans(
    points: FloatArray, weights: FloatArray, centres: FloatArray, max_iter: int = 100
) -> tuple[FloatArray, NDArray[np.int64], float]:
    """Run Lloyd's weighted k-means from the given centres; return centres, labels, inertia.

    The base centres are at most 100 points, where plain NumPy is many times faster
    than scikit-learn's per-call overhead. A centre left without members stays put.
    """
    centres = np.array(centres, dtype=np.float64)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iter):
        distances = np.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
        labels = np.argmin(distances, axis=1)
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        moved = centres.copy()
        filled = mass > 0
        for axis in range(2):
            sums = np.bincount(labels, weights=weights * points[:, axis], minlength=len(centres))
            moved[filled, axis] = sums[filled] / mass[filled]
        if float(np.max(np.abs(moved - centres))) <= 1e-10:
            centres = moved
            break
        centres = moved
    distances = np.sum((points[:, None, :] - centres[None, :, :]) ** 2, axis=2)
    labels = np.argmin(distances, axis=1)
    inertia = float(np.sum(weights * distances[np.arange(len(points)), labels]))
    return centres, labels, inertia


def _smooth_k(silhouettes: dict[int, float], state: MapState | None) -> tuple[int, int, int]:
    """Apply Pol.is's k smoother; return (this update's best k, its streak, k to use)."""
    best_k = max(silhouettes, key=lambda k: (silhouettes[k], -k))
    if state is None or state.last_k == 0:
        return best_k, 1, best_k
    streak = state.last_k_count + 1 if best_k == state.last_k else 1
    if streak >= GROUP_K_BUFFER or state.smoothed_k not in silhouettes:
        return best_k, streak, best_k
    return best_k, streak, state.smoothed_k


def _stable_group_ids(
    clustering: tuple[FloatArray, NDArray[np.int64]],
    base_centres: FloatArray,
    base_sizes: IntArray,
    state: MapState | None,
) -> tuple[NDArray[np.int64], FloatArray]:
    """Number the groups 0..k-1: like the previous map's where groups persist, else by size.

    Return the group of each base cluster and the group centres in id order.
    """
    centres, labels = clustering
    k = len(centres)
    sizes = np.bincount(labels, weights=base_sizes, minlength=k)
    # Largest first; ties by position so the numbering never depends on input order.
    rank = np.lexsort((centres[:, 1], centres[:, 0], -sizes)).argsort().astype(np.float64)
    if state is not None and len(state.group_centres):
        distances = np.linalg.norm(centres[:, None, :] - state.group_centres[None, :, :], axis=2)
        new, old = linear_sum_assignment(distances)
        rank = rank + len(state.group_centres)
        rank[new] = old
    order = np.argsort(rank, kind="stable")
    new_id = np.empty(k, dtype=np.int64)
    new_id[order] = np.arange(k)
    return new_id[labels], centres[order]


def _group_counts(
    matrix: sp.csr_array, participant_groups: IntArray, n_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return (groups x statements) counts of agree, disagree and pass among members."""
    n_statements = matrix.shape[1]
    entry_groups = np.repeat(participant_groups.astype(np.int32), np.diff(matrix.indptr))
    grouped = entry_groups >= 0
    # One pass: each vote's (group, vote, statement) as one number, then one count.
    codes = (
        entry_groups[grouped].astype(np.int64) * 3 + matrix.data[grouped] + 1
    ) * n_statements + matrix.indices[grouped]
    counts = np.bincount(codes, minlength=n_groups * 3 * n_statements)
    counts = counts.reshape(n_groups, 3, n_statements).astype(np.int64)
    return counts[:, 2], counts[:, 0], counts[:, 1]
