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
    # refines), or it says it is not accurate.
    assert _rel(default.coef_, ref) <= 10 * lapack + 10 * EPS or warned


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
