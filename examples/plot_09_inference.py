"""
Standard errors and a summary table, next to statsmodels'
=========================================================

:func:`sklearn_pinv.inference` turns a fitted estimator into standard
errors, t statistics, p-values and confidence intervals, from the same
factorization the fit stored: the covariance of the coefficients is
:math:`\\hat\\sigma^2 V \\operatorname{diag}(\\phi_i^2/\\sigma_i^2) V^T`.
On full-rank data it is ordinary least squares, so statsmodels'
``OLS(y, add_constant(X))`` is its exact twin, robust (HC0-HC3) variants
included. A truncated or Tikhonov fit gets honest standard errors of *its*
estimator: smaller, but around a biased target.
"""

import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from sklearn.datasets import load_diabetes

from sklearn_pinv import PinvRegressor, TikhonovRegressor, inference
from sklearn_pinv.tolerance import FixedRank

X, y = load_diabetes(return_X_y=True, as_frame=True)
ols = PinvRegressor().fit(X, y)
res = inference(ols, X, y)
print(res.summary())

# %%
# statsmodels on the same data: the same table (its intercept is ``const``).
ref = sm.OLS(y, sm.add_constant(X)).fit()
print(ref.summary().tables[1])
print("max relative difference of the standard errors:",
      f"{np.max(np.abs(res.std_error / ref.bse.to_numpy() - 1)):.1e}")

# %%
# Heteroscedasticity-robust standard errors go through the same SVD: the
# leverages come from :math:`U = X_c V / \\sigma` on the kept directions.
for cov_type in ["HC0", "HC1", "HC2", "HC3"]:
    ours = inference(ols, X, y, cov_type=cov_type).std_error
    theirs = sm.OLS(y, sm.add_constant(X)).fit(cov_type=cov_type).bse.to_numpy()
    print(f"{cov_type}: max relative difference {np.max(np.abs(ours / theirs - 1)):.1e}")

# %%
# A truncation and a Tikhonov fit
# -------------------------------
# The blood serum measurements ``s1``-``s6`` are strongly collinear: the two
# smallest singular values of the centred design are 0.28 and 0.09, next to
# 2.0, and the standard errors of ``s1`` and ``s2`` are the largest of the OLS
# table. Dropping the smallest direction (rank 9) or damping all of them
# (alpha chosen by GCV) shrinks them. The residual degrees of freedom are
# ``m - rank - 1`` for the truncation and ``m - tr(2H - H^T H) - 1`` for
# Tikhonov, and the summary's notes say what the intervals are about: the
# estimator's own expectation, without its bias.
truncated = inference(PinvRegressor(tol=FixedRank(9)).fit(X, y), X, y)
tikhonov = inference(TikhonovRegressor(alpha="gcv").fit(X, y), X, y)
print(tikhonov.summary())
print(truncated.to_frame().round(3))
print("standard errors, OLS / rank 9 / Tikhonov:")
for name, *se in zip(res.names, res.std_error, truncated.std_error, tikhonov.std_error):
    print(f"  {name:<10}" + "".join(f"{v:10.1f}" for v in se))

# %%
# The three sets of 95% intervals side by side.
fig, ax = plt.subplots(figsize=(8, 4.5))
positions = np.arange(len(res.names) - 1)
for shift, (label, r) in zip([-0.22, 0, 0.22], [("OLS", res), ("rank 9", truncated),
                                                 ("Tikhonov (GCV)", tikhonov)]):
    lo, hi = r.conf_int[1:, 0], r.conf_int[1:, 1]
    ax.errorbar(positions + shift, r.estimate[1:],
                yerr=[r.estimate[1:] - lo, hi - r.estimate[1:]], fmt="o", capsize=3, label=label)
ax.axhline(0, color="grey", lw=0.8)
ax.set_xticks(positions, res.names[1:])
ax.set_ylabel("coefficient, 95% interval")
ax.set_title("Diabetes: the same data, three estimators")
ax.legend()
plt.tight_layout()
plt.show()
