"""The two principal components of the centred votes (Pol.is's ``pca.clj``)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from .state import MapState
from .votes import FloatArray, IntArray

_DENSE_SVD_CELLS = 250_000
"""Below this many matrix cells a dense SVD is faster than a sparse Lanczos solver."""


def _previous_components(state: MapState | None, statement_ids: IntArray) -> FloatArray | None:
    """Return the previous components on the current statements (zero for new ones)."""
    if state is None or len(state.components) == 0:
        return None
    components = np.zeros((len(statement_ids), 2))
    where = np.searchsorted(state.statement_ids, statement_ids)
    where = np.minimum(where, len(state.statement_ids) - 1)
    known = state.statement_ids[where] == statement_ids
    components[known] = state.components[where[known]]
    return components


def _principal_components(
    centred: sp.csr_array, previous: FloatArray | None, seed: int
) -> FloatArray:
    """Return the top two right singular vectors of the centred votes, as (statements, 2).

    Signs are fixed: with a previous map, each component points the way the previous
    one did (so the map does not flip between updates); otherwise the largest loading
    of each component is positive.
    """
    n_participants, n_statements = centred.shape
    if n_participants * n_statements <= _DENSE_SVD_CELLS or min(centred.shape) <= 3:
        _u, _s, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        components = vt[:2].T.copy()
    else:
        if previous is not None and n_statements <= n_participants and previous.any():
            # Lanczos started inside the old plane finds the new one in a few steps.
            start = previous.sum(axis=1) + 1e-3 * _start_vector(n_statements, seed)
        else:
            start = _start_vector(min(centred.shape), seed)
        _u, singular_values, vt = svds(
            centred, k=2, v0=start, tol=1e-7, solver="arpack", random_state=seed
        )
        order = np.argsort(-singular_values)
        components = vt[order].T.copy()
    if components.shape[1] < 2:
        components = np.hstack([components, np.zeros((n_statements, 2 - components.shape[1]))])
    for c in range(2):
        if previous is not None and previous[:, c].any():
            flip = float(components[:, c] @ previous[:, c]) < 0
        else:
            flip = components[np.argmax(np.abs(components[:, c])), c] < 0
        if flip:
            components[:, c] = -components[:, c]
    return components


def _start_vector(length: int, seed: int) -> FloatArray:
    return np.random.default_rng(seed).standard_normal(length)
