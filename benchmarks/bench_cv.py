"""Speed of the (alpha, tol) searches, ours and scikit-learn's side by side.

Three comparisons (issue 6), each in one process, medians of repeats:

1. ``TikhonovCV(alphas=100, cv=None)`` (exact leave-one-out) vs
   ``RidgeCV(alphas=same)``;
2. ``TikhonovCV(alphas=50, tols=4, cv=5)`` (200 candidates) vs
   ``GridSearchCV(Ridge(solver="svd"), 50 alphas, cv=5)`` (50 candidates);
3. ``GridSearchCV(TikhonovRegressor(), 50 alphas x 4 tols, cv=5)``, with the
   factorization cache off (the default) and on (``config_context(
   factorization_cache=True)``; cleared before every repeat), vs the same
   ``GridSearchCV(Ridge(solver="svd"))``.

Each line also checks that both sides chose the same alpha. The machine may
be shared: the figures are noisy, compare the ratios.

Usage: ``python benchmarks/bench_cv.py [--quick] [--repeats N] [--ref-repeats N] [--threads N]``
"""

import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV, KFold

import sklearn_pinv
from sklearn_pinv import TikhonovCV, TikhonovRegressor
from sklearn_pinv.tolerance import GCVRank

TOLS = (0.0, "sqrt-eps", 1e-6, GCVRank())


def data(m, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) @ np.diag(np.logspace(0, -3, n))
    y = X @ rng.standard_normal(n) + 0.5 * rng.standard_normal(m)
    return X, y


def median_time(make_and_fit, repeats, before=None):
    times, result = [], None
    for _ in range(repeats):
        if before is not None:
            before()
        t0 = time.perf_counter()
        result = make_and_fit()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def row(name, shape, ours, ref, same):
    print(f"{name:<56} {shape[0]:>6}x{shape[1]:<4} {ours:9.3f} {ref:9.3f} "
          f"{ours / ref:8.3f}  {same}", flush=True)


def bench_loo(shape, repeats):
    X, y = data(*shape)
    alphas = np.logspace(-4, 4, 100)
    t_ours, ours = median_time(lambda: TikhonovCV(alphas=alphas, tols=(0.0,)).fit(X, y), repeats)
    t_ref, ref = median_time(lambda: RidgeCV(alphas=alphas).fit(X, y), repeats)
    row("TikhonovCV(100 alphas) vs RidgeCV (LOO)", shape, t_ours, t_ref,
        f"alpha {ours.alpha_:.3g} / {ref.alpha_:.3g}")


def bench_kfold(shape, repeats, ref_repeats):
    X, y = data(*shape)
    alphas = np.logspace(-4, 4, 50)
    cv = KFold(5, shuffle=True, random_state=0)
    t_ref, ref = median_time(
        lambda: GridSearchCV(Ridge(solver="svd"), {"alpha": alphas}, cv=cv).fit(X, y),
        ref_repeats)
    t_cv, ours = median_time(
        lambda: TikhonovCV(alphas=alphas, tols=TOLS, cv=cv).fit(X, y), repeats)
    res = ours.cv_results_
    at_zero = [i for i, p in enumerate(res["params"]) if p["tol"] == 0.0]
    best_zero = res["params"][at_zero[int(np.argmax(res["mean_test_score"][at_zero]))]]
    row("TikhonovCV(50x4, cv=5) vs GridSearchCV(Ridge)", shape, t_cv, t_ref,
        f"alpha at tol=0: {best_zero['alpha']:.3g} / {ref.best_params_['alpha']:.3g}")
    grid = {"alpha": alphas, "tol": list(TOLS)}
    for cache in (False, True):  # the default (off), and the opt-in cache
        for params in ({}, {"precision": "fast"}):  # the default, and without refinement
            with sklearn_pinv.config_context(factorization_cache=cache):
                t_gs, gs = median_time(
                    lambda: GridSearchCV(TikhonovRegressor(**params), grid, cv=cv).fit(X, y),
                    repeats, before=sklearn_pinv.clear_cache)
            info = sklearn_pinv.cache_info()
            same = gs.best_params_ == {"alpha": ours.alpha_, "tol": ours.tol_}
            note = (f"; {info['misses']} factorizations for {info['hits'] + info['misses']} fits"
                    if cache else "")
            label = _kw({**params, "cache": cache})
            row(f"GridSearchCV(Tikhonov, 50x4; {label}) vs (Ridge)", shape, t_gs, t_ref,
                f"same best as TikhonovCV: {same}{note}")


def _kw(params):
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes (seconds)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ref-repeats", type=int, default=None,
                        help="repeats of the slow GridSearchCV(Ridge) (default: 1, "
                             "or --repeats with --quick)")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads for both sides (default: the library's). "
                             "On a loaded machine 1 avoids OpenBLAS oversubscription.")
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads):
        run(args)


def run(args):
    ref_repeats = args.ref_repeats or (args.repeats if args.quick else 1)
    loo_shapes = [(4000, 50), (20000, 20)] if args.quick else [(20000, 100), (100000, 50)]
    kfold_shapes = [(4000, 50)] if args.quick else [(20000, 100)]
    print(f"{'comparison':<56} {'shape':>11} {'ours s':>9} {'ref s':>9} {'ratio':>8}  check")
    for shape in loo_shapes:
        bench_loo(shape, args.repeats)
    for shape in kfold_shapes:
        bench_kfold(shape, args.repeats, ref_repeats)


if __name__ == "__main__":
    main()
