"""Score every (alpha, tol) candidate from one factorization (for ``_cv``).

Candidates are ordered alpha-major, tol-minor (``GridSearchCV``'s order for
``{"alpha": ..., "tol": ...}``). Tolerances that keep the same singular
values share their work. Predictions are built in blocks of candidates so
the memory of a fold stays bounded. The data come as a
:class:`~sklearn_pinv._cv_data.SearchData` (dense, sparse or array API).
"""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from ._compat import accept_sample_weight
from ._loo import loo_residuals, tikhonov_shrinkage
from ._selection import gcv_values
from ._spectral import tikhonov_factors
from .tolerance import cut

__all__ = ["loo_factorization", "loo_search", "kfold_search"]

_CHUNK = 2**22  # elements per block of predictions
_FAST = {"r2", "neg_mean_squared_error"}


class _Fixed(RegressorMixin, BaseEstimator):
    """A regressor that returns precomputed predictions, to feed any scorer."""

    def __init__(self, predictions=None):
        self.predictions = predictions

    def fit(self, X=None, y=None):
        return self

    def predict(self, X):
        return self.predictions


def _groups(fact, tols):
    """Kept masks per tol, deduplicated: ``(masks, tol_to_group)``."""
    masks, index = [], []
    for tol in tols:
        kept = cut(tol, fact)[1]
        for g, mask in enumerate(masks):
            if np.array_equal(mask, kept):
                index.append(g)
                break
        else:
            index.append(len(masks))
            masks.append(kept)
    return masks, np.array(index)


def _to_candidates(per_group, index):
    """(groups, A, ...) -> (A * T, ...): alpha outer, tol inner."""
    x = np.asarray(per_group)[index]  # (T, A, ...)
    x = np.swapaxes(x, 0, 1)
    return x.reshape((x.shape[0] * x.shape[1],) + x.shape[2:])


