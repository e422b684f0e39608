"""TikhonovCV(alpha_per_target=True, cv=5) against himalaya's RidgeCV (a benchmark only).

himalaya (``pip install himalaya``) is the reference for ridge with one alpha
per target over many targets (brain-imaging encoding models). Both searches
score every alpha for every target by its mean squared error (himalaya's
default) on the same five folds (KFold,
no shuffle) and refit with the chosen alphas, unrefined (``precision="fast"``;
himalaya does not refine). The script prints, per size,
the median time of each, their ratio, the peak of memory allocated by the
fit (``tracemalloc``: NumPy registers its buffers), and whether both chose
the same alpha, per target. The machine may be shared: compare ratios
taken in one run. himalaya runs in batches of ``--batch`` targets and 5
alphas: with its default (everything at once) 20000 x 200 x 100 took 13 GB
and 1000 targets would not fit in memory. Not part of the test suite
(himalaya is not a dependency).

Usage: ``python benchmarks/bench_himalaya.py [--quick] [--repeats N] [--threads N]``
"""

import argparse
import statistics
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from sklearn_pinv import GridEdgeWarning, TikhonovCV

ALPHAS = np.logspace(-6, 6, 25)


def data(m, n, t, seed=0):
    """Targets that want different alphas: signal-to-noise varies over the targets."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) @ np.diag(np.logspace(0, -2, n))
    W = rng.standard_normal((n, t))
    noise = rng.standard_normal((m, t)) * np.logspace(-2, 1, t)
    return X, X @ W + noise


def measure(fit, repeats):
    """(median seconds, peak traced bytes of one fit, fitted estimator)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        est = fit()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fit()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, est


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5000 x 200, 100 targets only")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated m x n x t, e.g. 5000x200x1000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100,
                        help="himalaya's targets per batch (its default, all at once, "
                        "took 13 GB at 20000 x 200 x 100)")
    args = parser.parse_args()
    try:
        from himalaya.ridge import RidgeCV as HimalayaRidgeCV
    except ImportError:
        raise SystemExit("himalaya is not installed: pip install himalaya")
    warnings.simplefilter("ignore", GridEdgeWarning)  # the low-noise targets want alpha -> 0
    sizes = [(5000, 200, 100)] if args.quick else [(20000, 200, 100), (20000, 200, 1000)]
    if args.sizes:
        sizes = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",")]
    print(f"{'shape':>18} {'ours s':>8} {'himalaya s':>10} {'ratio':>6} "
          f"{'ours MB':>8} {'him. MB':>8} {'mem ratio':>9}  same alpha")
    with threadpool_limits(args.threads):
        for m, n, t in sizes:
            X, Y = data(m, n, t)
            cv = KFold(5)
            ours = lambda: TikhonovCV(alphas=ALPHAS, cv=cv, tols=(0.0,),  # noqa: E731
                                      scoring="neg_mean_squared_error", precision="fast",
                                      alpha_per_target=True).fit(X, Y)
            batches = {"n_targets_batch": args.batch, "n_targets_batch_refit": args.batch,
                       "n_alphas_batch": 5}
            theirs = lambda: HimalayaRidgeCV(alphas=ALPHAS, cv=cv,  # noqa: E731
                                             fit_intercept=True,
                                             solver_params=batches).fit(X, Y)
            t_ours, m_ours, est = measure(ours, args.repeats)
            t_him, m_him, ref = measure(theirs, args.repeats)
            same = np.isclose(est.alpha_, np.asarray(ref.best_alphas_))
            same = f"{np.count_nonzero(same)}/{t}"
            print(f"{m:>7}x{n}x{t:<6} {t_ours:8.2f} {t_him:10.2f} {t_ours / t_him:6.3f} "
                  f"{m_ours / 2**20:8.0f} {m_him / 2**20:8.0f} {m_ours / m_him:9.3f}  {same}",
                  flush=True)


if __name__ == "__main__":
    main()
