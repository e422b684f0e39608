"""
The pseudoinverse of a 3x2 matrix
=================================

The Moore-Penrose pseudoinverse :math:`A^+` of a tall matrix with independent
columns is :math:`(A^T A)^{-1} A^T`; through the SVD :math:`A = U \\Sigma V^T`
it is :math:`V \\Sigma^{-1} U^T`, which is how :func:`sklearn_pinv.pinv` (and
NumPy, SciPy, MATLAB ...) compute it without forming :math:`A^T A`.
"""

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
