"""Fit time on realistic designs: ours against LinearRegression, Ridge(svd) and ourselves.

Users' data are not N(0, 1): columns come in different units with large
offsets, have low effective rank or near-collinear pairs, one-hot blocks next
to an intercept, polynomial columns; many problems are wide (p >> n). For
each design this prints one row of ratios of median fit times, measured side
by side in one process (round robin, so load from other processes hits every
candidate alike):

* ``def/LR``: ``PinvRegressor()`` (the default precision) / ``LinearRegression``;
* ``Tik/Ridge``: ``TikhonovRegressor(alpha=1)`` / ``Ridge(alpha=1, solver="svd")``;
* ``def/fast``, ``high/fast``: the default and ``precision="high"`` against
  ``precision="fast"`` (no refinement);
* ``mem``: tracemalloc peak of one default fit / ``X.nbytes`` (BLAS-internal
  buffers are not seen, for us nor the references);
* ``route``: ``solver_`` of the default fit (``+refined(k)``: k steps ran).

The factorization cache is off (its default). ``--cpu`` times process CPU
time with one BLAS thread, which other processes' load disturbs much less
than wall-clock time with several threads; ``--repeats`` rounds are run and
medians reported, and ``--runs`` repeats the whole table to show how much
the ratios move between runs (its spread is printed last).

Usage::

    python benchmarks/bench_designs.py              # every design (a few minutes)
    python benchmarks/bench_designs.py --cpu        # one thread, CPU time
    python benchmarks/bench_designs.py --only wide-1000x20000 square-2000
"""

import argparse
import gc
import os
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.preprocessing import PolynomialFeatures
from threadpoolctl import threadpool_limits

from sklearn_pinv import PinvRegressor, TikhonovRegressor, config_context


def _noise(rng, m, t=1):
    return rng.standard_normal((m, t)) if t > 1 else rng.standard_normal(m)


def _linear(rng, X, t=1, k=5):
    coef = rng.standard_normal((min(k, X.shape[1]), t))
    Y = X[:, :coef.shape[0]] @ coef + _noise(rng, X.shape[0], t).reshape(-1, t)
    return Y[:, 0] if t == 1 else Y


def scaled_offsets(rng, m=50000, n=100):
    """Columns in different units (scales 1e-3..1e4) with offsets up to 1e5."""
    X = rng.standard_normal((m, n)) * 10 ** rng.uniform(-3, 4, n) + rng.uniform(-1e5, 1e5, n)
    return X, _linear(rng, X)


def low_rank(rng, m=50000, n=100):
    X, y = make_regression(m, n, n_informative=20, effective_rank=20, noise=1.0,
                           random_state=int(rng.integers(2**31)))
    return X, y


def near_collinear(rng, m=50000, n=100):
    """One column is 2 x0 + 1e-6 noise: the condition number is ~1e6."""
    X = rng.standard_normal((m, n))
    X[:, 1] = 2 * X[:, 0] + 1e-6 * rng.standard_normal(m)
    return X, _linear(rng, X)


def scaled_collinear(rng, m=200000, n=50):
    """Scaled, offset columns and one equal to 2 x0 + 1e-6 noise (issue 10)."""
    X, y = scaled_offsets(rng, m, n)
    X[:, 1] = 2 * X[:, 0] + 1e-6 * rng.standard_normal(m)
    return X, y


def one_hot(rng, m=50000, n_numeric=80, categories=20):
    """A full one-hot block (its columns sum to the intercept's) and numeric columns."""
    codes = rng.integers(0, categories, m)
    X = np.hstack([np.eye(categories)[codes], rng.standard_normal((m, n_numeric)) * 3 + 1])
    return X, _linear(rng, X[:, categories:]) + codes * 0.5


def polynomial(rng, m=50000, variables=6, degree=3):
    """PolynomialFeatures(3) of 6 variables on [0, 10] (83 columns, scales 10**k, correlated)."""
    Z = rng.uniform(0, 10, (m, variables))
    X = PolynomialFeatures(degree, include_bias=False).fit_transform(Z)
    return X, np.sin(Z).sum(axis=1) + Z[:, 0] * Z[:, 1] + 0.1 * rng.standard_normal(m)


def polynomial_1d(rng, m=50000, degree=8):
    """x, x**2, ..., x**8 for x in [1, 3]: 8 columns, condition number ~1e9."""
    x = rng.uniform(1, 3, m)
    X = np.column_stack([x ** k for k in range(1, degree + 1)])
    return X, np.sin(x) + 0.01 * rng.standard_normal(m)


