"""Coefficients against mpmath references on matrices with known spectra.

The reference is the exact solution of the float64 matrix *as given* (every
double is an exact binary fraction), computed with 80 significant digits:
normal equations are then safe (``cond^2 * 1e-80`` is negligible). Our
solutions are compared with it and with LAPACK's ``gelsd``
(``scipy.linalg.lstsq``) on the same problem.
"""

import warnings

import numpy as np
import pytest
import scipy.linalg

from sklearn_pinv import PinvRegressor, TikhonovRegressor
from sklearn_pinv._refine import AccuracyWarning

mp = pytest.importorskip("mpmath")

EPS = np.finfo(np.float64).eps
DPS = 80


def _orthonormal(rng, m, k):
    return np.linalg.qr(rng.standard_normal((m, k)))[0]


def _problem(seed, m, n, s, residual):
    """``A = U diag(s) V^T`` and ``y = A x + residual * (part orthogonal to range(A))``."""
    rng = np.random.default_rng(seed)
    U, V = _orthonormal(rng, m, m), _orthonormal(rng, n, n)
    A = (U[:, :n] * s) @ V.T
    y = A @ rng.standard_normal(n) + residual * U[:, n:] @ rng.standard_normal(m - n)
    return A, y


def _mp(A):
    return mp.matrix(A.tolist())


def _to_array(v):
    return np.array([float(x) for x in v])


def mp_lstsq(A, y, alpha=0.0):
    """``(A^T A + alpha I)^-1 A^T y`` in DPS digits."""
    with mp.workdps(DPS):
        M, b = _mp(A), mp.matrix(y.tolist())
        G = M.T * M + alpha * mp.eye(A.shape[1])
        return _to_array(mp.lu_solve(G, M.T * b))


def mp_truncated(A, y, k):
    """The rank-``k`` truncated-SVD solution of the float64 ``A``, in DPS digits."""
    with mp.workdps(DPS):
        U, S, Vt = mp.svd_r(_mp(A))
        b = mp.matrix(y.tolist())
        x = mp.matrix(A.shape[1], 1)
        for i in range(k):
            ui = U[:, i]
            coeff = sum(ui[j] * b[j] for j in range(A.shape[0])) / S[i]
            x += coeff * Vt[i, :].T
        return _to_array(x)


def _rel(x, ref):
    return float(np.linalg.norm(x - ref) / np.linalg.norm(ref))


