"""
Wide classification, MiniRocket style: TikhonovClassifierCV and RidgeClassifierCV
=================================================================================

The ROCKET and MiniRocket time-series classifiers turn each series into
thousands of features -- the proportion of positive values (PPV) of random
convolutions -- and fit ``RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))``
on them: a few hundred samples, ten thousand features. Here
:class:`~sklearn_pinv.TikhonovClassifierCV` does the same search, exact
leave-one-out from one factorization, next to scikit-learn's.
"""

import time
from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import RidgeClassifierCV

from sklearn_pinv import TikhonovClassifierCV

# %%
# Synthetic series of five classes: a random walk plus noise, in which each
# class hides a 30-step wave of its own frequency at a random place.
rng = np.random.default_rng(0)
n_series, length = 600, 150
y = rng.integers(0, 5, n_series)
series = 0.3 * np.cumsum(rng.standard_normal((n_series, length)), axis=1)
series += rng.standard_normal((n_series, length))
wave = np.arange(30)
for i, c in enumerate(y):
    start = rng.integers(0, length - 30)
    series[i, start:start + 30] += 2.0 * np.sin(2 * np.pi * (c + 2) * wave / 30
                                                + rng.uniform(0, 7))

# %%
# MiniRocket's features, simplified: its 84 kernels of length 9 (weight 2 on
# three taps, -1 on the others) at five dilations, each with biases drawn
# from quantiles of one training series' convolution; a feature is the
# fraction of time steps where the convolution exceeds its bias.
train, test = slice(0, 300), slice(300, None)
n_features = 10_000
kernels = list(combinations(range(9), 3))
dilations = 2 ** np.arange(int(np.log2((length - 1) / 8)) + 1)
per_pair = -(-n_features // (len(kernels) * len(dilations)))
columns = []
for d in dilations:
    padded = np.pad(series, ((0, 0), (4 * d, 4 * d)))
    taps = np.stack([padded[:, k * d:k * d + length] for k in range(9)])
    for three in kernels:
        conv = 3 * taps[list(three)].sum(axis=0) - taps.sum(axis=0)
        biases = np.quantile(conv[rng.integers(300)], rng.uniform(0, 1, per_pair))
        columns.append((conv[:, :, None] > biases).mean(axis=1))
X = np.hstack(columns)[:, :n_features]
print(f"training data: {X[train].shape}, test data: {X[test].shape}")

# %%
# Both searches on the same grid. ``tols=("ridge",)`` makes ours cut the
# spectrum exactly where ``RidgeClassifier(solver="svd")`` does; with
# ``cv=None`` both minimise the leave-one-out squared error of the -1/+1
# class indicators (scikit-learn's default: accuracy is the default only
# with k-fold ``cv``).
alphas = np.logspace(-3, 3, 10)
models = {
    "TikhonovClassifierCV": TikhonovClassifierCV(alphas=alphas, tols=("ridge",)),
    "RidgeClassifierCV": RidgeClassifierCV(alphas=alphas, store_cv_results=True),
}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X[train], y[train])
    seconds = time.perf_counter() - start
    print(f"{name:<21} fit {seconds:6.3f} s   alpha_ = {model.alpha_:8.3g}   "
          f"test accuracy = {model.score(X[test], y[test]):.3f}")

# %%
# The leave-one-out curves coincide: ours from its ``cv_results_`` (the
# negative mean squared error), scikit-learn's from the per-sample errors it
# stores with ``store_cv_results=True``.
ours, ref = models["TikhonovClassifierCV"], models["RidgeClassifierCV"]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogx(alphas, -ours.cv_results_["mean_test_score"], "o-", label="TikhonovClassifierCV")
ax.semilogx(alphas, ref.cv_results_.mean(axis=(0, 1)), "x--", label="RidgeClassifierCV")
ax.axvline(ours.alpha_, color="grey", lw=0.8)
ax.set(xlabel="alpha", ylabel="leave-one-out MSE of the indicators",
       title="Same grid, same pick")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# Without a grid, the default reads 50 alphas off the spectrum of the
# features, and ``scoring="accuracy"`` scores the leave-one-out predictions
# as a classifier (the label is the argmax of the leave-one-out decision
# values), still from one factorization.
auto = TikhonovClassifierCV(scoring="accuracy").fit(X[train], y[train])
print(f"default grid [{auto.alphas_[0]:.2g}, {auto.alphas_[-1]:.2g}]: alpha_ = "
      f"{auto.alpha_:.3g}, leave-one-out accuracy {auto.best_score_:.3f}, "
      f"test accuracy {auto.score(X[test], y[test]):.3f}")