def gaussian(m, n, t=1):
    def make(rng):
        X = rng.standard_normal((m, n))
        return X, _linear(rng, X, t)
    return make


DESIGNS = {
    "scaled-offsets": scaled_offsets,
    "low-rank-20": low_rank,
    "near-collinear": near_collinear,
    "scaled-collinear-200000x50": scaled_collinear,
    "one-hot+intercept": one_hot,
    "polynomial-deg3": polynomial,
    "polynomial-1d-deg8": polynomial_1d,
    "tall-100000x200": gaussian(100000, 200),
    "tall-100000x200-t10": gaussian(100000, 200, 10),
    "tall-100000x50": gaussian(100000, 50),
    "tall-100000x50-t10": gaussian(100000, 50, 10),
    "wide-1000x20000": gaussian(1000, 20000),
    "wide-500x50000": gaussian(500, 50000),
    "square-2000": gaussian(2000, 2000),
}

CANDIDATES = {
    "LR": LinearRegression,
    "Ridge": lambda: Ridge(alpha=1.0, solver="svd"),
    "default": PinvRegressor,
    "fast": lambda: PinvRegressor(precision="fast"),
    "high": lambda: PinvRegressor(precision="high"),
    "Tik": lambda: TikhonovRegressor(alpha=1.0),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="+", choices=sorted(DESIGNS), help="a subset of designs")
    p.add_argument("--repeats", type=int, default=3, help="rounds per design (medians)")
    p.add_argument("--runs", type=int, default=1, help="repeat the whole table")
    p.add_argument("--cpu", action="store_true", help="one BLAS thread, process CPU time")
    p.add_argument("--no-memory", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def _times(X, y, repeats, clock):
    times = {name: [] for name in CANDIDATES}
    names = list(CANDIDATES)
    for r in range(repeats + 1):  # round 0 warms up
        for name in names[r % len(names):] + names[:r % len(names)]:
            gc.collect()
            t0 = clock()
            CANDIDATES[name]().fit(X, y)
            if r:
                times[name].append(clock() - t0)
    return {name: float(np.median(v)) for name, v in times.items()}


def _peak(X, y):
    gc.collect()
    tracemalloc.start()
    try:
        est = PinvRegressor().fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / X.nbytes, est.solver_


def run(args):
    clock = time.process_time if args.cpu else time.perf_counter
    rows = {}
    for name in args.only or DESIGNS:
        X, y = DESIGNS[name](np.random.default_rng(args.seed))
        t = _times(X, y, args.repeats, clock)
        mem, route = (float("nan"), PinvRegressor().fit(X, y).solver_) if args.no_memory \
            else _peak(X, y)
        rows[name] = {
            "shape": "x".join(map(str, X.shape)) + ("" if y.ndim == 1 else f" t{y.shape[1]}"),
            "def/LR": t["default"] / t["LR"], "Tik/Ridge": t["Tik"] / t["Ridge"],
            "def/fast": t["default"] / t["fast"], "high/fast": t["high"] / t["fast"],
            "high/LR": t["high"] / t["LR"], "mem": mem, "route": route, "LR s": t["LR"],
        }
        _print_row(name, rows[name])
    return rows


COLUMNS = ["def/LR", "Tik/Ridge", "def/fast", "high/fast", "high/LR", "mem"]


def _print_row(name, row):
    cells = " ".join(f"{row[c]:9.2f}" for c in COLUMNS)
    print(f"{name:27s} {row['shape']:>14s} {row['LR s']:7.2f} {cells}  {row['route']}", flush=True)


def main(argv=None):
    args = parse_args(argv)
    warnings.simplefilter("ignore")  # AccuracyWarning on the polynomial design is expected
    if args.cpu:
        threadpool_limits(1)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"{'CPU time, 1 BLAS thread' if args.cpu else 'wall-clock'}; median of "
          f"{args.repeats} rounds; ratios < 1: ours faster")
    header = f"{'design':27s} {'shape':>14s} {'LR s':>7s} " + " ".join(f"{c:>9s}" for c in COLUMNS)
    runs = []
    with config_context(factorization_cache=False):
        for k in range(args.runs):
            print(("\n" if k else "") + header + "  route")
            runs.append(run(args))
    if args.runs > 1:
        print("\nspread between runs (max / min of each ratio):")
        for name in runs[0]:
            spread = [max(r[name][c] for r in runs) / min(r[name][c] for r in runs)
                      for c in COLUMNS[:-1]]
            print(f"{name:27s} " + " ".join(f"{s:9.2f}" for s in spread))


if __name__ == "__main__":
    main()
