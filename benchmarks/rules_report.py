"""Parameter-choice rules on Hansen's test problems, against the brute-force optimum.

For each problem of :mod:`sklearn_pinv.datasets` (shaw, phillips, deriv2,
baart, foxgood, gravity), each size ``n`` in {64, 256}, each relative noise
level in {1e-3, 1e-2} and 10 seeds (240 instances), every rule fits
``A x = b`` through the public estimators with ``fit_intercept=False`` and is
scored by its error ``||x - x_true|| / ||x_true||`` divided by the best
error reachable by its family, found by brute force with an explicit SVD:

* truncation rules (``PinvRegressor(tol=<rank policy>)``) against the best
  truncation rank over all ``k = 0..n``;
* Tikhonov rules (``TikhonovRegressor(alpha=<rule>)``) against the best
  ``alpha`` on a log grid of 40 points per decade from ``1e-20 s_1^2`` to
  ``10 s_1^2``.

The table gives, per problem and rule, the median of that ratio and the
share of instances where the rule is more than 3x worse than the optimum;
the last column pools all problems. DiscrepancyRank and the discrepancy
alpha get the true per-sample noise standard deviation (``noise_std`` of the
dataset's Bunch). The row ``corner (pruning)`` is the adaptive-pruning
corner of :mod:`sklearn_pinv._corner` on the truncation L-curve over the
ranks that ``LCurveRank``'s default floor ("scipy") admits.

Run: ``.venv/bin/python benchmarks/rules_report.py`` (a few minutes), or
``--seeds 2`` for a quick look; ``--worst`` lists each rule's worst instance.
"""

import argparse
import warnings

import numpy as np

from sklearn_pinv import PinvRegressor, TikhonovRegressor, datasets, tolerance

PROBLEMS = ["shaw", "phillips", "deriv2", "baart", "foxgood", "gravity"]
SIZES = (64, 256)
NOISES = (1e-3, 1e-2)


def _private():
    """The one place that reaches into private modules (re-point when they move)."""
    from sklearn_pinv._corner import lcurve_corner_index
    from sklearn_pinv._selection import discrepancy_alpha

    return lcurve_corner_index, discrepancy_alpha


def _discrepancy_rank(noise_std):
    # The keyword of DiscrepancyRank is the per-sample standard deviation.
    return tolerance.DiscrepancyRank(noise_level=noise_std)


def _corner_rank_fit(A, b):
    """PinvRegressor at the pruning corner of the truncation L-curve."""
    corner, _ = _private()
    fact = PinvRegressor(fit_intercept=False).fit(A, b).factorization_
    s, z = fact.singular_values, fact.z[:, 0]
    K = tolerance.rank("scipy", s, fact.shape, fact.dtype)
    z2 = z**2  # the directions beyond K stay in every residual
    tail = np.append(np.cumsum(z2[::-1])[::-1], 0.0)[: K + 1]
    rho = np.sqrt(tail + fact.residual_norms[0] ** 2)
    eta = np.sqrt(np.concatenate([[0.0], np.cumsum(z2[:K] / s[:K] ** 2)]))
    k = corner(rho, eta)
    return PinvRegressor(tol=tolerance.FixedRank(k), fit_intercept=False).fit(A, b)


def rules(noise_std):
    """name -> (family, fit(A, b) -> fitted estimator)."""
    _, discrepancy_alpha = _private()

    def pinv(tol):
        return lambda A, b: PinvRegressor(tol=tol, fit_intercept=False).fit(A, b)

    def tikhonov(alpha):
        return lambda A, b: TikhonovRegressor(alpha=alpha, fit_intercept=False).fit(A, b)

    def discrepancy(fact, kept):
        return discrepancy_alpha(fact, noise_std, kept=kept)

    return {
        "GCVRank": ("rank", pinv(tolerance.GCVRank())),
        "LCurveRank": ("rank", pinv(tolerance.LCurveRank())),
        "QuasiOptimalRank": ("rank", pinv(tolerance.QuasiOptimalRank())),
        "DiscrepancyRank(noise_std)": ("rank", pinv(_discrepancy_rank(noise_std))),
        "corner (pruning)": ("rank", _corner_rank_fit),
        'alpha="gcv"': ("alpha", tikhonov("gcv")),
        'alpha="lcurve"': ("alpha", tikhonov("lcurve")),
        'alpha="quasi-optimal"': ("alpha", tikhonov("quasi-optimal")),
        "alpha=discrepancy(noise_std)": ("alpha", tikhonov(discrepancy)),
    }


