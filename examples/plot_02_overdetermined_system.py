"""
An overdetermined system: three lines, no common point
======================================================

The system :math:`-2x - y = -2`, :math:`4x - y = -8`, :math:`-x - y = -2`
has three equations in two unknowns and no exact solution. The pseudoinverse
gives the least-squares point :math:`A^+ b`, the one minimising the sum of
squared residuals of the three equations.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_pinv import PinvRegressor, pinv

A = np.array([[-2.0, -1.0], [4.0, -1.0], [-1.0, -1.0]])
b = np.array([-2.0, -8.0, -2.0])
x_ls = pinv(A) @ b
print("least-squares point:", x_ls.round(8))
print("numpy.linalg.lstsq: ", np.linalg.lstsq(A, b, rcond=None)[0].round(8))

# %%
# The same point as a regression without intercept: the rows of ``A`` are the
# samples and ``b`` the target.
reg = PinvRegressor(fit_intercept=False).fit(A, b)
print("PinvRegressor coef_:", reg.coef_.round(8))

# %%
# Each equation :math:`a_1 x + a_2 y = b` is a line in the plane; the
# least-squares point sits inside the triangle they form.
xs = np.linspace(-4, 1, 100)
fig, ax = plt.subplots(figsize=(5, 5))
for (a1, a2), bi in zip(A, b):
    ax.plot(xs, (bi - a1 * xs) / a2, label=f"{a1:g}x + {a2:g}y = {bi:g}")
ax.plot(*x_ls, "ko", label=f"least squares ({x_ls[0]:.3f}, {x_ls[1]:.3f})")
ax.set(xlim=(-4, 1), ylim=(-2, 8), xlabel="x", ylabel="y")
ax.legend(fontsize="small")
plt.show()
