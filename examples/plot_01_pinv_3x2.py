"""
The pseudoinverse of a 3x2 matrix
=================================

The Moore-Penrose pseudoinverse :math:`A^+` of a tall matrix with independent
columns is :math:`(A^T A)^{-1} A^T`; through the SVD :math:`A = U \\Sigma V^T`
it is :math:`V \\Sigma^{-1} U^T`, which is how :func:`sklearn_pinv.pinv` (and
NumPy, SciPy, MATLAB ...) compute it without forming :math:`A^T A`.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_pinv import pinv

A = np.array([[7.0, 2.0], [3.0, 4.0], [5.0, 3.0]])
A_pinv = pinv(A)
print(A_pinv.round(8))

# %%
# The same matrix from NumPy, and the four Penrose conditions that define it.
print("equals numpy.linalg.pinv:", np.allclose(A_pinv, np.linalg.pinv(A)))
print("A A+ A = A:      ", np.allclose(A @ A_pinv @ A, A))
print("A+ A A+ = A+:    ", np.allclose(A_pinv @ A @ A_pinv, A_pinv))
print("A A+ symmetric:  ", np.allclose(A @ A_pinv, (A @ A_pinv).T))
print("A+ A symmetric:  ", np.allclose(A_pinv @ A, (A_pinv @ A).T))

# %%
# For this well-conditioned matrix every tolerance rule gives the same answer;
# they differ only when a singular value sits near the rounding level (see
# :ref:`sphx_glr_auto_examples_plot_05_policies_disagree.py`).
print("A+ A =", (A_pinv @ A).round(12).tolist(), "(a left inverse)")

# %%
# The four matrices side by side: :math:`A^+ A` is the 2x2 identity, while
# :math:`A A^+` is the 3x3 orthogonal projector onto the column space of
# :math:`A` -- symmetric, of rank 2, not the identity (a tall :math:`A` has
# a left inverse, no right inverse).
panels = {"A (3x2)": A, "A+ (2x3)": A_pinv, "A+ A (2x2)": A_pinv @ A,
          "A A+ (3x3)": A @ A_pinv}
fig, axes = plt.subplots(1, 4, figsize=(11, 3.2), layout="constrained")
for ax, (title, M) in zip(axes, panels.items()):
    limit = np.abs(M).max()
    ax.matshow(M, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(M):
        dark = abs(value) > 0.6 * limit  # white digits on the deep colours
        ax.text(j, i, f"{value + 0.0:.3f}", ha="center", va="center", fontsize="small",
                color="w" if dark else "k")
    ax.set(title=title, xticks=range(M.shape[1]), yticks=range(M.shape[0]))
plt.show()
