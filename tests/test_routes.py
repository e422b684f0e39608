"""The dense routes (tall QR, wide QR of Xc^T, square bidiagonal) against NumPy/SciPy.

Each route must give the spectrum of the centred, weighted design
(``numpy.linalg.svd``), the minimum-norm solution (``numpy.linalg.pinv``) and
Ridge's solution, for float64 and float32, one or many targets, full rank or
not. The wide and square routes keep ``V`` as Householder reflectors: their
products with ``V`` are checked against the dense ``V``, and a fit must not
form it (peak memory). The residual kernels of the refinement are checked
against exact rational arithmetic.
"""

import math
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest
from scipy import linalg as scipy_linalg
from scipy import sparse
from sklearn.linear_model import Ridge

from sklearn_pinv import PinvRegressor, TikhonovRegressor, config_context
from sklearn_pinv import _doubledouble as dd
from sklearn_pinv import _sliced
from sklearn_pinv import _lapack
from sklearn_pinv._spectral import factorize_arrays

SHAPES = {"tall": (60, 8), "wide": (9, 40), "square": (25, 25), "near-square": (28, 25)}
ROUTE = {"tall": "qr+", "wide": "lq+", "square": "bidiag+", "near-square": "bidiag+"}


@pytest.fixture(autouse=True)
def no_cache():
    with config_context(factorization_cache=False):
        yield


def _problem(shape, seed=0, targets=None, rank=None):
    rng = np.random.default_rng(seed)
    m, n = shape
    X = rng.standard_normal((m, n)) * rng.uniform(0.5, 20, n) + rng.uniform(-10, 10, n)
    if rank is not None:  # exact low rank: rank combinations of a few columns
        X = X[:, :rank] @ rng.standard_normal((rank, n)) + rng.uniform(-10, 10, n)
    Y = rng.standard_normal((m, 1 if targets is None else targets)) + 2.0
    w = rng.uniform(0.2, 3.0, m)
    return X, Y, w


def _centred(X, Y, w, fit_intercept):
    q = np.ones(len(X)) if w is None else np.sqrt(w)
    xm = np.average(X, axis=0, weights=w) if fit_intercept else np.zeros(X.shape[1])
    ym = np.average(Y, axis=0, weights=w) if fit_intercept else np.zeros(Y.shape[1])
    return (X - xm) * q[:, None], (Y - ym) * q[:, None], xm, ym


