"""Parameter-choice rules as pure functions over a factorization."""

import numpy as np

__all__ = ["truncated_residual_sq", "gcv_truncation_rank"]


def truncated_residual_sq(factorization):
    """``||r_k||^2`` summed over targets, for every rank ``k = 0..K``; shape (K+1,).

    Dropping directions ``k+1..K`` adds their ``z_i^2`` to the residual that
    no linear model removes (``rho^2``).
    """
    z2 = np.sum(factorization.z.astype(np.float64) ** 2, axis=1)
    rho2 = float(np.sum(factorization.residual_norms.astype(np.float64) ** 2))
    tail = np.concatenate([np.cumsum(z2[::-1])[::-1], [0.0]])
    return tail + rho2


def gcv_truncation_rank(factorization, max_rank=None):
    """Rank ``k`` minimising ``G(k) = ||r_k||^2 / (m - k - fit_intercept)^2``.

    Only ranks at a gap (``s_k > s_{k+1}``) and with positive residual degrees
    of freedom are candidates; ``max_rank`` caps the search.
    """
    s = factorization.singular_values
    m = factorization.shape[0]
    K = s.size if max_rank is None else min(max_rank, s.size)
    ks = np.arange(K + 1)
    dof = m - ks - int(factorization.fit_intercept)
    res = truncated_residual_sq(factorization)[: K + 1]
    s_next = np.append(s, 0.0)  # s_next[k]: the largest value rank k drops
    at_gap = np.ones(K + 1, dtype=bool)
    at_gap[1:] = s[:K] > s_next[1 : K + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where((dof > 0) & at_gap, res / dof.astype(float) ** 2, np.inf)
    return int(np.argmin(g)) if np.isfinite(g).any() else 0
