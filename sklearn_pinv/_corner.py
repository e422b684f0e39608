"""The corner of a discrete, noisy L-curve by adaptive pruning.

Hansen, Jensen & Rodriguez, "An adaptive pruning algorithm for the discrete
L-curve criterion", J. Comput. Appl. Math. 198 (2007), 483-492 (Hansen's
``corner`` in Regularization Tools 4).

A discrete L-curve (one point per truncation rank, or per alpha on a grid)
is not smooth: in the noisy tail, where tiny singular values blow the
solution norm up, consecutive points jump by decades and the sharpest turn
of the raw polygon is often there. The algorithm therefore looks for
corners on *pruned* curves made of only the ``p`` longest edges
(``p = 5, 10, 20, ...``), which keep the global L shape and drop the short
wiggles, with two detectors per pruned curve:

* the sharpest clockwise turn between consecutive kept edges;
* the point closest to the "origin" where the most horizontal kept edge's
  level meets the line of the most vertical kept edge after it.

From the sorted candidates (plus the first point) it picks the most
regularised candidate from which the step to the next one raises
``log ||w||`` by more than it lowers ``log ||r||`` and at which the curve
turns convexly; i.e. the point where further steps stop paying in residual.

Give it only the meaningful part of the curve: truncation ranks above the
rounding level of the spectrum (ranks whose singular values are noise of
the arithmetic add a second, spurious L), Tikhonov alphas from about
``s_1^2`` down to about ``max(s_n^2, eps s_1^2)``, as Hansen's ``l_curve``.

Limits of the criterion itself, which no corner finder removes: for slowly
decaying spectra with smooth solutions (phillips) the corner lies past the
optimal rank, more so as the noise shrinks (Hanke, BIT 36 (1996), 287-301;
Vogel, Inverse Problems 12 (1996), 535-547).
"""

import numpy as np

__all__ = ["lcurve_corner_index"]


def _clean(residual_norms, solution_norms):
    """Log coordinates of the usable points and their original indices.

    Points with a zero, infinite or NaN norm have no logarithm; a point
    equal to its predecessor adds a zero-length edge with no direction.
    """
    rho = np.asarray(residual_norms, dtype=np.float64)
    eta = np.asarray(solution_norms, dtype=np.float64)
    if rho.ndim != 1 or rho.shape != eta.shape:
        raise ValueError(
            "residual_norms and solution_norms must be 1-D arrays of the same "
            f"length, got shapes {rho.shape} and {eta.shape}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        P = np.column_stack([np.log10(rho), np.log10(eta)])
    index = np.flatnonzero(np.isfinite(P).all(axis=1))
    if index.size == 0:
        raise ValueError("No L-curve point has finite, positive norms.")
    P = P[index]
    moved = np.append(True, np.any(np.diff(P, axis=0) != 0, axis=1))
    return P[moved], index[moved]


def _sharpest_turn(W, edges):
    """End point of the edge before the sharpest clockwise turn, or None."""
    if edges.size < 2:
        return None
    wedge = W[:-1, 0] * W[1:, 1] - W[1:, 0] * W[:-1, 1]
    k = int(np.argmin(wedge))
    return int(edges[k]) + 1 if wedge[k] < 0 else None


def _flat_then_steep(W, edges):
    """Positions (in ``edges``) of a flat edge followed by a steep one.

    Grows the pools of the ``c`` flattest and ``c`` steepest edges until
    some flat edge comes before some steep one; the flattest such pair wins.
    """
    order = np.argsort(np.abs(W[:, 1]), kind="stable")  # flattest first
    for c in range(1, order.size + 1):
        flat, steep = order[:c], order[::-1][:c]
        for i in flat:
            later = steep[steep > i]
            if later.size:
                return int(i), int(later[0])
    return None


def _closest_to_origin(P, W, edges):
    """The point of the whole curve nearest the pruned curve's "origin"."""
    pair = _flat_then_steep(W, edges)
    if pair is None:
        return None
    a, (j0, j1) = P[edges[pair[0]]], P[edges[pair[1]] : edges[pair[1]] + 2]
    if j1[1] == j0[1]:
        return None  # even the steepest kept edge is horizontal
    # Where the steep edge's line reaches the flat edge's level.
    x = j1[0] + (a[1] - j1[1]) / (j1[1] - j0[1]) * (j1[0] - j0[0])
    return int(np.argmin(np.sum((P - [x, a[1]]) ** 2, axis=1)))


def _candidates(P):
    """Corner candidates of the pruned curves, and whether any turned convexly."""
    V = np.diff(P, axis=0)
    length = np.hypot(V[:, 0], V[:, 1])
    W = V / length[:, None]
    longest = np.argsort(-length, kind="stable")
    found, convex, p = set(), False, min(5, longest.size)
    while p < 2 * longest.size:
        edges = np.sort(longest[:p])
        turn = _sharpest_turn(W[edges], edges)
        convex |= turn is not None
        found |= {c for c in (turn, _closest_to_origin(P, W[edges], edges)) if c is not None}
        p *= 2
    return np.array(sorted(found | {0})), convex


def _select(P, cand):
    """The most regularised candidate after which the norm rises faster than
    the residual falls, at a convex turn (else the last such candidate)."""
    step = np.diff(P[cand], axis=0)
    steep = np.flatnonzero(step[:, 1] >= np.abs(step[:, 0]))
    # The step from the first point does not count: a curve may start on a
    # steep "head" (Tikhonov with alpha above s_1^2) that is no corner.
    steep = steep[steep > 0]
    if steep.size == 0:
        return int(cand[-1])
    u = step / np.hypot(step[:, 0], step[:, 1])[:, None]
    wedge = u[:-1, 0] * u[1:, 1] - u[1:, 0] * u[:-1, 1]  # turn at cand[1:-1]
    convex = steep[wedge[steep - 1] <= 0]
    return int(cand[convex[0]] if convex.size else cand[steep[-1]])


def lcurve_corner_index(residual_norms, solution_norms):
    """Index of the corner of a discrete L-curve (adaptive pruning).

    Parameters
    ----------
    residual_norms : array-like of shape (n_points,)
        ``||A x_k - b||`` per candidate, ordered by decreasing regularisation
        (increasing truncation rank, or decreasing alpha).
    solution_norms : array-like of shape (n_points,)
        ``||x_k||`` per candidate, in the same order.

    Returns
    -------
    index : int
        Position of the corner in the input arrays. Points with a zero,
        infinite or NaN norm are ignored. With fewer than three usable
        points, or when no pruned curve turns like an "L" (no corner: the
        flat arm never ends), the last usable point is returned.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv._corner import lcurve_corner_index
    >>> rho = np.array([10.0, 3.0, 1.0, 0.99, 0.98, 0.97])
    >>> eta = np.array([1.0, 1.1, 1.2, 10.0, 100.0, 1000.0])
    >>> int(lcurve_corner_index(rho, eta))
    2
    """
    P, index = _clean(residual_norms, solution_norms)
    if index.size < 3:
        return int(index[-1])
    cand, convex = _candidates(P)
    return int(index[_select(P, cand) if convex else -1])
