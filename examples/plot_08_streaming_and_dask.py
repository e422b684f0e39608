"""
More rows than memory: partial_fit, sparse input and dask
=========================================================

The tall-data route accumulates the triangular factor :math:`R` of the
centred, weighted :math:`[X \\mid y]` block by block (TSQR: the :math:`R` of
stacked blocks is the :math:`R` of their stacked :math:`R` factors). The same
engine serves ``partial_fit``, sparse row blocks and dask chunks, so each
gives the same answer as the in-memory ``fit`` -- not an approximation -- with
memory :math:`O(\\text{block} + n^2)`.
"""

import matplotlib.pyplot as plt
import numpy as np
from scipy import sparse

from sklearn_pinv import PinvRegressor, TikhonovRegressor

rng = np.random.default_rng(0)
X = rng.standard_normal((20_000, 30)) + 1e3  # a large offset: digits must survive
y = X @ rng.standard_normal(30) + rng.standard_normal(20_000)
full = PinvRegressor().fit(X, y)

# %%
# Streaming: ten batches of 2,000 rows. After each batch the model is compared
# with ``fit`` on all the rows seen so far (the same least-squares problem:
# the difference is rounding) and with the final fit on all 20,000 rows (the
# estimate still moving as data arrives).
stream = PinvRegressor()
seen, same_rows, to_final = [], [], []
for batch in np.array_split(np.arange(X.shape[0]), 10):
    stream.partial_fit(X[batch], y[batch])
    rows = batch[-1] + 1
    batch_fit = PinvRegressor().fit(X[:rows], y[:rows])
    seen.append(rows)
    same_rows.append(np.max(np.abs(stream.coef_ - batch_fit.coef_)))
    to_final.append(np.max(np.abs(stream.coef_ - full.coef_)))
print("partial_fit vs fit, max |coef difference|:", f"{same_rows[-1]:.1e}")

# A difference of exactly 0 (the first batch is one plain fit) has no place on
# a log axis: it is left out.
same_rows = np.where(np.asarray(same_rows) > 0, same_rows, np.nan)
fig, ax = plt.subplots(layout="constrained")
ax.semilogy(seen, to_final, "o-", label="vs fit on all 20,000 rows (sampling error)")
ax.semilogy(seen, same_rows, "s--", label="vs fit on the same rows (rounding)")
ax.axhline(np.finfo(float).eps, color="0.5", lw=1, ls=":", label="machine epsilon")
ax.set(xlabel="rows seen by partial_fit", ylabel="max |coefficient difference|",
       title="partial_fit equals fit on the rows seen so far")
ax.legend(fontsize="small")
plt.show()

# %%
# Sparse input goes through the same accumulator in row blocks; the intercept
# is handled without densifying the whole matrix.
Xs = sparse.random(5_000, 40, density=0.05, format="csr", random_state=0)
ys = Xs @ np.arange(40.0) + 0.1 * rng.standard_normal(5_000)
dense_fit = TikhonovRegressor(alpha=1e-3).fit(Xs.toarray(), ys)
sparse_fit = TikhonovRegressor(alpha=1e-3).fit(Xs, ys)
print("sparse vs dense, max |coef difference|:",
      f"{np.max(np.abs(sparse_fit.coef_ - dense_fit.coef_)):.1e}")

# %%
# Dask arrays (``pip install "sklearn-pinv[dask]"``): each chunk of rows is
# reduced to an :math:`n \times n` factor on the workers, and only those travel
# to the client. The threaded scheduler here; a ``dask.distributed`` cluster
# works the same way.
try:
    import dask.array as da
except ImportError:
    print("dask is not installed: skipping the dask part")
else:
    Xd = da.from_array(X, chunks=(4_000, X.shape[1]))
    yd = da.from_array(y, chunks=4_000)
    lazy = PinvRegressor().fit(Xd, yd)
    print("dask vs fit, max |coef difference|:",
          f"{np.max(np.abs(lazy.coef_ - full.coef_)):.1e}")
    print("predict on a dask array returns", type(lazy.predict(Xd)).__name__)
