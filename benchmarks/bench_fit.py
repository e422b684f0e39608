"""Fit time and peak memory of the estimators against scikit-learn's references.

PinvRegressor().fit is timed against LinearRegression().fit and
TikhonovRegressor(alpha=1).fit against Ridge(alpha=1, solver="svd").fit, side
by side in one process on the same data. Each round runs every candidate once
(round robin), so load from other processes hits all of them alike; the
table shows medians over rounds and the ratio of medians. The machine may be
shared: read the figures as noisy and compare the ratios, not the absolute
times. ``min`` ratios (best round of each) are printed too; they are the less
load-sensitive figure.

Peak memory is the tracemalloc peak during one fit (numpy, and scipy's f2py
wrappers, allocate through the traced allocator; the script checks this
first), in multiples of ``X.nbytes``. BLAS/LAPACK internal buffers are not
seen, for ours nor the references.

The factorization cache of sklearn_pinv is switched off for the timings
(repeated fits on the same data would otherwise hit it); the row "cache
miss" shows the cost of a first fit with the cache on (hashing the data).

Usage::

    python benchmarks/bench_fit.py            # quick: smaller shapes, ~1-2 min
    python benchmarks/bench_fit.py --full     # the shapes of issue 2
    python benchmarks/bench_fit.py --full --shapes 100000x200 --targets 1
"""

import argparse
import gc
import os
import platform
import time
import tracemalloc

import numpy as np
import scipy
import sklearn
from scipy import linalg
from sklearn.linear_model import LinearRegression, Ridge
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_pinv import PinvRegressor, TikhonovRegressor, clear_cache, config_context

FULL_SHAPES = ["100000x200", "100000x50", "20000x1000", "2000x2000", "1000x20000", "500x50000"]
QUICK_SHAPES = ["20000x200", "20000x50", "5000x500", "1000x1000", "300x5000"]

# (label, factory, reference label); ours are timed with the cache off.
CANDIDATES = [
    ("LinearRegression", LinearRegression, None),
    ("PinvRegressor", PinvRegressor, "LinearRegression"),
    ("Ridge(svd)", lambda: Ridge(alpha=1.0, solver="svd"), None),
    ("TikhonovRegressor", lambda: TikhonovRegressor(alpha=1.0), "Ridge(svd)"),
]
CACHE_MISS = ("PinvRegressor, cache miss", PinvRegressor, "LinearRegression")
FAST = ("PinvRegressor(fast)", lambda: PinvRegressor(precision="fast"), "LinearRegression")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--full", action="store_true", help="issue 2's shapes (default: quick)")
    p.add_argument("--shapes", nargs="+", help="override, e.g. 100000x200 2000x2000")
    p.add_argument("--targets", nargs="+", type=int, default=[1, 10])
    p.add_argument("--repeats", type=int, help="rounds per case (default 7 full, 3 quick)")
    p.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    p.add_argument("--no-cache-miss", action="store_true", help="skip the cache-miss row")
    p.add_argument("--threads", type=int,
                   help="limit BLAS threads (threadpoolctl); 1 is the less load-sensitive figure")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--offset", type=float, default=0.0,
                   help="shift X's columns by up to this much (triggers refinement)")
    p.add_argument("--fast-row", action="store_true",
                   help="add PinvRegressor(precision='fast'): the fit without refinement")
    args = p.parse_args(argv)
    args.shapes = args.shapes or (FULL_SHAPES if args.full else QUICK_SHAPES)
    args.repeats = args.repeats or (7 if args.full else 3)
    return args


def print_environment():
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                "OMP_NUM_THREADS"):
        print(f"  {key}={os.environ.get(key, '<unset>')}")
    for lib in threadpool_info():
        if lib["user_api"] == "blas":
            print(f"  BLAS {lib['internal_api']} {lib['version']} kernel="
                  f"{lib.get('architecture')} threads={lib['num_threads']} "
                  f"({os.path.basename(lib['filepath'])})")


