"""
How small is small? A matrix on which the rules disagree
========================================================

Every library drops the singular values below a threshold, and every library
picks a different threshold. On :math:`A = \\mathrm{diag}(1.5, 5 \\cdot 10^{-16})`
(so the singular values are exact) the rules split 3 to 6.
"""

import matplotlib.pyplot as plt
import numpy as np
import scipy.linalg

from sklearn_pinv import SpectrumDisplay, pinv, tolerance

s = np.array([1.5, 5e-16])
A = np.diag(s)
print(f"{'policy':18} {'tau':>10}  rank  pinv(A)[1, 1]")
for name in tolerance.available_policies():
    tau = tolerance.threshold(name, s, A.shape, A.dtype)
    B, rank = pinv(A, tol=name, return_rank=True)
    print(f"{name:18} {tau:10.3e}  {rank:4d}  {B[1, 1]:.3e}")

# %%
# ``matlab`` uses the *spacing* of :math:`\sigma_{max}=1.5` (:math:`2^{-52}`),
# not :math:`1.5\,\epsilon`, so its threshold ``2 * 2.2e-16`` keeps
# :math:`5\cdot 10^{-16}` while ``scipy`` and ``octave`` (:math:`2 \cdot 1.5\,\epsilon`) drop
# it. The references agree with their namesakes:
print("numpy.linalg.pinv:", np.linalg.pinv(A)[1, 1], " ours:", pinv(A, tol="numpy")[1, 1])
print("scipy.linalg.pinv:", scipy.linalg.pinv(A)[1, 1], " ours:", pinv(A, tol="scipy")[1, 1])

# %%
# The same disagreement drawn: each policy's threshold is a horizontal line,
# and the second singular value sits between the lines that keep it (below)
# and those that drop it (above); its marker follows the default ``"scipy"``.
# The right panel zooms in on the rounding level.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
SpectrumDisplay.from_data(A, fit_intercept=False, ax=left, legend=False,
                          title="diag(1.5, 5e-16): every threshold")
zoom = SpectrumDisplay.from_data(A, fit_intercept=False, ax=right,
                                 title="near 5e-16, where the rules split")
zoom.ax_.set_ylim(2e-16, 3e-15)
plt.show()

# %%
# Max or min dimension? On a tall 100x2 matrix Julia's ``min(m, n)`` rule
# keeps a singular value that SciPy's ``max(m, n)`` rule drops.
s = np.array([1.0, 1.2e-14])
for name in ("julia", "scipy"):
    print(name, tolerance.threshold(name, s, (100, 2), np.float64),
          "rank", tolerance.rank(name, s, (100, 2), np.float64))

# %%
# On the tall matrix the two rules are a factor 50 apart (the dimension they
# scale ``eps`` by): the small singular value falls between them.
tall = np.zeros((100, 2))
tall[0, 0], tall[1, 1] = s
SpectrumDisplay.from_data(tall, tol="julia", policies=["julia", "scipy"],
                          fit_intercept=False, title="100 x 2, singular values 1 and 1.2e-14")
plt.show()
