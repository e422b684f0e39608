"""
Ill-conditioned polynomial design: test error against the tolerance
===================================================================

Raw monomials :math:`x, x^2, \\dots, x^{d}` on :math:`[0, 1]` are nearly
collinear: the condition number of the design grows like :math:`10^{d/1.3}`.
How many singular values a least-squares solver keeps then decides how much
noise it amplifies. Here we sweep the relative tolerance of
:class:`~sklearn_pinv.PinvRegressor` (``tau = tol * max(s)``) and compare the
out-of-sample error with scikit-learn's ``LinearRegression`` (which is
``PinvRegressor(tol=1e-6)``) and with the named policies.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error

from sklearn_pinv import PinvRegressor, tolerance

rng = np.random.default_rng(0)


def design(x, degree=20):
    return np.vander(x, degree + 1, increasing=True)[:, 1:]


x_train, x_test = rng.uniform(0, 1, 60), rng.uniform(0, 1, 500)
f = lambda x: np.sin(2 * np.pi * x)  # noqa: E731
y_train = f(x_train) + 0.1 * rng.standard_normal(60)
X_train, X_test = design(x_train), design(x_test)
print(f"condition number of the centred design: "
      f"{np.linalg.cond(X_train - X_train.mean(0)):.1e}")

# %%
# Sweep the relative tolerance: small values keep noise-dominated directions,
# large values throw away signal. When the kept spectrum is so ill-conditioned
# that the coefficients lose their digits, ``PinvRegressor`` says so with an
# ``AccuracyWarning``; the sweep goes there on purpose, so we count the
# warnings instead of printing each.
tols = np.logspace(-17, -1, 33)
errors, ranks = [], []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for tol in tols:
        reg = PinvRegressor(tol=float(tol)).fit(X_train, y_train)
        errors.append(mean_squared_error(f(x_test), reg.predict(X_test)))
        ranks.append(reg.rank_)
    named = {}
    for name in tolerance.available_policies():
        reg = PinvRegressor(tol=name).fit(X_train, y_train)
        rel = reg.threshold_ / reg.singular_values_[0]
        named[name] = (rel, mean_squared_error(f(x_test), reg.predict(X_test)), reg.rank_)
kinds = sorted({type(w.message).__name__ for w in caught})
print(f"{len(caught)} of {len(tols) + len(named)} fits warned ({', '.join(kinds) or 'none'})")
lr = LinearRegression().fit(X_train, y_train)
lr_error = mean_squared_error(f(x_test), lr.predict(X_test))
print(f"LinearRegression test MSE {lr_error:.4f}; "
      f"PinvRegressor(tol=1e-6) {errors[list(np.round(np.log10(tols))).index(-6)]:.4f}")

# %%
# The named policies set their own relative cut (``threshold_ / max(s)``).
for name, (rel, err, rank) in named.items():
    print(f"{name:18} tau/max(s) = {rel:.2e}  rank {rank:2d}  test MSE {err:.4f}")

# %%
# Policies that keep the same rank give the same fit: one legend entry (and one
# colour) per rank. The legend sits below the axes, clear of the curves.
by_rank = {}
for name, (rel, err, rank) in named.items():
    by_rank.setdefault(rank, []).append((name, max(rel, tols[0]), err))
fig, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
ax.loglog(tols, errors, "-o", ms=3, label="PinvRegressor(tol=t)")
ax.axhline(lr_error, color="k", ls="--", lw=1, label="LinearRegression()")
for j, (rank, members) in enumerate(sorted(by_rank.items())):
    names, rels, errs = zip(*members)
    ax.plot(rels, errs, "s", ms=7, mfc="none", mew=1.5, color=f"C{j + 1}",
            label=f"rank {rank}: {', '.join(names)}")
ax.set(xlabel="relative tolerance tau / max(s)", ylabel="test MSE against sin(2 pi x)")
twin = ax.twinx()
twin.step(tols, ranks, where="mid", color="0.6", lw=1, label="rank kept (right axis)")
twin.set_ylabel("rank kept", color="0.4")
twin.yaxis.set_major_locator(MaxNLocator(integer=True))
handles, labels = ax.get_legend_handles_labels()
extra = twin.get_legend_handles_labels()
ax.legend(handles + extra[0], labels + extra[1], fontsize="small", ncol=2,
          loc="upper center", bbox_to_anchor=(0.5, -0.14))
plt.show()
