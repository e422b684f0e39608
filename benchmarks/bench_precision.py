"""What ``precision=`` costs: fit time of "fast", "standard" and "high" side by side.

Two kinds of data per shape: well conditioned (``standard`` does not refine,
so it should cost what ``fast`` does) and ill conditioned (columns
``x, x**2, ...``; ``standard`` refines). The best of several repeats (the
"high" route calls multithreaded BLAS on ``U``, which suffers most on a shared
machine, so medians there mostly measure the neighbours); read the ratios.

Run: ``python benchmarks/bench_precision.py`` (``--cpu``: one BLAS thread and
process CPU time, which other processes' load disturbs much less).
"""

import sys
import time
import warnings

import numpy as np

from sklearn_pinv import PinvRegressor
from threadpoolctl import threadpool_limits

from sklearn_pinv import config_context

SHAPES = [(200, 5), (2_000, 20), (20_000, 50), (100_000, 20), (500, 300)]
REPEATS = 7
CLOCK = time.perf_counter


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
        t0 = CLOCK()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            PinvRegressor(precision=precision).fit(X, y)
        times.append(CLOCK() - t0)
    return float(np.min(times))


def main():
    global CLOCK
    if "--cpu" in sys.argv:
        threadpool_limits(1)
        CLOCK = time.process_time
    rng = np.random.default_rng(0)
    print(f"{'data':5s} {'shape':>13s} {'fast ms':>9s} {'standard':>9s} {'high':>9s}"
          f" {'std/fast':>9s} {'high/fast':>9s}")
    with config_context(factorization_cache=False):  # time the factorization every time
        for kind in ("well", "ill"):
            for m, n in SHAPES:
                X, y = _data(kind, m, n, rng)
                t = {p: _best_time(p, X, y) for p in ("fast", "standard", "high")}
                print(f"{kind:5s} {f'{m}x{n}':>13s} {1e3 * t['fast']:9.2f} {1e3 * t['standard']:9.2f}"
                      f" {1e3 * t['high']:9.2f} {t['standard'] / t['fast']:9.2f}"
                      f" {t['high'] / t['fast']:9.2f}")


if __name__ == "__main__":
    main()
