"""
Fitting a line: 6 points, then 100 noisy points
===============================================

A straight line :math:`y = a x + b` through data is the least-squares
solution of :math:`[x, 1] [a, b]^T = y`: ``PinvRegressor`` fits the slope and
an unpenalised intercept, and agrees with ``LinearRegression``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LinearRegression

from sklearn_pinv import PinvRegressor, pinv

x6 = np.array([0.0, 1.0, 2.0, 3.0, 3.0, 4.0])
y6 = np.array([2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
reg6 = PinvRegressor().fit(x6[:, None], y6)
print(f"6 points: slope {reg6.coef_[0]:.8f}, intercept {reg6.intercept_:.8f}")
# The same numbers from the pseudoinverse of the design [x, 1]:
print("pinv([x, 1]) @ y:", (pinv(np.column_stack([x6, np.ones(6)])) @ y6).round(8))

# %%
# 100 noisy points around :math:`y = 2x + 1`.
np.random.seed(123)
x = 5 * np.random.rand(100)
y = 2 * x + 1 + np.random.randn(100)
reg = PinvRegressor().fit(x[:, None], y)
lr = LinearRegression().fit(x[:, None], y)
print(f"100 points: slope {reg.coef_[0]:.7f}, intercept {reg.intercept_:.8f}")
print(f"LinearRegression: slope {lr.coef_[0]:.7f}, intercept {lr.intercept_:.8f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharey=False)
grid = np.linspace(0, 5, 2)
for ax, (xs, ys, r, title) in zip(
    axes, [(x6, y6, reg6, "6 points"), (x, y, reg, "100 noisy points")]
):
    ax.plot(xs, ys, "o", ms=4, alpha=0.7)
    ax.plot(grid, r.predict(grid[:, None]), "C3",
            label=f"y = {r.coef_[0]:.3f} x + {r.intercept_:.3f}")
    ax.set(title=title, xlabel="x", ylabel="y")
    ax.legend()
plt.show()