@pytest.mark.parametrize("kind", list(SHAPES))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_spectrum_and_minimum_norm_solution_match_numpy(kind, fit_intercept, weighted):
    X, Y, w = _problem(SHAPES[kind], targets=3)
    w = w if weighted else None
    fact = factorize_arrays(X, Y, w, fit_intercept)
    assert fact.driver.startswith(ROUTE[kind])
    Xc, Yc, xm, ym = _centred(X, Y, w, fit_intercept)
    s = np.linalg.svd(Xc, compute_uv=False)
    np.testing.assert_allclose(fact.singular_values, s, rtol=1e-12, atol=1e-12 * s[0])
    np.testing.assert_allclose(fact.X_offset, xm, rtol=1e-13, atol=1e-13)
    kept = (fact.singular_values > 1e-10 * s[0]).astype(float)
    ref = np.linalg.pinv(Xc, rcond=1e-10) @ Yc
    np.testing.assert_allclose(fact.solve(kept), ref, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(fact.residual_norms, np.linalg.norm(Yc - Xc @ ref, axis=0),
                               rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("kind", list(SHAPES))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_estimators_match_pinv_and_ridge(kind, fit_intercept):
    X, Y, w = _problem(SHAPES[kind], seed=1, targets=2)
    Xc, Yc, xm, ym = _centred(X, Y, w, fit_intercept)
    reg = PinvRegressor(fit_intercept=fit_intercept).fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(reg.coef_.T, np.linalg.pinv(Xc) @ Yc, rtol=1e-9, atol=1e-11)
    for alpha in (1e-3, 1.0, 100.0):
        ours = TikhonovRegressor(alpha, tol="ridge", fit_intercept=fit_intercept)
        ref = Ridge(alpha, solver="svd", fit_intercept=fit_intercept)
        ours.fit(X, Y, sample_weight=w)
        ref.fit(X, Y, sample_weight=w)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("kind", ["wide", "square"])
def test_rank_deficient_gives_the_minimum_norm_solution(kind):
    X, Y, _ = _problem(SHAPES[kind], seed=2, rank=4)
    reg = PinvRegressor().fit(X, Y[:, 0])
    Xc, Yc, _, _ = _centred(X, Y, None, True)
    assert reg.rank_ == 4
    np.testing.assert_allclose(reg.coef_, np.linalg.pinv(Xc, rcond=1e-10) @ Yc[:, 0],
                               rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("kind", list(SHAPES))
def test_float32_stays_float32_and_matches_float64(kind):
    X, Y, _ = _problem(SHAPES[kind], seed=3)
    reg32 = TikhonovRegressor(1.0).fit(X.astype(np.float32), Y[:, 0].astype(np.float32))
    reg64 = TikhonovRegressor(1.0).fit(X, Y[:, 0])
    assert reg32.coef_.dtype == np.float32 and reg32.singular_values_.dtype == np.float32
    np.testing.assert_allclose(reg32.coef_, reg64.coef_, rtol=2e-3, atol=1e-5)


@pytest.mark.parametrize("kind", ["wide", "square"])
def test_implicit_V_products_equal_the_dense_V(kind):
    X, Y, w = _problem(SHAPES[kind], seed=4)
    fact = factorize_arrays(X, Y, w, True, equilibrate=True)
    assert fact.implicit and fact.basis._dense is None
    rng = np.random.default_rng(0)
    B, G = rng.standard_normal((fact.singular_values.size, 3)), rng.standard_normal((X.shape[1], 2))
    V = fact.V  # formed here, on request
    np.testing.assert_allclose(fact.apply_V(B), V @ B, atol=1e-12)
    np.testing.assert_allclose(fact.apply_Vt(G), V.T @ G, atol=1e-12)
    np.testing.assert_allclose(fact.project(X), X @ V, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(fact.project(sparse.csr_matrix(X)), X @ V, rtol=1e-12, atol=1e-9)
    Vs = V * fact.column_scale[:, None]  # equilibrated: orthonormal columns
    np.testing.assert_allclose(Vs.T @ Vs, np.eye(V.shape[1]), atol=1e-12)
    Xc = _centred(X, Y, w, True)[0]
    np.testing.assert_allclose(fact.column_norms(), np.linalg.norm(Xc, axis=0), rtol=1e-10)


def test_a_wide_fit_never_forms_V():
    X, Y, _ = _problem((40, 4000), seed=5)
    tracemalloc.start()
    try:
        reg = PinvRegressor().fit(X, Y[:, 0])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The reflectors take X's size; V (as large again) would push this past 2.
    assert peak < 1.5 * X.nbytes
    assert reg.factorization_.implicit and reg.factorization_.basis._dense is None
    assert reg.factorization_.left is None and reg.factorization_.U is None


@pytest.mark.parametrize("targets", [3, 30])
def test_targets_in_the_qr_or_after_it_give_the_same_fit(targets):
    # 3 targets ride in the QR buffer of 40 columns, 30 get Q^T applied after.
    X, Y, w = _problem((300, 40), seed=6, targets=targets)
    both = PinvRegressor().fit(X, Y, sample_weight=w)
    for k in (0, targets - 1):
        one = PinvRegressor().fit(X, Y[:, k], sample_weight=w)
        np.testing.assert_allclose(both.coef_[k], one.coef_, rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(both.intercept_[k], one.intercept_, rtol=1e-11)


@pytest.mark.parametrize("kind", ["wide", "tall"])
def test_copy_X_false_gives_the_same_fit(kind):
    X, Y, _ = _problem(SHAPES[kind], seed=7)
    ref = PinvRegressor(precision="fast").fit(X, Y[:, 0])
    own = np.array(X, order="C" if kind == "wide" else "F")  # the layouts factored in place
    got = PinvRegressor(precision="fast", copy_X=False).fit(own, Y[:, 0])
    np.testing.assert_allclose(got.coef_, ref.coef_, rtol=1e-12, atol=1e-13)
    for precision in ("standard", "high"):  # refinement needs X: it is copied
        keep = X.copy()
        got = PinvRegressor(precision=precision, copy_X=False).fit(keep, Y[:, 0])
        np.testing.assert_array_equal(keep, X)
        np.testing.assert_allclose(got.coef_, PinvRegressor(precision=precision).fit(
            X, Y[:, 0]).coef_, rtol=0, atol=0)


# --- refinement through the routes' reflectors -------------------------------------


def _exact_min_norm(A, y):
    """``A^T (A A^T)^-1 y`` or ``(A^T A)^-1 A^T y`` in rationals, whichever is defined."""
    Af = [[Fraction(v) for v in row] for row in A]
    yf = [Fraction(v) for v in y]
    m, n = len(Af), len(Af[0])
    if m <= n:
        G = [[sum(Af[i][k] * Af[j][k] for k in range(n)) for j in range(m)] for i in range(m)]
        c = _solve(G, yf)
        return np.array([float(sum(Af[i][j] * c[i] for i in range(m))) for j in range(n)])
    G = [[sum(Af[k][i] * Af[k][j] for k in range(m)) for j in range(n)] for i in range(n)]
    b = [sum(Af[k][i] * yf[k] for k in range(m)) for i in range(n)]
    return np.array([float(v) for v in _solve(G, b)])


def _solve(G, b):
    n = len(G)
    M = [row[:] + [b[i]] for i, row in enumerate(G)]
    for i in range(n):
        p = next(r for r in range(i, n) if M[r][i] != 0)
        M[i], M[p] = M[p], M[i]
        for r in range(n):
            if r != i and M[r][i] != 0:
                f = M[r][i] / M[i][i]
                M[r] = [a - f * c for a, c in zip(M[r], M[i])]
    return [M[i][n] / M[i][i] for i in range(n)]


@pytest.mark.parametrize("shape", [(7, 7), (5, 9), (12, 6)], ids=["square", "wide", "tall"])
def test_high_precision_is_exact_on_ill_conditioned_data(shape):
    rng = np.random.default_rng(8)
    m, n = shape
    k = min(m, n)
    U, _ = np.linalg.qr(rng.standard_normal((m, k)))
    V, _ = np.linalg.qr(rng.standard_normal((n, k)))
    A = (U * np.logspace(0, -9, k)) @ V.T
    y = rng.standard_normal(m)
    fast = PinvRegressor(tol=0.0, fit_intercept=False, precision="fast").fit(A, y)
    high = PinvRegressor(tol=0.0, fit_intercept=False, precision="high").fit(A, y)
    assert "refined" in high.solver_
    # "high" equilibrates: on wide data the minimum norm is that of the
    # scaled coefficients, exactly computable since the scales are powers of 2.
    scale = high.factorization_.column_scale
    ref = _exact_min_norm(A / scale, y) / scale
    err = lambda c: np.linalg.norm(c - ref) / np.linalg.norm(ref)  # noqa: E731
    if m >= n:  # a unique solution, which "fast" gets only to ~cond * eps
        assert err(high.coef_) <= 1e-14 < 1e-12 < err(fast.coef_)
    else:
        # Corrections live in the computed row space, itself only cond * eps
        # accurate: the minimum-norm part is not refined (a known limit).
        assert err(high.coef_) <= max(10 * err(fast.coef_), 1e-14)


# --- LAPACK faults on the square route ---------------------------------------------


def _failing(names):
    real = _lapack.call
    calls = []

    def call(name, *args):
        calls.append(name)
        if name in names:
            raise _lapack.LapackError(name, 1)
        return real(name, *args)

    return call, calls


def test_bdsdc_failure_falls_back_to_bdsqr_and_says_so(monkeypatch):
    X, Y, _ = _problem(SHAPES["square"], seed=9)
    expected = TikhonovRegressor(0.1).fit(X, Y[:, 0])
    call, calls = _failing({"dbdsdc"})
    monkeypatch.setattr(_lapack, "call", call)
    got = TikhonovRegressor(0.1).fit(X, Y[:, 0])
    assert "dbdsdc" in calls and "dbdsqr" in calls
    assert got.solver_.startswith("bidiag+bdsqr") and expected.solver_.startswith("bidiag+bdsdc")
    np.testing.assert_allclose(got.coef_, expected.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.intercept_, expected.intercept_, rtol=1e-10)


def test_both_bidiagonal_drivers_failing_is_a_clear_error(monkeypatch):
    X, Y, _ = _problem(SHAPES["square"], seed=10)
    call, _ = _failing({"dbdsdc", "dbdsqr"})
    monkeypatch.setattr(_lapack, "call", call)
    with pytest.raises(scipy_linalg.LinAlgError, match="bdsdc nor with bdsqr"):
        PinvRegressor().fit(X, Y[:, 0])


def test_lapack_errors_name_the_routine():
    A = np.asfortranarray(np.ones((3, 3)))
    with pytest.raises(ValueError, match="Fortran-contiguous"):
        _lapack.gebrd(np.ones((3, 3), order="C")[:, :2])
    d, e, tauq, taup = _lapack.gebrd(A)
    assert d.shape == (3,) and e.shape == (2,)


# --- the sliced residual kernels ----------------------------------------------------


def _exact_residuals(X, Y, q, coef, icpt, r):
    m, n = X.shape
    out = []
    for i in range(m):
        xw = sum(Fraction(X[i, j]) * Fraction(coef[j, 0]) for j in range(n))
        mass = sum(abs(Fraction(X[i, j]) * Fraction(coef[j, 0])) for j in range(n))
        f = Fraction(q[i]) * (Fraction(Y[i, 0]) - Fraction(icpt[0]) - xw) - Fraction(r[i, 0])
        out.append((f, mass * Fraction(q[i]) + abs(Fraction(Y[i, 0]))))
    return out


@pytest.mark.parametrize("extra, bits", [(16, 62), (26, 70), (52, 95)])
@pytest.mark.parametrize("scale", [1.0, 1e-300, 1e250])
@pytest.mark.parametrize("layout", ["C", "F", "csr"])
@pytest.mark.parametrize("centred", [False, True])
def test_sliced_residuals_carry_the_promised_bits(extra, bits, scale, layout, centred):
    rng = np.random.default_rng(11)
    m, n = 30, 6
    X = (rng.standard_normal((m, n)) * 10.0 ** rng.integers(-6, 6, n) + 1e5) * scale
    coef = rng.standard_normal((n, 1)) / 10.0 ** rng.integers(-6, 6, (n, 1)) / scale
    Y = X @ coef + 1e-7 * rng.standard_normal((m, 1))  # nearly everything cancels
    q, r = rng.uniform(0.5, 2, m), 1e-9 * rng.standard_normal((m, 1))
    icpt = np.array([0.75])
    Xin = sparse.csr_matrix(X) if layout == "csr" else np.array(X, order=layout)
    # Centred: the offset 1e5 of every column is subtracted exactly (Sterbenz)
    # where it dominates the column; the products are then those of X itself.
    design = _sliced.Design(Xin, extra, centre=X.mean(axis=0) if centred else None)
    assert not centred or np.any(design.centre)
    hi, lo, grad_b, grad_w = _sliced.passes(design, Y, q, coef, icpt, r, gradient_of="r")
    for i, (exact, mass) in enumerate(_exact_residuals(X, Y, q, coef, icpt, r)):
        got = Fraction(hi[i, 0]) + Fraction(lo[i, 0])
        assert abs(got - exact) <= mass * Fraction(2.0 ** -bits)
    v = [Fraction(q[i]) * Fraction(r[i, 0]) for i in range(m)]
    for j in range(n):  # the gradient is rounded once, to float64
        exact = sum(Fraction(X[i, j]) * v[i] for i in range(m))
        assert abs(Fraction(grad_w[j, 0]) - exact) <= abs(exact) * Fraction(2.0 ** -52)
    assert abs(Fraction(grad_b[0]) - sum(v)) <= abs(sum(v)) * Fraction(2.0 ** -52)


def test_slices_follow_the_bits_asked_for():
    X = np.ones((10, 3))
    assert _sliced.bits_for(2.0 ** 30) == 34
    for bits, slices, beta in [(5, 1, 12), (20, 1, 20), (34, 2, 17), (60, 3, 20), (500, 3, 26)]:
        design = _sliced.Design(X, bits)
        assert (design.slices, design.beta) == (slices, beta)
    assert math.isclose(dd.two_sum(1e16, 1.0)[1], 1.0)


@pytest.mark.parametrize("shape", [(1001, 3), (50000, 8), (37, 40), (20, 300), (5, 8)])
def test_reduce_columns_equals_numpy_on_narrow_and_wide_x(shape):
    from sklearn_pinv._numerics import reduce_columns
    X = np.random.default_rng(shape[0]).standard_normal(shape) * 1e3 + 7
    for ufunc in (np.maximum, np.minimum):
        assert np.array_equal(reduce_columns(X, ufunc), ufunc.reduce(X, axis=0))
        assert np.array_equal(reduce_columns(np.asfortranarray(X), ufunc), ufunc.reduce(X, axis=0))
    np.testing.assert_allclose(reduce_columns(X, np.add), X.sum(axis=0), rtol=1e-13)
