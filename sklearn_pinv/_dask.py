"""Fit and predict on dask arrays: a tree reduction of per-chunk R factors.

Each row chunk of ``[X, y, w]`` becomes one :class:`~sklearn_pinv._streaming.RFactor`
on the worker that holds it; pairs of factors merge (one small QR each) up a
binary tree, so only ``(1 + n + t)``-squared blocks travel between workers and
to the client. Whatever scheduler is active runs the graph (threads,
processes, or a ``dask.distributed`` client). dask is imported only when a
dask array is actually passed.
"""

import numpy as np

from ._streaming import RFactor

__all__ = ["is_dask_array", "target_shape", "factorize", "predict"]


def is_dask_array(X):
    """True for a ``dask.array.Array``, without importing dask."""
    return type(X).__module__.startswith("dask.") and hasattr(X, "to_delayed")


def _as_rows(da, a, row_chunks, name):
    """``a`` (dask or not) as a dask array chunked like ``X``'s rows, one column chunk."""
    if not is_dask_array(a):
        a = da.from_array(np.asarray(a))
    if a.shape[0] != sum(row_chunks):
        raise ValueError(
            f"{name} has {a.shape[0]} rows but X has {sum(row_chunks)}."
        )
    return a.rechunk((row_chunks,) + tuple(-1 for _ in a.shape[1:]))


def _check_block(x, name, dtype):
    x = np.asarray(x, dtype=dtype)
    if not np.isfinite(x).all():
        raise ValueError(f"Input {name} contains NaN or infinity.")
    return x


def _block_r(x, y, w, dtype):
    """The R factor of one chunk (runs on a worker)."""
    x = _check_block(x, "X", dtype)
    y = _check_block(y, "y", dtype).reshape(x.shape[0], -1)
    if w is not None:
        w = _check_block(w, "sample_weight", dtype)
        if (w < 0).any():
            raise ValueError("Negative values in data passed to sample_weight.")
    return RFactor.from_block(x, y, w)


def _merge(a, b):
    return a.merge(b)


def _tree_reduce(delayed, parts):
    """Pairwise merges, ``log2(chunks)`` levels deep."""
    while len(parts) > 1:
        pairs = [parts[i:i + 2] for i in range(0, len(parts), 2)]
        parts = [delayed(_merge)(*p) if len(p) == 2 else p[0] for p in pairs]
    return parts[0]


def _prepare(X):
    import dask.array as da

    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D dask array for X, got {X.ndim}-D.")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError(
            "X has unknown chunk sizes along its rows; call "
            "X.compute_chunk_sizes() (or build it with known chunks) first."
        )
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    # A row chunk must hold whole rows: chunks along the features would each
    # see only some columns. Merging them is a rechunk, done lazily by dask.
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    return da, X, dtype


def target_shape(X, y):
    """``(n_targets, y_is_1d)`` from the shapes alone (nothing is computed)."""
    _prepare(X)
    ndim = np.ndim(y)
    if ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D, got {ndim}-D.")
    return (1 if ndim == 1 else np.shape(y)[1]), ndim == 1


def factorize(X, y, sample_weight, fit_intercept):
    """Factor dask ``X, y`` on the active scheduler.

    Returns ``(Factorization, RFactor, n_targets, y_is_1d)``.
    """
    import dask

    da, X, dtype = _prepare(X)
    rows = X.chunks[0]
    Y = _as_rows(da, y, rows, "y")
    if Y.ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D, got {Y.ndim}-D.")
    if not np.issubdtype(Y.dtype, np.number) and Y.dtype != bool:
        raise ValueError(f"y must be numeric, got dtype {Y.dtype}.")
    n_targets = 1 if Y.ndim == 1 else Y.shape[1]
    xs, ys = X.to_delayed().ravel(), Y.to_delayed().ravel()
    ws = [None] * len(xs)
    if sample_weight is not None:
        ws = _as_rows(da, sample_weight, rows, "sample_weight").to_delayed().ravel()
    parts = [dask.delayed(_block_r)(x, b, w, dtype) for x, b, w in zip(xs, ys, ws)]
    (acc,) = dask.compute(_tree_reduce(dask.delayed, parts))
    return acc.to_factorization(fit_intercept), acc, n_targets, Y.ndim == 1


def _predict_block(x, coef, intercept):
    return x @ coef.T + intercept


def predict(X, coef, intercept, n_features):
    """``X @ coef.T + intercept`` as a lazy dask array, chunked like ``X``'s rows."""
    _, X, _ = _prepare(X)
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} features, but the model is expecting "
            f"{n_features} features as input."
        )
    dtype = np.result_type(X.dtype, coef.dtype)
    if coef.ndim == 1:
        return X.map_blocks(_predict_block, coef, intercept, drop_axis=1, dtype=dtype)
    chunks = (X.chunks[0], (coef.shape[0],))
    return X.map_blocks(_predict_block, coef, intercept, chunks=chunks, dtype=dtype)
