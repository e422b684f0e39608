"""Sparse X (CSR/CSC/COO): row blocks through the R accumulator equal the dense fit."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.linear_model import LinearRegression, Ridge

from sklearn_pinv import PinvRegressor, TikhonovRegressor
from sklearn_pinv._streaming import factorize_sparse

FORMATS = ["csr", "csc", "coo"]


def _sparse_data(seed=0, m=150, n=12, t=1, density=0.25):
    rng = np.random.default_rng(seed)
    X = sparse.random(m, n, density=density, random_state=seed, format="csr") * 10
    Y = X @ rng.normal(size=(n, t)) + 2.0 + 0.05 * rng.normal(size=(m, t))
    w = rng.uniform(0.1, 2.0, size=m)
    return X, (Y[:, 0] if t == 1 else Y), w


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_fit_equals_dense_and_lstsq(fmt, fit_intercept):
    X, y, w = _sparse_data()
    Xs = X.asformat(fmt)
    got = PinvRegressor(fit_intercept=fit_intercept).fit(Xs, y, sample_weight=w)
    dense = PinvRegressor(fit_intercept=fit_intercept).fit(X.toarray(), y, sample_weight=w)
    assert got.solver_.startswith("tsqr+")
    assert_allclose(got.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
    assert_allclose(got.intercept_, dense.intercept_, rtol=1e-10, atol=1e-12)
    assert_allclose(got.singular_values_, dense.singular_values_, rtol=1e-10)
    assert got.rank_ == dense.rank_
    lr = LinearRegression(fit_intercept=fit_intercept).fit(X.toarray(), y, sample_weight=w)
    assert_allclose(got.coef_, lr.coef_, rtol=1e-9, atol=1e-12)
    assert_allclose(got.predict(Xs), lr.predict(X.toarray()), rtol=1e-9)


def test_sparse_multitarget_tikhonov_matches_ridge():
    X, Y, w = _sparse_data(seed=1, t=2)
    got = TikhonovRegressor(alpha=2.0, tol=0.0).fit(X.tocsc(), Y, sample_weight=w)
    ridge = Ridge(alpha=2.0, solver="svd").fit(X.toarray(), Y, sample_weight=w)
    assert_allclose(got.coef_, ridge.coef_, rtol=1e-9)
    assert_allclose(got.intercept_, ridge.intercept_, rtol=1e-9)


def test_sparse_rank_deficient_empty_and_duplicate_columns():
    X, y, _ = _sparse_data(seed=2)
    X = sparse.hstack([X, X[:, :2], sparse.csr_matrix((X.shape[0], 1))]).tocsr()
    got = PinvRegressor(tol=1e-6).fit(X, y)
    lr = LinearRegression().fit(X.toarray(), y)  # minimum-norm lstsq, tol 1e-6
    assert got.rank_ == 12
    assert_allclose(got.coef_, lr.coef_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("block_rows", [13, 40, 1000])
def test_block_size_does_not_change_the_answer(block_rows):
    X, Y, w = _sparse_data(seed=3, t=2)
    ref, _ = factorize_sparse(X, Y, w, True, block_rows=150)
    got, acc = factorize_sparse(X.tocoo(), Y, w, True, block_rows=block_rows)
    assert acc.R.shape == (1 + 12 + 2,) * 2
    assert_allclose(got.singular_values, ref.singular_values, rtol=1e-12)
    assert_allclose(got.X_offset, ref.X_offset, rtol=1e-12)
    d = 1 / ref.singular_values
    assert_allclose(got.solve(d), ref.solve(d), rtol=1e-10)
    assert_allclose(got.residual_norms, ref.residual_norms, rtol=1e-10)


def test_sparse_wide_matrix():
    X, y, _ = _sparse_data(seed=4, m=20, n=40, density=0.3)
    got = PinvRegressor().fit(X, y)
    dense = PinvRegressor().fit(X.toarray(), y)
    assert got.singular_values_.shape == dense.singular_values_.shape == (20,)
    assert got.rank_ == dense.rank_
    assert_allclose(got.coef_, dense.coef_, rtol=1e-9, atol=1e-12)


def test_sparse_float32_and_partial_fit_after_sparse_fit():
    X, y, _ = _sparse_data(seed=5)
    est = PinvRegressor().fit(X.astype(np.float32), y.astype(np.float32))
    assert est.coef_.dtype == np.float32
    est = PinvRegressor().fit(X[:70], y[:70]).partial_fit(X[70:], y[70:])
    assert_allclose(est.coef_, PinvRegressor().fit(X, y).coef_, rtol=1e-9)


def test_sparse_input_is_not_modified():
    X, y, w = _sparse_data(seed=6)
    Xc = X.tocsc()
    before = Xc.copy()
    PinvRegressor().fit(Xc, y, sample_weight=w)
    assert (Xc != before).nnz == 0 and Xc.format == "csc"
