"""pinv / matrix_rank against the literature and against NumPy and SciPy."""

import numpy as np
import pytest
import scipy.linalg
from fractions import Fraction

from sklearn_pinv import matrix_rank, pinv
from sklearn_pinv.tolerance import FixedRank, GCVRank

EPS = np.finfo(np.float64).eps


def test_pinv_3x2_worked_example():
    expected = [[0.16666667, -0.10606061, 0.03030303], [-0.16666667, 0.28787879, 0.06060606]]
    np.testing.assert_allclose(pinv([[7, 2], [3, 4], [5, 3]]), expected, atol=5e-9)


def test_pinv_2x3_exact_fractions():
    expected = [[Fraction(19, 60), Fraction(1, 12)], [Fraction(-11, 30), Fraction(1, 6)],
                [Fraction(1, 12), Fraction(-1, 12)]]
    got = pinv([[2, -1, 0], [4, 3, -2]])
    np.testing.assert_allclose(got, np.array(expected, dtype=float), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("shape", [(7, 4), (4, 7), (5, 5), (30, 3)])
@pytest.mark.parametrize("rank", [1, 3])
def test_pinv_matches_numpy_and_scipy_on_random_low_rank(shape, rank):
    rng = np.random.default_rng(sum(shape) + rank)
    A = rng.standard_normal((shape[0], rank)) @ rng.standard_normal((rank, shape[1]))
    np.testing.assert_allclose(pinv(A, tol="numpy"), np.linalg.pinv(A), atol=1e-12)
    np.testing.assert_allclose(pinv(A, tol="scipy"), scipy.linalg.pinv(A), atol=1e-12)
    assert matrix_rank(A) == np.linalg.matrix_rank(A) == rank


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_numpy_rule_at_its_boundary(delta):
    # A diagonal matrix makes the SVD exact, so the decision is the rule's alone.
    cut = 1e-15 * 2.0
    small = cut + delta * np.spacing(cut)
    A = np.diag([2.0, small, 0.5])
    np.testing.assert_array_equal(pinv(A, tol="numpy"), np.linalg.pinv(A))
    assert pinv(A, tol="numpy", return_rank=True)[1] == (3 if delta > 0 else 2)


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_scipy_rule_at_its_boundary(delta):
    smax = 1.5
    cut = smax * (4 * EPS)  # scipy: atol + smax * max(m, n) * eps
    A = np.diag([smax, 1.0, cut + delta * np.spacing(cut), 0.25])
    expected, r_expected = scipy.linalg.pinv(A, return_rank=True)
    got, r = pinv(A, tol="scipy", return_rank=True)
    assert r == r_expected == (4 if delta > 0 else 3)
    np.testing.assert_array_equal(got, expected)


def test_lapack_rule_matches_lstsq_rank():
    for small in [EPS * 0.9, EPS * 1.1]:
        A = np.diag([1.0, small, 0.5])
        rank_lstsq = scipy.linalg.lstsq(A, np.ones(3))[2]
        assert pinv(A, tol="lapack", return_rank=True)[1] == rank_lstsq


def test_float32_and_complex_follow_numpy():
    rng = np.random.default_rng(0)
    A32 = rng.standard_normal((6, 4)).astype(np.float32)
    got = pinv(A32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.linalg.pinv(A32.astype(np.float64)), rtol=1e-4, atol=1e-5)
    Ac = rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))
    np.testing.assert_allclose(pinv(Ac), np.linalg.pinv(Ac), atol=1e-13)


def test_float32_uses_float32_eps():
    # 1e-6 is above float32's max(m,n)*eps (~3.6e-7) and far above float64's.
    A = np.diag([1.0, 1e-6, 1.0]).astype(np.float32)
    assert pinv(A, return_rank=True)[1] == 3
    A = np.diag([1.0, 2e-7, 1.0]).astype(np.float32)
    assert pinv(A, return_rank=True)[1] == 2
    assert pinv(A.astype(np.float64), return_rank=True)[1] == 3


def test_fixed_rank_and_penrose_conditions():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((8, 5))
    P = pinv(A, tol=FixedRank(2))
    U, s, Vt = np.linalg.svd(A)
    A2 = (U[:, :2] * s[:2]) @ Vt[:2]
    np.testing.assert_allclose(P, np.linalg.pinv(A2, rcond=1e-10), atol=1e-12)
    P = pinv(A)
    np.testing.assert_allclose(A @ P @ A, A, atol=1e-12)
    np.testing.assert_allclose(P @ A @ P, P, atol=1e-12)
    np.testing.assert_allclose((A @ P).T, A @ P, atol=1e-12)
    np.testing.assert_allclose((P @ A).T, P @ A, atol=1e-12)


def test_empty_and_zero_matrices():
    assert pinv(np.zeros((0, 3))).shape == (3, 0)
    P, r = pinv(np.zeros((3, 2)), return_rank=True)
    assert r == 0 and P.shape == (2, 3) and not P.any()
    assert pinv(np.zeros((3, 2)), tol="octave", return_rank=True)[1] == 0


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.ones(3), "2-D"),
        (np.array([[1.0, np.nan]]), "NaN"),
        (np.array([[1.0, np.inf]]), "NaN or infinity"),
        (np.array([["a", "b"]]), "numeric"),
    ],
)
def test_pinv_bad_input(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        pinv(bad)


def test_pinv_rejects_data_driven_policy_and_bad_names():
    with pytest.raises(TypeError, match="from data"):
        pinv(np.eye(2), tol=GCVRank())
    with pytest.raises(ValueError, match="Did you mean 'matlab'"):
        pinv(np.eye(2), tol="matlb")
    with pytest.raises(ValueError, match=r"'tol' parameter of pinv must be .*range \[0.0, 1.0\)"):
        pinv(np.eye(2), tol=-1.0)


def test_pinv_does_not_mutate_input():
    A = np.asfortranarray(np.random.default_rng(1).standard_normal((5, 3)))
    before = A.copy()
    pinv(A)
    np.testing.assert_array_equal(A, before)
