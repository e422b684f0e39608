"""What ``precision=`` costs: fit time of "fast", "standard" and "high" side by side.

Two kinds of data per shape: well conditioned (``standard`` does not refine,
so it should cost what ``fast`` does) and ill conditioned (columns
``x, x**2, ...``; ``standard`` refines). The best of several repeats (the
"high" route calls multithreaded BLAS on ``U``, which suffers most on a shared
machine, so medians there mostly measure the neighbours); read the ratios.

Run: ``python benchmarks/bench_precision.py``
"""

import time
import warnings

import numpy as np

from sklearn_pinv import PinvRegressor
from sklearn_pinv._cache import cache_config

SHAPES = [(200, 5), (2_000, 20), (20_000, 50), (100_000, 20), (500, 300)]
REPEATS = 7


def _data(kind, m, n, rng):
    if kind == "well":
        X = rng.standard_normal((m, n))
    else:  # polynomial columns on [1, 2]: cond ~ 10**n, refined by "standard" for small n
        x = rng.uniform(1, 2, m)
        X = np.column_stack([x ** (k % 6 + 1) + 1e-3 * rng.standard_normal(m) for k in range(n)])
    return X, X @ rng.standard_normal(n) + 0.1 * rng.standard_normal(m)


def _best_time(precision, X, y):
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            PinvRegressor(precision=precision).fit(X, y)
        times.append(time.perf_counter() - t0)
    return float(np.min(times))


def main():
    rng = np.random.default_rng(0)
    print(f"{'data':5s} {'shape':>13s} {'fast ms':>9s} {'standard':>9s} {'high':>9s}"
          f" {'std/fast':>9s} {'high/fast':>9s}")
    with cache_config(enabled=False):  # time the factorization every time
        for kind in ("well", "ill"):
            for m, n in SHAPES:
                X, y = _data(kind, m, n, rng)
                t = {p: _best_time(p, X, y) for p in ("fast", "standard", "high")}
                print(f"{kind:5s} {f'{m}x{n}':>13s} {1e3 * t['fast']:9.2f} {1e3 * t['standard']:9.2f}"
                      f" {1e3 * t['high']:9.2f} {t['standard'] / t['fast']:9.2f}"
                      f" {t['high'] / t['fast']:9.2f}")


if __name__ == "__main__":
    main()
