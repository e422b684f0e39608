"""
Looking at the spectrum: spectrum, Picard and L-curve plots
===========================================================

A discretised first-kind integral equation (a Gaussian blur) is the classic
ill-posed problem: its singular values decay to the rounding level, and
noise in :math:`y` is amplified by :math:`1/\\sigma_i`. The displays show
where to cut or how much to damp.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_pinv import (
    LCurveDisplay,
    PicardDisplay,
    PinvRegressor,
    RegularizationPathDisplay,
    SpectrumDisplay,
    TikhonovRegressor,
)

n = 64
t = np.linspace(0, 1, n)
X = np.exp(-((t[:, None] - t[None, :]) ** 2) / (2 * 0.08**2)) / n  # blur kernel
w_true = np.sin(np.pi * t) + (t > 0.5)
rng = np.random.default_rng(0)
y = X @ w_true + 1e-4 * rng.standard_normal(n)

reg = PinvRegressor(fit_intercept=False).fit(X, y)
print(f"rank kept by the default policy: {reg.rank_} of {n}")

# %%
# The spectrum with every named policy's threshold: kept values are dots,
# dropped ones crosses; the threshold the estimator used is the thick grey
# line. ``title`` names the data.
SpectrumDisplay.from_estimator(reg, title="Gaussian blur, 64 x 64: singular values")
plt.show()

# %%
# The Picard plot: :math:`|u_i^T y|` follows :math:`\sigma_i` down until it
# hits the noise level (1e-4 here); beyond that point the solution
# coefficients :math:`|u_i^T y|/\sigma_i` explode.
PicardDisplay.from_estimator(reg, title="Gaussian blur, 64 x 64: Picard plot")
plt.show()

# %%
# The L-curve over alpha, drawn for a Tikhonov fit whose alpha GCV chose: it
# marks both the corner and that fitted ``alpha_``. Then the Tikhonov
# solution at the corner, and how far each pick is from the true weights.
gcv = TikhonovRegressor(alpha="gcv", fit_intercept=False).fit(X, y)
lcurve = LCurveDisplay.from_estimator(gcv)
plt.show()
tik = TikhonovRegressor(alpha=lcurve.corner_alpha, fit_intercept=False).fit(X, y)
for name, model in [("corner", tik), ("GCV", gcv)]:
    error = np.linalg.norm(model.coef_ - w_true) / np.linalg.norm(w_true)
    print(f"{name:6} alpha = {model.alpha_:.2e}, relative error {error:.3f}")

# %%
# The coefficient path: a few coefficients as alpha varies.
fig, ax = plt.subplots()
RegularizationPathDisplay.from_estimator(tik, ax=ax, legend=False)
plt.show()