def check_tracemalloc():
    """tracemalloc must see numpy's and scipy's LAPACK-wrapper allocations."""
    A = np.random.default_rng(0).standard_normal((2000, 250), )
    for name, job, at_least in [
        ("numpy empty 8 MB", lambda: np.ones(10**6), 8e6),
        # a copy of A (4 MB) plus U (4 MB) at least
        ("scipy.linalg.svd", lambda: linalg.svd(A, full_matrices=False), 2 * A.nbytes),
    ]:
        peak = traced_peak(job)
        ok = peak >= 0.99 * at_least
        print(f"  tracemalloc check: {name}: peak {peak / 1e6:.1f} MB "
              f"(expected >= {at_least / 1e6:.1f} MB) {'ok' if ok else 'NOT SEEN'}")
        if not ok:
            raise SystemExit("tracemalloc does not see these allocations; memory figures would lie")


def traced_peak(job):
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = job()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    del result
    return peak


def make_data(m, n, t, seed, offset=0.0):
    """Gaussian X in C order (as most callers have it); y with intercept 1."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n))
    Y = 1 + X[:, : min(n, 5)].sum(axis=1, keepdims=True) + rng.standard_normal((m, t))
    if offset:
        # Column means far from 0 make the intercept a cancellation: the
        # default precision="standard" then refines (extra passes over X).
        X += rng.uniform(-offset, offset, n)
    return X, (Y[:, 0] if t == 1 else Y)


def fit_job(label, factory, X, y):
    def job():
        if label == CACHE_MISS[0]:
            clear_cache()
            with config_context(factorization_cache=True):
                return factory().fit(X, y)
        return factory().fit(X, y)
    return job


def time_case(cands, X, y, repeats):
    """Round-robin timings: {label: list of seconds}; one warm-up round."""
    times = {label: [] for label, _, _ in cands}
    jobs = [(label, fit_job(label, factory, X, y)) for label, factory, _ in cands]
    for r in range(repeats + 1):
        for label, job in jobs[r % len(jobs):] + jobs[: r % len(jobs)]:
            gc.collect()
            t0 = time.perf_counter()
            est = job()
            elapsed = time.perf_counter() - t0
            if r:
                times[label].append(elapsed)
    return times, getattr(est, "solver_", "")


def run_case(shape, t, args, cands):
    m, n = map(int, shape.split("x"))
    X, y = make_data(m, n, t, args.seed, args.offset)
    with config_context(factorization_cache=False):
        times, _ = time_case(cands, X, y, args.repeats)
        solver = PinvRegressor().fit(X, y).solver_
        peaks = {}
        if not args.no_memory:
            for label, factory, _ in cands:
                if label != CACHE_MISS[0]:
                    peaks[label] = traced_peak(fit_job(label, factory, X, y)) / X.nbytes
    rows = []
    for label, _, ref in cands:
        med, best = np.median(times[label]), min(times[label])
        ratio = f"{med / np.median(times[ref]):6.2f}" if ref else "  1.00"
        ratio_min = f"{best / min(times[ref]):6.2f}" if ref else "  1.00"
        mem = f"{peaks[label]:5.2f}" if label in peaks else "   - "
        rows.append((label, med, ratio, ratio_min, mem))
    return rows, solver


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        threadpool_limits(args.threads)
    print_environment()
    if not args.no_memory:
        check_tracemalloc()
    cands = CANDIDATES + ([FAST] if args.fast_row else [])
    cands += [] if args.no_cache_miss else [CACHE_MISS]
    print(f"\n{args.repeats} rounds per case, medians (noisy on a shared machine); "
          "ratio = ours / reference (LinearRegression for Pinv, Ridge(svd) for Tikhonov);"
          " mem = tracemalloc peak / X.nbytes")
    header = f"{'shape':>11s} {'t':>3s}  {'estimator':26s} {'median ms':>10s} " \
             f"{'ratio':>6s} {'min-ratio':>9s} {'mem xX':>6s}"
    print(header)
    print("-" * len(header))
    for shape in args.shapes:
        for t in args.targets:
            rows, solver = run_case(shape, t, args, cands)
            for i, (label, med, ratio, ratio_min, mem) in enumerate(rows):
                head = f"{shape:>11s} {t:3d}" if i == 0 else " " * 15
                print(f"{head}  {label:26s} {med * 1e3:10.1f} {ratio} {ratio_min:>9s} {mem:>6s}")
            print(f"{'':15s}  (our route: {solver}; load average {os.getloadavg()[0]:.1f})",
                  flush=True)


if __name__ == "__main__":
    main()