def _chunks(n_alphas, rows):
    step = max(1, _CHUNK // max(rows, 1))
    return [slice(i, min(i + step, n_alphas)) for i in range(0, n_alphas, step)]


def score_kwargs(scorer, sw):
    """Forward ``sample_weight`` to scorers that take it, as GridSearchCV and RidgeCV do."""
    if sw is None:
        return None
    if not accept_sample_weight(scorer):
        warnings.warn(f"The scoring {scorer} does not support sample_weight; "
                      "the cross-validated scores are unweighted.", UserWarning)
        return None
    return sw


def _fast_scores(name, P, Y, w):
    """r2 or negative MSE of ``P`` (m, c, t) against ``Y`` (m, t), weighted; (c, t)."""
    w = np.ones(Y.shape[0]) if w is None else w.astype(np.float64)
    err = np.einsum("i,ict->ct", w, (Y[:, None, :] - P).astype(np.float64) ** 2)
    if name == "neg_mean_squared_error":
        return -err / w.sum()
    Y64 = Y.astype(np.float64)
    tot = w @ (Y64 - w @ Y64 / w.sum()) ** 2
    if np.any(tot == 0):  # r2_score's special cases: let the scorer handle them
        return None
    return 1 - err / tot


def _scorer_scores(scorer, P, X, Y, w, one_target, per_target):
    """Any scorer on predictions ``P`` (m, c, t); shape (c, t) or (c, 1)."""
    kw = {} if w is None else {"sample_weight": w}
    c, t = P.shape[1], P.shape[2]
    if per_target:
        return np.array([[scorer(_Fixed(P[:, i, j]), X, Y[:, j], **kw) for j in range(t)]
                         for i in range(c)])
    y = Y[:, 0] if one_target else Y
    return np.array([[scorer(_Fixed(P[:, i, 0] if one_target else P[:, i, :]), X, y, **kw)]
                     for i in range(c)])


def _score_block(scoring, scorer, P, X, Y, w, one_target, per_target):
    scores = _fast_scores(scoring, P, Y, w) if scoring in _FAST else None
    if scores is None:
        return _scorer_scores(scorer, P, X, Y, w, one_target, per_target)
    return scores if per_target else scores.mean(axis=1, keepdims=True)


def _loo_mse(e, per_target):
    """Scores ``-mean(e^2)`` (c, t') and their spread over samples (c,), in one pass."""
    m, c, t = e.shape
    sq = np.square(e, out=e)  # e is a scratch array here
    per = np.einsum("ict->ct", sq) / m
    per_sample = sq.mean(axis=2) if t > 1 else sq[:, :, 0]
    with np.errstate(invalid="ignore", over="ignore"):
        spread = np.sqrt(np.maximum(
            np.einsum("ic,ic->c", per_sample, per_sample) / m - per.mean(axis=1) ** 2, 0))
    return -(per if per_target else per.mean(axis=1, keepdims=True)), spread


# ------------------------------------------------------------- leave-one-out
def _loo_columns(fact, masks):
    """The directions leave-one-out reads: kept by some tol, with ``s > 0``."""
    return np.flatnonzero(np.any(masks, axis=0) & (fact.singular_values > 0))


def _complete(data, fact, cols, blocks):
    """``(cols, blocks, complete)``: whether the directions and the intercept span every sample.

    Then nothing of ``y`` or of the leverage lies outside them, and
    :func:`loo_residuals` need not form ``1 - h`` as a difference (exact
    down to the smallest alpha). Wide ``X`` with an intercept: ``Xc`` has
    rank ``m - 1``, so a kept ``m``-th singular value is rounding and its
    ``U`` column the intercept's own direction ``sqrt(w) / ||sqrt(w)||``:
    that column is left out (its filter factor is at the rounding level
    too), rather than counting the intercept's leverage twice.
    """
    sw, m = data.sample_weight, data.n_samples
    surplus = cols.size + int(fact.fit_intercept) - m
    if surplus < 0 or (sw is not None and not np.all(sw > 0)):
        return cols, blocks, False
    if surplus == 0:
        return cols, blocks, True
    e = np.ones(m) if sw is None else np.sqrt(sw)
    dots = sum(e[rows] @ U for rows, U in blocks) / np.linalg.norm(e)
    # Only a column that IS that direction (to ~sqrt(eps)); on a square
    # ill-posed X it is spread over many rounding-level columns instead.
    aligned = np.abs(dots) > 1 - 1e-8
    if np.count_nonzero(aligned) != surplus:
        return cols, blocks, False
    return cols[~aligned], data.left_vectors(fact, cols[~aligned]), True


def _accurate_U(fact, masks):
    # U = Xc V / s loses ~eps * s_max / s_i on direction i: fine for a
    # well-conditioned kept spectrum, else refactor and keep the true U.
    s = fact.singular_values[_loo_columns(fact, masks)]
    eps = np.finfo(s.dtype).eps  # the arrays' precision, not the data's
    return fact.U is not None or s.size == 0 or s.max() <= s.min() * eps**-0.25


def loo_factorization(data, tols, criterion):
    """The factorization of all the data for ``cv=None``, with ``U`` where it pays.

    Array API data keep ``U`` from their SVD (no extra cost). Dense data
    keep it only when the kept spectrum is too ill-conditioned for
    ``Xc V / s``; sparse data cannot (it would be dense), and rebuild ``U``
    from ``V`` by row blocks whatever the conditioning.
    """
    fact = data.factor(keep_U=data.kind == "array-api" and criterion == "loo")
    masks = _groups(fact, tols)[0]
    if criterion == "loo" and data.kind == "dense" and not _accurate_U(fact, masks):
        fact = data.factor(keep_U=True)
    return fact


def _residuals(blocks, Yc, z, phi, psi, sw, **options):
    """Exact LOO residuals (m, c, t), filled one block of rows of ``U`` at a time."""
    m, c, t = Yc.shape[0], phi.shape[1], z.shape[1]
    if isinstance(blocks, list) and len(blocks) == 1:
        rows, U = blocks[0]
        return loo_residuals(U, Yc[rows], z, phi, sw, shrink=psi, **options)
    e = np.empty((m, c, t))
    total = m if sw is None else float(np.sum(sw))
    for rows, U in blocks:
        e[rows] = loo_residuals(U, Yc[rows], z, phi, None if sw is None else sw[rows],
                                shrink=psi, weight_sum=total, **options)
    return e


def _loo_predictions(data, fact, e, mask, alphas):
    """Leave-one-out predictions on the original scale; shape (m, c, t)."""
    Y, sw = data.Y, data.sample_weight
    if sw is None:
        return Y[:, None, :] - e
    with np.errstate(divide="ignore", invalid="ignore"):
        P = Y[:, None, :] - e / np.sqrt(sw)[:, None, None]
    zero = np.flatnonzero(sw == 0)
    if zero.size:  # a sample of weight 0 is left out already: its own fit
        phi = tikhonov_factors(fact.singular_values, mask, alphas)
        X_zero = data.rows(zero)
        for i in range(alphas.size):
            coef = fact.solve(phi[:, i]).astype(np.float64)
            P[zero, i, :] = data.matmul(X_zero, coef) + fact.intercept(coef)
    return P


def _candidate_values(values, index):
    """Per-group values (G, m, t, A) -> (m, t, A * T): alpha outer, tol inner."""
    x = np.moveaxis(values[index], 0, -1)  # (m, t, A, T)
    return x.reshape(x.shape[:2] + (-1,))


def loo_search(data, fact, alphas, tols, *, criterion, scorer, one_target, per_target,
               store=False):
    """Exact LOO (or GCV) of every candidate from one factorization of all the data.

    Returns ``(scores (1, C, t'), spread (C,), values)``: the spread is the
    standard deviation over samples of the squared LOO errors (NaN for GCV
    or a scorer); ``values`` (m, t, C) holds, with ``store``, the squared
    (weighted) LOO errors for ``scorer=None``, else the LOO predictions, as
    ``RidgeCV(store_cv_results=True)``; None otherwise.
    """
    masks, index = _groups(fact, tols)
    s, (m, t) = fact.singular_values, data.Y.shape
    scores = np.empty((len(masks), alphas.size, t if per_target else 1))
    spread = np.full((len(masks), alphas.size), np.nan)
    if criterion == "gcv":
        for g, mask in enumerate(masks):
            gcv = -gcv_values(fact, tikhonov_factors(s, mask, alphas))
            scores[g] = gcv if per_target else gcv.mean(axis=1, keepdims=True)
        return _to_candidates(scores, index)[None], _to_candidates(spread, index), None
    values = np.empty((len(masks), m, t, alphas.size)) if store else None
    cols = _loo_columns(fact, masks)
    blocks, accurate = data.left_vectors(fact, cols), _accurate_U(fact, masks)
    # An accurate U: r and 1 - h from what the filter leaves (exact as alpha -> 0);
    # else (sparse X, ill-conditioned) from what it takes.
    cols, blocks, complete = (_complete(data, fact, cols, blocks) if accurate
                              else (cols, blocks, False))
    Yc, sw = data.centred_targets(fact), data.sample_weight
    w = None if scorer is None else score_kwargs(scorer, sw)
    options = {"fit_intercept": fact.fit_intercept, "complete": complete}
    for g, mask in enumerate(masks):
        phi = tikhonov_factors(s, mask, alphas)
        psi = tikhonov_shrinkage(s, mask, alphas) if accurate else None
        for sl in _chunks(alphas.size, m * t):
            e = _residuals(blocks, Yc, fact.z[cols], phi[cols, sl],
                           None if psi is None else psi[cols, sl], sw, **options)
            if scorer is None:
                scores[g, sl], spread[g, sl] = _loo_mse(e, per_target)  # e now squared
            else:
                e = _loo_predictions(data, fact, e, mask, alphas[sl])
                scores[g, sl] = _scorer_scores(scorer, e, data.rows(), data.Y, w, one_target,
                                               per_target)
            if store:
                values[g][:, :, sl] = e.transpose(0, 2, 1)
    values = None if values is None else _candidate_values(values, index)
    return _to_candidates(scores, index)[None], _to_candidates(spread, index), values


# -------------------------------------------------------------------- k-fold
def _fold_scores(fact, data, test, w_test, alphas, tols, scoring, scorer,
                 one_target, per_target):
    masks, index = _groups(fact, tols)
    (k, t), m = fact.z.shape, len(test)
    X_test, Y_test = data.rows(test), data.Y[test]
    scores = np.empty((len(masks), alphas.size, t if per_target else 1))
    s = fact.singular_values[:, None]
    if fact.implicit:  # wide/square routes keep V as reflectors: X_test V once per fold
        XV, xv = fact.project(X_test), fact.project(fact.X_offset[None, :])[0]
    for g, mask in enumerate(masks):
        phi = tikhonov_factors(fact.singular_values, mask, alphas)
        d = np.divide(phi, s, out=np.zeros_like(phi), where=phi > 0)
        for sl in _chunks(alphas.size, m * t):
            c = d[:, sl].shape[1]
            # Every candidate's coefficients at once: V diag(phi / s) z, (n, c * t).
            coords = (d[:, sl, None] * fact.z[:, None, :]).reshape(k, c * t)
            if fact.implicit:
                P, off = XV @ coords, xv @ coords
            else:
                coef = fact.V @ coords
                P, off = data.matmul(X_test, coef), fact.X_offset @ coef
            P = P.reshape(m, c, t)
            if fact.fit_intercept:
                P += fact.y_offset - off.reshape(c, t)
            scores[g, sl] = _score_block(scoring, scorer, P, X_test, Y_test, w_test,
                                         one_target, per_target)
    return _to_candidates(scores, index)


def kfold_search(data, splits, alphas, tols, *, scoring, scorer, one_target, per_target):
    """Scores (n_splits, C, t') from one factorization per training fold."""
    w = score_kwargs(scorer, data.sample_weight)
    out = []
    for train, test in splits:
        fact = data.factor(train)
        out.append(_fold_scores(fact, data, test, None if w is None else w[test],
                                alphas, tols, scoring, scorer, one_target, per_target))
    return np.array(out)