def optimum(A, b, x_true):
    """Best relative errors of truncation and of Tikhonov, by brute force.

    ``A`` is square, so ``V`` is orthogonal and errors can be measured on the
    coefficients ``V^T x``.
    """
    U, s, Vt = np.linalg.svd(A)
    z, c, norm = U.T @ b, Vt @ x_true, np.linalg.norm(x_true)
    w = z / s
    # ||x_k - x||^2 = sum_{i<=k} (w_i - c_i)^2 + sum_{i>k} c_i^2, k = 0..n
    head = np.concatenate([[0.0], np.cumsum((w - c) ** 2)])
    tail = np.concatenate([np.cumsum((c**2)[::-1])[::-1], [0.0]])
    best_rank = np.sqrt(np.min(head + tail)) / norm
    top = np.log10(s[0] ** 2)
    alphas = np.logspace(top - 20, top + 1, 21 * 40 + 1)
    best_alpha = np.inf
    for chunk in np.array_split(alphas, 20):  # (chunk, n) at a time
        phi = s**2 / (s**2 + chunk[:, None])
        err = np.linalg.norm(phi * w - c, axis=1) / norm
        best_alpha = min(best_alpha, float(err.min()))
    return {"rank": best_rank, "alpha": best_alpha}


def run(seeds):
    records = []  # (problem, n, noise, seed, rule, ratio)
    for name in PROBLEMS:
        make = getattr(datasets, f"make_{name}")
        for n in SIZES:
            for noise in NOISES:
                for seed in range(seeds):
                    d = make(n, noise=noise, random_state=seed, return_bunch=True)
                    best = optimum(d.data, d.target, d.x_true)
                    for rule, (family, fit) in rules(d.noise_std).items():
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            coef = fit(d.data, d.target).coef_
                        err = np.linalg.norm(coef - d.x_true) / np.linalg.norm(d.x_true)
                        records.append((name, n, noise, seed, rule, err / best[family]))
    return records


def _cell(ratios):
    ratios = np.asarray(ratios)
    return f"{np.median(ratios):.2f} / {100 * np.mean(ratios > 3):.0f}%"


def table(records):
    names = list(dict.fromkeys(r[4] for r in records))
    lines = ["| rule | " + " | ".join(PROBLEMS) + " | all |",
             "|---|" + "---|" * (len(PROBLEMS) + 1)]
    for rule in names:
        mine = [r for r in records if r[4] == rule]
        cells = [_cell([r[5] for r in mine if r[0] == p]) for p in PROBLEMS]
        lines.append(f"| {rule} | " + " | ".join(cells) + f" | {_cell([r[5] for r in mine])} |")
    return "\n".join(lines)


def worst(records):
    lines = []
    for rule in dict.fromkeys(r[4] for r in records):
        r = max((r for r in records if r[4] == rule), key=lambda r: r[5])
        lines.append(f"{rule}: {r[0]}({r[1]}) noise={r[2]:g} seed={r[3]}: {r[5]:.3g}x")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per case (default 10)")
    parser.add_argument("--worst", action="store_true", help="list each rule's worst instance")
    args = parser.parse_args(argv)
    records = run(args.seeds)
    n_inst = len(PROBLEMS) * len(SIZES) * len(NOISES) * args.seeds
    print(f"{n_inst} instances; cell = median error ratio to the optimum / share > 3x\n")
    print(table(records))
    if args.worst:
        print("\nWorst instance per rule:\n" + worst(records))


if __name__ == "__main__":
    main()
