"""Accurate residuals at BLAS speed: products with ``X`` by exact slices.

The refinement's residuals ``q (y - b - X w) - r`` and gradients
``X^T (q v)`` cancel almost entirely; they are computed here to about
``53 + bits`` bits at the speed of a few passes over ``X``, as in Ozaki's
scheme: each column of ``X`` is split into *slices* of ``beta`` bits on a
grid set by the column's largest entry (``(x + sigma) - sigma``, two flops
per entry, no copy of ``X``), and the vectors it multiplies into slices of
few bits on a common grid. Every product of two slices, and every sum of
``n`` (or ``rows``) of them, then fits in 53 bits: ``gemm`` returns it
exactly. What the slices leave over (``2**-beta`` of ``X`` per slice) is
multiplied in plain float64, and the exact terms are added in double-double
(:mod:`sklearn_pinv._doubledouble`). Blocks of rows stay in cache; columns
whose offset dominates them are first centred exactly (Sterbenz).
"""

import numpy as np
from scipy import sparse

from ._doubledouble import balanced_prod, tree_sum, two_prod, two_sum
from ._numerics import reduce_columns

__all__ = ["Design", "passes", "residual", "bits_for", "SLICE_BITS"]

_BLOCK = 2**17  # elements per block of rows of X: its slices stay in cache
_MAX_ROWS = 4096  # rows per block at most (their count enters the bit budget)
_BETA_MAX = SLICE_BITS = 26  # bits per slice of X at most (its products stay exact)
_BETA_MIN = 12
_SPARE = 3  # bits kept free in every exact sum (the slices may carry one bit more)


def _bits(count):
    """Bits that a sum of ``count`` terms can add."""
    return int(np.ceil(np.log2(max(count, 2))))


def _grid_exponents(A, axis=0):
    """``c`` with ``|A| <= 2**c`` along ``axis`` (0 for all-zero lines)."""
    big = np.max(np.abs(A), axis=axis) if A.size else np.zeros(A.shape[1 - axis])
    return np.frexp(np.where(big > 0, big, 1.0))[1]


def _slice(A, exponents, beta, count, out=None):
    """``count`` slices of ``beta`` bits of ``A`` (columns on grids ``2**exponents``), and the rest.

    Returns ``(slices, rest)``: ``A == sum(slices) + rest`` exactly, slice
    ``s`` a multiple of ``2**(c - (s + 1) beta)`` with at most ``beta + 1``
    bits, ``|rest| <= 2**(c - count beta)``. ``out`` (``count + 1`` arrays
    of ``A``'s shape or larger) receives them: no allocation per block.
    """
    sigma = np.ldexp(1.0, exponents + 53 - beta)
    out = [np.empty_like(A) for _ in range(count + 1)] if out is None else \
        [o[:A.shape[0]] for o in out]
    parts, rest = [], A
    for i in range(count):
        q = np.add(rest, sigma, out=out[i])
        q -= sigma
        parts.append(q)
        rest = np.subtract(rest, q, out=out[count])  # A itself is never written
        sigma = np.ldexp(sigma, -beta)
    return parts, rest


def _sliced(A, exponents, beta, counts):
    """Per count ``k`` in ``counts`` (decreasing): ``[A_1 .. A_k, rest_k]``, ``A`` = their sum.

    The first ``k`` slices of :func:`_slice`, then everything they leave
    (plain float64: its products need not be exact).
    """
    parts, rest = _slice(A, exponents, beta, counts[0])
    out = []
    for k in counts:
        left = rest + sum(parts[k:]) if k < counts[0] else rest
        out.append(parts[:k] + [left])
    return out