def _fit(est, A, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(A, y)
    return est, any(issubclass(w.category, AccuracyWarning) for w in caught)


KAPPAS = [1e2, 1e6, 1e9, 1e12]
RESIDUALS = [0.0, 1e-3, 1.0]


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("residual", RESIDUALS)
def test_full_rank_against_mpmath(kappa, residual):
    s = np.logspace(0, -np.log10(kappa), 8)
    A, y = _problem(int(np.log10(kappa)) + 7, 30, 8, s, residual)
    ref = mp_lstsq(A, y)
    lapack = _rel(scipy.linalg.lstsq(A, y)[0], ref)
    # The singular values are the designed ones, to backward-stable accuracy.
    high, _ = _fit(PinvRegressor(tol=0.0, fit_intercept=False, precision="high"), A, y)
    default, warned = _fit(PinvRegressor(tol=0.0, fit_intercept=False), A, y)
    np.testing.assert_allclose(default.singular_values_, s, rtol=0, atol=30 * EPS)
    # "high": the exact solution of the float64 data whenever cond * eps < 1.
    assert _rel(high.coef_, ref) <= 10 * EPS
    # Default: within a small factor of LAPACK's gelsd (both backward stable;
    # measured up to 5x worse at kappa=1e9 with y in the range, where neither
    # refines), or within the first-order error bound of any backward-stable
    # least-squares solver, eps * (kappa + kappa^2 |r| / (|A| |x|)) (Higham,
    # Accuracy and Stability of Numerical Algorithms, 2002, section 20.1):
    # gelsd itself is 5x luckier with SciPy 1.10's LAPACK than with 1.17's at
    # kappa=1e2, |r|=1. Or it says it is not accurate.
    r_ratio = np.linalg.norm(y - A @ ref) / (s[0] * np.linalg.norm(ref))
    stable = EPS * (kappa + kappa**2 * r_ratio)
    assert _rel(default.coef_, ref) <= max(10 * lapack + 10 * EPS, stable) or warned


@pytest.mark.parametrize("kappa", [1e3, 1e8, 1e11])
def test_with_intercept_against_mpmath(kappa):
    # y's residual is not orthogonal to the ones column, so the intercept's
    # share of it is paid for by huge slopes (|coef| ~ kappa): a hard case.
    s = np.logspace(0, -np.log10(kappa), 6)
    A, y = _problem(3, 25, 6, s, 1e-2)
    X = A + np.array([1e3, -50.0, 7.0, 0.0, 1e-2, 2e4])  # offsets the intercept must absorb
    ref = mp_lstsq(np.column_stack([np.ones(len(y)), X]), y + 10.0)
    ones = np.column_stack([np.ones(len(y)), X])
    lapack = _rel(scipy.linalg.lstsq(ones, y + 10.0)[0], ref)
    for precision in ("standard", "high"):
        est, warned = _fit(PinvRegressor(tol=0.0, precision=precision), X, y + 10.0)
        got = np.concatenate([[est.intercept_], est.coef_])
        if precision == "high" and kappa < 1e10:
            assert _rel(got, ref) <= 100 * EPS  # gelsd loses every digit at 1e8
        elif precision == "high":  # refinement stops contracting: still beats gelsd
            assert _rel(got, ref) <= lapack
        else:
            assert _rel(got, ref) <= 10 * lapack + 100 * EPS or warned


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_truncated_with_a_gap_against_mpmath(seed):
    # Five singular values down to 1e-4, then a gap to 1e-12..1e-14: a
    # relative tol of 1e-8 keeps exactly the first five.
    s = np.concatenate([np.logspace(0, -4, 5), [1e-12, 1e-13, 1e-14]])
    A, y = _problem(seed, 20, 8, s, 0.1)
    ref = mp_truncated(A, y, 5)
    lapack = _rel(scipy.linalg.lstsq(A, y, cond=1e-8)[0], ref)
    est, _ = _fit(PinvRegressor(tol=1e-8, fit_intercept=False), A, y)
    assert est.rank_ == 5
    assert _rel(est.coef_, ref) <= 10 * lapack + 100 * EPS
    # The truncated problem is as hard as its kept spectrum (kappa_k = 1e4,
    # kappa_k^2 eps ~ 2e-8), not as the full matrix (1e14).
    assert _rel(est.coef_, ref) <= 1e-8


@pytest.mark.parametrize("kappa", [1e4, 1e10])
@pytest.mark.parametrize("alpha", [1e-12, 1e-6, 1e-2])
def test_tikhonov_against_mpmath(kappa, alpha):
    s = np.logspace(0, -np.log10(kappa), 7)
    A, y = _problem(5, 25, 7, s, 0.5)
    ref = mp_lstsq(A, y, alpha)
    for precision in ("standard", "high"):
        est, warned = _fit(
            TikhonovRegressor(alpha, tol=0.0, fit_intercept=False, precision=precision), A, y
        )
        # cond(A^T A + alpha) bounds the error of any backward-stable solver.
        cond = (1 + alpha) / (s[-1] ** 2 + alpha)
        bound = 10 * EPS if precision == "high" and cond * EPS < 1e-2 else 10 * EPS * cond
        assert _rel(est.coef_, ref) <= bound or warned


# --- the double-double kernels behind the refinement --------------------------------

from fractions import Fraction  # noqa: E402
import math  # noqa: E402

from sklearn_pinv import _doubledouble as dd  # noqa: E402
from sklearn_pinv import _sliced  # noqa: E402


def _random_doubles(rng, size, emin=-300, emax=300):
    return rng.standard_normal(size) * 2.0 ** rng.integers(emin, emax, size)


def test_two_sum_and_two_prod_are_error_free():
    rng = np.random.default_rng(0)
    a, b = _random_doubles(rng, 300), _random_doubles(rng, 300)
    s, e = dd.two_sum(a, b)
    p, pe = dd.two_prod(a, b / 2.0**300 * 2.0**280)  # products stay in range
    for i in range(a.size):
        assert Fraction(s[i]) + Fraction(e[i]) == Fraction(a[i]) + Fraction(b[i])
        bi = b[i] / 2.0**300 * 2.0**280
        if abs(pe[i]) > 1e-290:  # below that the error itself underflows
            assert Fraction(p[i]) + Fraction(pe[i]) == Fraction(a[i]) * Fraction(bi)


def test_tree_sum_is_as_good_as_double_double():
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 7, 64, 1001):
        big = rng.standard_normal(n) * 1e16
        x = np.concatenate([big, rng.standard_normal(n), -big])  # heavy cancellation
        x = x[rng.permutation(x.size)]
        hi, lo = dd.tree_sum(x[:, None], np.zeros((x.size, 1)))
        exact = Fraction(math.fsum(x))
        err = abs(Fraction(hi[0]) + Fraction(lo[0]) - exact)
        # Sum2's bound: eps |sum| + gamma_n^2 sum|x|, i.e. ~eps^2 * 1e16 * n here.
        assert err <= Fraction(EPS) * abs(exact) + Fraction(n * EPS**2) * Fraction(np.abs(x).sum())


