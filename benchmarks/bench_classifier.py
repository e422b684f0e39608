"""TikhonovClassifierCV vs RidgeClassifierCV: fit time and held-out accuracy (issue 13).

Two problems, both ``alphas=np.logspace(-3, 3, 10)``, ``cv=None`` (exact
leave-one-out), 5 classes:

- wide, shaped like MiniRocket's: 300 training series, 10,000 features,
  the proportions of positive values (PPV) of MiniRocket-style random
  convolution kernels (84 kernels of length 9 with weights -1 and 2, five
  dilations, biases drawn from quantiles of a training series' output) on
  synthetic series whose class hides a short wave of its own frequency;
- tall: 100,000 x 100 from ``make_classification`` (20,000 more rows held
  out).

Both estimators are fitted round robin in one process; the script prints
the median times, the ratio ours / scikit-learn (goal: <= 0.5), the best
rounds' ratio, the chosen alphas, the test accuracies and our route
(``solver_``). The machine may be shared and OpenBLAS threads collapse
when another process takes a core: ``--threads 1`` gives steadier figures.

Usage: ``python benchmarks/bench_classifier.py [--quick] [--repeats N] [--threads N]``
"""

import argparse
import os
import statistics
import time
import warnings
from itertools import combinations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import RidgeClassifierCV
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_pinv import GridEdgeWarning, TikhonovClassifierCV

ALPHAS = np.logspace(-3, 3, 10)


def series(n, length=150, n_classes=5, seed=0):
    """Random walks plus noise; class ``c`` hides a 30-step wave of frequency ``c + 2``."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n)
    X = 0.3 * np.cumsum(rng.standard_normal((n, length)), axis=1)
    X += rng.standard_normal((n, length))
    t = np.arange(30)
    for i, c in enumerate(y):
        start = rng.integers(0, length - 30)
        X[i, start:start + 30] += 2.0 * np.sin(2 * np.pi * (c + 2) * t / 30 + rng.uniform(0, 7))
    return X, y


def kernel_features(train, test, n_features=10_000, seed=0):
    """MiniRocket-style PPV features of ``train`` and ``test`` series (biases from ``train``)."""
    rng = np.random.default_rng(seed)
    both, L = np.vstack([train, test]), train.shape[1]
    kernels = list(combinations(range(9), 3))  # -1 everywhere, 2 at three of the nine taps
    dilations = 2 ** np.arange(int(np.log2((L - 1) / 8)) + 1)
    per = -(-n_features // (len(kernels) * len(dilations)))  # biases per (kernel, dilation)
    features = []
    for d in dilations:
        padded = np.pad(both, ((0, 0), (4 * d, 4 * d)))
        taps = np.stack([padded[:, k * d:k * d + L] for k in range(9)])
        total = taps.sum(axis=0)
        for three in kernels:
            conv = 3 * taps[list(three)].sum(axis=0) - total
            biases = np.quantile(conv[rng.integers(len(train))], rng.uniform(0, 1, per))
            features.append((conv[:, :, None] > biases).mean(axis=1))
    F = np.hstack(features)[:, :n_features]
    return F[:len(train)], F[len(train):]


def wide(n_train, n_features):
    X, y = series(2 * n_train)
    F_train, F_test = kernel_features(X[:n_train], X[n_train:], n_features)
    return F_train, y[:n_train], F_test, y[n_train:]


def tall(n_train, n_features):
    X, y = make_classification(n_train + 20_000, n_features, n_informative=20, n_redundant=10,
                               n_classes=5, flip_y=0.05, random_state=0)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def fit_times(make, X, y, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model = make().fit(X, y)
        times.append(time.perf_counter() - t0)
    return times, model


def bench(name, X, y, X_test, y_test, repeats):
    ours_t, ref_t = [], []
    for _ in range(repeats):  # round robin: load from other processes hits both
        t, ours = fit_times(lambda: TikhonovClassifierCV(alphas=ALPHAS), X, y, 1)
        ours_t += t
        t, ref = fit_times(lambda: RidgeClassifierCV(alphas=ALPHAS), X, y, 1)
        ref_t += t
    t_ours, t_ref = statistics.median(ours_t), statistics.median(ref_t)
    print(f"{name:<6} {X.shape[0]:>7}x{X.shape[1]:<6} {t_ours:8.3f} {t_ref:8.3f} "
          f"{t_ours / t_ref:7.2f} {min(ours_t) / min(ref_t):9.2f}  "
          f"{ours.alpha_:8.3g} {ref.alpha_:8.3g}  {ours.score(X_test, y_test):6.3f} "
          f"{ref.score(X_test, y_test):6.3f}  {ours.solver_}  load {os.getloadavg()[0]:.1f}",
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller shapes (a smoke run)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: all)")
    args = parser.parse_args()
    cases = ([("wide", wide, 100, 2_000), ("tall", tall, 10_000, 50)] if args.quick else
             [("wide", wide, 300, 10_000), ("tall", tall, 100_000, 100)])
    blas = {info["internal_api"]: info["num_threads"] for info in threadpool_info()}
    print(f"BLAS threads {args.threads or blas}; alphas = logspace(-3, 3, 10); cv=None")
    print(f"{'case':<6} {'shape':>14} {'ours s':>8} {'sklearn':>8} {'ratio':>7} "
          f"{'min-ratio':>9}  {'alpha':>8} {'sk alpha':>8}  {'acc':>6} {'sk acc':>6}  route")
    warnings.simplefilter("ignore", GridEdgeWarning)
    with threadpool_limits(args.threads):
        for name, make, m, n in cases:
            bench(name, *make(m, n), args.repeats)


if __name__ == "__main__":
    main()