class Design:
    """``X`` as the kernels read it: blocks of rows, sliced on their columns' grids.

    Dense ``X`` (either order) is read in place a block of rows at a time,
    a sparse one densified one block at a time: nothing of ``X``'s size is
    allocated. The grids come from each column's largest entry (one pass
    of two reductions, shared by every later product; or ``bound``, an upper
    bound of the columns' entries known beforehand). ``slices`` (``S``)
    sets the accuracy of the products: about ``53 + 26 S`` bits relative to
    ``|X| |w|`` (:func:`bits_for`).
    """

    def __init__(self, X, bits=52, bound=None, centre=None):
        self.sparse = sparse.issparse(X)
        self.X = X.tocsr() if self.sparse else X
        m, n = X.shape
        self.n_features = n
        self.rows = int(min(max(_BLOCK // max(n, 1), 16), _MAX_ROWS))
        self.chunks = [slice(i, min(i + self.rows, m)) for i in range(0, m, self.rows)]
        self.centre = np.zeros(n)
        if bound is None or centre is not None:
            top, bottom = _column_range(self.X)
            if centre is not None:
                self.centre = _exact_shift(np.asarray(centre, np.float64), top, bottom)
            bound = np.maximum(top - self.centre, self.centre - bottom)
        self.bound = np.asarray(bound, np.float64)
        c = np.frexp(np.where(self.bound > 0, self.bound, 1.0))[1]
        # Every grid 2**(c + 27) must be a normal float64: columns beyond
        # 2**900 (or below 2**-900) are scaled by powers of two, exactly.
        self.shift = np.where(np.abs(c) > 900, -c, 0)
        self.exponents = c + self.shift
        self.set_bits(bits)

    def set_bits(self, bits):
        """Carry about ``53 + bits`` bits in the products (``bits <= 78``).

        ``S = ceil(bits / 26)`` slices of ``X`` of ``beta = ceil(bits / S)``
        bits each: the fewer bits per slice of ``X``, the more per slice of
        the vectors (``beta_w + beta + log2(n) <= 50``), so the fewer of them.
        """
        bits = float(np.clip(bits, 1, 3 * _BETA_MAX))
        S = self.slices = int(np.ceil(bits / _BETA_MAX))
        beta = self.beta = int(np.clip(np.ceil(bits / S), _BETA_MIN, _BETA_MAX))
        self.beta_w = 53 - _SPARE - beta - _bits(self.n_features)  # per slice of coefficients
        self.beta_v = 53 - _SPARE - beta - _bits(self.rows)  # ... of a residual block
        if min(self.beta_w, self.beta_v) < 4:
            raise ValueError("too many features for the sliced products")
        self.w_counts = [int(np.ceil((S - s) * beta / self.beta_w)) for s in range(S)]
        self.v_counts = [int(np.ceil((S - s) * beta / self.beta_v)) for s in range(S)]
        self.w_gaps = _gaps(beta, self.beta_w, self.w_counts)
        self.v_gaps = _gaps(beta, self.beta_v, self.v_counts)

    def block(self, chunk, out=None):
        """``X[chunk] - centre`` as a dense float64 array (exact; a view if nothing to subtract)."""
        B = np.asarray(self.X[chunk].toarray() if self.sparse else self.X[chunk], np.float64)
        if not np.any(self.centre):
            return B
        return np.subtract(B, self.centre, out=None if out is None else out[:B.shape[0]])

    def sliced_blocks(self):
        """``(chunk, slices, rest)`` per block of rows: ``X[chunk] 2**shift`` exactly.

        The slices live in buffers reused from block to block (a fresh
        half-megabyte array per block costs page faults).
        """
        scaled = bool(np.any(self.shift))
        buffers = [np.empty((self.rows, self.n_features)) for _ in range(self.slices + 2)]
        for sl in self.chunks:
            B = self.block(sl, buffers[-1])
            yield (sl, *_slice(np.ldexp(B, self.shift) if scaled else B, self.exponents,
                               self.beta, self.slices, buffers[:-1]))

    def coefficient_slices(self, w):
        """``w`` in the scaled units, and per slice of ``X`` the columns it multiplies exactly.

        For slice ``s``: ``[w_1 .. w_T, rest]`` side by side, (n, t (T + 1));
        its product with slice ``s`` is exact but for the last ``t`` columns.
        """
        w = np.ldexp(w, -self.shift[:, None])
        scaled = np.ldexp(w, self.exponents[:, None])  # on the columns' grids: exact
        sliced = _sliced(scaled, _grid_exponents(scaled), self.beta_w, self.w_counts)
        return w, [np.ldexp(np.hstack(cols), -self.exponents[:, None]) for cols in sliced]


def _column_range(X):
    """Column maxima and minima, by reductions (no temporary of ``X``'s size)."""
    if X.shape[0] == 0:
        return np.zeros(X.shape[1]), np.zeros(X.shape[1])
    if sparse.issparse(X):
        top, bottom = X.max(axis=0), X.min(axis=0)
    else:
        top, bottom = reduce_columns(X, np.maximum), reduce_columns(X, np.minimum)
    if sparse.issparse(top):
        top, bottom = top.toarray(), bottom.toarray()
    return np.asarray(top, np.float64).ravel(), np.asarray(bottom, np.float64).ravel()


def _exact_shift(centre, top, bottom):
    """``centre`` where subtracting it from every entry of the column is exact, else 0.

    Sterbenz: ``x - c`` is exact when ``c / 2 <= x <= 2 c``, i.e. when the
    column's range lies within a factor two of ``c`` (a large offset).
    """
    ok = np.where(centre > 0, (bottom >= centre / 2) & (top <= 2 * centre),
                  (top <= centre / 2) & (bottom >= 2 * centre))
    return np.where(ok & (centre != 0), centre, 0.0)


def _gaps(beta, beta_vec, counts):
    """For each slice ``s`` of ``X``: the exponent gap (below the leading product) of
    its products with the ``counts[s]`` slices of the vector, then with their rest."""
    return [[s * beta + j * beta_vec for j in range(k + 1)] for s, k in enumerate(counts)]


def _combined(products, gaps, small, t, limit):
    """``(hi, lo)`` of the sum of the products: two-sums where they matter.

    ``products[s]`` holds, as rows, the ``t``-row groups of slice ``s``'s
    products (``(K t, b)``, contiguous), ``gaps[s]`` their exponent gaps
    below the leading product. Terms ``2**-limit`` or more below it are
    added in plain float64 (their rounding is below the accuracy the
    slices promise); the others by error-free two-sums (Sum2). ``small``
    (``(t, b)``) is already such a term.
    """
    hi = lo = None
    for P, gap in zip(products, gaps):
        for j, g in enumerate(gap):
            term = P[j * t:(j + 1) * t]
            if g >= limit:
                small = small + term
            elif hi is None:
                hi, lo = term, np.zeros_like(term)
            else:
                hi, err = two_sum(hi, term)
                lo = lo + err
    if hi is None:
        hi, lo = small, np.zeros_like(small)
    else:
        lo = lo + small
    if t == 1:
        return hi.reshape(-1, 1), lo.reshape(-1, 1)
    # C order, as the arrays it meets (mixed layouts make every ufunc slow)
    return np.ascontiguousarray(hi.T), np.ascontiguousarray(lo.T)


def _times(design, parts, rest, w, w_slices):
    """``(hi, lo)`` of ``B @ w`` (``(b, t)``) for a block given as slices."""
    products = [W.T @ q.T for q, W in zip(parts, w_slices)]  # (K t, b): rows contiguous
    return _combined(products, design.w_gaps, w.T @ rest.T, w.shape[1],
                     design.slices * design.beta)


def _transposed_times(design, parts, rest, v_hi, v_lo):
    """``(hi, lo)`` of ``B^T (v_hi + v_lo)`` (``(n, t)``) for a block given as slices."""
    sliced = _sliced(v_hi, _grid_exponents(v_hi), design.beta_v, design.v_counts)
    products = []
    for q, cols in zip(parts, sliced):
        cols[-1] = cols[-1] + v_lo
        products.append(np.hstack(cols).T @ q)  # (K t, n): rows contiguous
    return _combined(products, design.v_gaps, (v_hi + v_lo).T @ rest, v_hi.shape[1],
                     design.slices * design.beta)


def bits_for(amplification):
    """Extra bits (beyond 53) that make the products' error ``amplification`` times below eps."""
    return float(np.log2(max(float(amplification), 1.0))) + 4


def _weighted(q, hi, lo):
    """``q * (hi + lo)`` as a double-double pair (``q`` a column, or None)."""
    if q is None:
        return hi, lo
    p, e = two_prod(q, hi)
    return p, e + q * lo


def _block_residual(Y, q, b, xw, r):
    """``q (Y - b - xw) - r`` of one block as ``(hi, lo)``; ``b``, ``xw`` double-double pairs."""
    s, e = two_sum(Y, -b[0])
    s, e2 = two_sum(s, -xw[0])
    s, c = _weighted(q, s, e + e2 - xw[1] - b[1])
    if r is not None:
        s, e = two_sum(s, -r)
        c = c + e
    hi = s + c
    return hi, (s - hi) + c


def _gradient_input(which, f_hi, f_lo, r):
    """The ``v`` of a gradient ``X^T (q v)`` as a pair: ``f``, its float part, or ``r``."""
    if which == "f":
        return f_hi, f_lo
    v = f_hi if which == "f_hi" else r
    return v, np.zeros_like(v)


def passes(design, Y, q, coef, intercept, r=None, gradient_of=None):
    """One pass over ``X``: the residual and, on request, a gradient, double-double accurate.

    ``f = q * (Y - intercept - X coef) - r`` (``r`` None: 0) as ``(f_hi,
    f_lo)``; with ``gradient_of="f"`` (``"f_hi"``, ``"r"``) also ``(q^T v,
    X^T (q v))`` for ``v = f`` (its float64 part ``f_hi``, ``r``). ``q`` is
    the square root of the weights or None.
    Returns ``(f_hi, f_lo, grad_b, grad_w)`` (the gradients None if not asked).
    """
    w, w_slices = design.coefficient_slices(np.asarray(coef, np.float64))
    # X w = (X - centre) w + centre . w: the intercept takes the second term.
    intercept = _shifted_intercept(design.centre, np.asarray(coef, np.float64), intercept)
    f_hi, f_lo = np.empty_like(Y), np.empty_like(Y)
    n, t = design.n_features, Y.shape[1]
    g_hi, g_lo = np.zeros((n, t)), np.zeros((n, t))
    qc = None if q is None else q[:, None]
    b_hi, b_lo = np.zeros(t), np.zeros(t)
    for sl, parts, rest in design.sliced_blocks():
        qb = None if qc is None else qc[sl]
        f_hi[sl], f_lo[sl] = _block_residual(Y[sl], qb, intercept,
                                              _times(design, parts, rest, w, w_slices),
                                              None if r is None else r[sl])
        if gradient_of is not None:
            v = _weighted(qb, *_gradient_input(gradient_of, f_hi[sl], f_lo[sl],
                                               r if r is None else r[sl]))
            gh, gl = _transposed_times(design, parts, rest, *v)
            g_hi, e = two_sum(g_hi, gh)
            g_lo += e + gl
            # Block by block: a temporary of the size of y is slow to allocate.
            sh, sl_ = tree_sum(*v)
            b_hi, e = two_sum(b_hi, sh)
            b_lo += e + sl_
    if gradient_of is None:
        return f_hi, f_lo, None, None
    g_hi, g_lo = np.ldexp(g_hi, -design.shift[:, None]), np.ldexp(g_lo, -design.shift[:, None])
    if np.any(design.centre):  # X^T u = (X - centre)^T u + centre (1^T u)
        p, e = balanced_prod(design.centre[:, None], b_hi[None, :])
        g_hi, e2 = two_sum(g_hi, p)
        g_lo = g_lo + e + e2 + design.centre[:, None] * b_lo[None, :]
    return f_hi, f_lo, b_hi + b_lo, g_hi + g_lo


def _shifted_intercept(centre, coef, intercept):
    """``intercept + centre . coef`` per target as a double-double pair."""
    intercept = np.broadcast_to(np.asarray(intercept, np.float64), (coef.shape[1],))
    if not np.any(centre):
        return intercept, np.zeros_like(intercept)
    hi, lo = tree_sum(*balanced_prod(centre[:, None], coef))
    hi, e = two_sum(hi, intercept)
    return hi, lo + e


def residual(design, Y, q, coef, intercept, r):
    """``f = q * (Y - intercept - X coef) - r`` as a pair ``(hi, lo)``, ``f ~ hi + lo``."""
    return passes(design, Y, q, coef, intercept, r)[:2]