def test_residual_is_double_double_accurate():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((12, 4)) * 1e3
    coef = rng.standard_normal((4, 1))
    Y = X @ coef + 1e-9 * rng.standard_normal((12, 1))  # residual 1e-12 of the terms
    icpt = np.array([0.25])
    hi, lo = _sliced.residual(_sliced.Design(X), Y, None, coef, icpt, np.zeros_like(Y))
    for i in range(12):
        exact = Fraction(Y[i, 0]) - Fraction(icpt[0]) - sum(
            Fraction(X[i, j]) * Fraction(coef[j, 0]) for j in range(4)
        )
        assert abs(Fraction(hi[i, 0]) + Fraction(lo[i, 0]) - exact) <= abs(exact) * Fraction(4 * EPS)


def test_weighted_high_precision_against_mpmath():
    s = np.logspace(0, -10, 6)
    A, y = _problem(11, 30, 6, s, 0.3)
    w = np.random.default_rng(3).integers(1, 4, 30)
    # Integer weights: the weighted problem is the problem with repeated rows, exactly.
    ref = mp_lstsq(np.repeat(A, w, axis=0), np.repeat(y, w))
    make = lambda: PinvRegressor(tol=0.0, fit_intercept=False, precision="high")  # noqa: E731
    weighted = make().fit(A, y, sample_weight=w.astype(float))
    assert _rel(weighted.coef_, ref) <= 1e3 * EPS  # sqrt(w) rounds: a backward error in w
    assert _rel(make().fit(A, y).coef_, ref) > 1e-6  # the weights do matter here


def test_multi_target_high_equals_one_target_at_a_time():
    s = np.logspace(0, -9, 5)
    A, y1 = _problem(12, 20, 5, s, 0.1)
    _, y2 = _problem(13, 20, 5, s, 1.0)
    Y = np.column_stack([y1, 1e5 * y2])
    both = PinvRegressor(tol=0.0, precision="high").fit(A, Y)
    for k in range(2):
        one = PinvRegressor(tol=0.0, precision="high").fit(A, Y[:, k])
        np.testing.assert_allclose(both.coef_[k], one.coef_, rtol=1e-13)
        np.testing.assert_allclose(both.intercept_[k], one.intercept_, rtol=1e-13, atol=1e-13)
