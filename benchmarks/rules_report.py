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
dataset's Bunch, ``||e|| / sqrt(n)``), never the norm of the noise vector.

``--variants`` adds the alternatives that were measured before choosing the
GCVRank guard and the Tikhonov L-curve corner (see
``benchmarks/rules_variants.py``); they are scored from the same explicit
SVD, so their errors are those of the public rows to rounding.

Run: ``.venv/bin/python benchmarks/rules_report.py`` (a few minutes), or
``--seeds 2`` for a quick look; ``--worst`` lists each rule's worst instance.
"""

import argparse
import time
import warnings

import numpy as np

from sklearn_pinv import PinvRegressor, TikhonovRegressor, alpha_rules, datasets, tolerance

PROBLEMS = ["shaw", "phillips", "deriv2", "baart", "foxgood", "gravity"]
SIZES = (64, 256)
NOISES = (1e-3, 1e-2)


def rules(noise_std):
    """name -> (family, fit(A, b) -> fitted estimator), the public estimators."""

    def pinv(tol):
        return lambda A, b: PinvRegressor(tol=tol, fit_intercept=False).fit(A, b)

    def tikhonov(alpha):
        return lambda A, b: TikhonovRegressor(alpha=alpha, fit_intercept=False).fit(A, b)

    return {
        "GCVRank": ("rank", pinv(tolerance.GCVRank())),
        "GCVRank(weight=2)": ("rank", pinv(tolerance.GCVRank(weight=2))),
        "LCurveRank": ("rank", pinv(tolerance.LCurveRank())),
        "QuasiOptimalRank": ("rank", pinv(tolerance.QuasiOptimalRank())),
        "DiscrepancyRank(noise_std)": ("rank", pinv(tolerance.DiscrepancyRank(noise_std=noise_std))),
        'alpha="gcv"': ("alpha", tikhonov("gcv")),
        "alpha=GCV(weight=2)": ("alpha", tikhonov(alpha_rules.GCV(weight=2))),
        'alpha="lcurve"': ("alpha", tikhonov("lcurve")),
        'alpha="quasi-optimal"': ("alpha", tikhonov("quasi-optimal")),
        "alpha=Discrepancy(noise_std)": ("alpha", tikhonov(alpha_rules.Discrepancy(noise_std=noise_std))),
    }


class Optimum:
    """Brute-force errors of every truncation rank and of any alpha.

    ``A`` is square, so ``V`` is orthogonal and errors are measured on the
    coefficients ``V^T x``.
    """

    def __init__(self, A, b, x_true):
        U, self.s, Vt = np.linalg.svd(A)
        self.w, self.c = (U.T @ b) / self.s, Vt @ x_true
        self.norm = np.linalg.norm(x_true)
        # ||x_k - x||^2 = sum_{i<=k} (w_i - c_i)^2 + sum_{i>k} c_i^2, k = 0..n
        head = np.concatenate([[0.0], np.cumsum((self.w - self.c) ** 2)])
        tail = np.concatenate([np.cumsum((self.c**2)[::-1])[::-1], [0.0]])
        self.rank_errors = np.sqrt(head + tail) / self.norm
        top = np.log10(self.s[0] ** 2)
        grid = np.logspace(top - 20, top + 1, 21 * 40 + 1)
        self.best = {"rank": float(self.rank_errors.min()),
                     "alpha": float(min(self.alpha_errors(g).min()
                                        for g in np.array_split(grid, 20)))}

    def alpha_errors(self, alphas):
        """Relative errors of Tikhonov at absolute ``alphas`` (one chunk at a time)."""
        alphas = np.atleast_1d(alphas)
        phi = self.s**2 / (self.s**2 + alphas[:, None])
        return np.linalg.norm(phi * self.w - self.c, axis=1) / self.norm

    def ratio(self, family, pick):
        """Error ratio to the optimum of a rank (``family="rank"``) or an alpha."""
        err = self.rank_errors[pick] if family == "rank" else self.alpha_errors(pick)[0]
        return float(err / self.best[family])


def instances(seeds):
    for name in PROBLEMS:
        make = getattr(datasets, f"make_{name}")
        for n in SIZES:
            for noise in NOISES:
                for seed in range(seeds):
                    yield (name, n, noise, seed), make(n, noise=noise, random_state=seed,
                                                       return_bunch=True)


def run(seeds, variants=None):
    """Records ``(problem, n, noise, seed, rule, ratio, pick)``."""
    records = []
    for key, d in instances(seeds):
        best = Optimum(d.data, d.target, d.x_true)
        for rule, (family, fit) in rules(d.noise_std).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = fit(d.data, d.target)
            err = np.linalg.norm(est.coef_ - d.x_true) / np.linalg.norm(d.x_true)
            pick = est.rank_ if family == "rank" else est.alpha_
            records.append((*key, rule, err / best.best[family], pick))
        for rule, (family, pick) in (variants(d) if variants else {}).items():
            records.append((*key, rule, best.ratio(family, pick), pick))
    return records


def _cell(ratios):
    ratios = np.asarray(ratios)
    return f"{np.median(ratios):.2f} / {100 * np.mean(ratios > 3):.0f}%"


def table(records):
    names = list(dict.fromkeys(r[4] for r in records))
    lines = ["| rule | " + " | ".join(PROBLEMS) + " | all | worst |",
             "|---|" + "---|" * (len(PROBLEMS) + 2)]
    for rule in names:
        mine = [r for r in records if r[4] == rule]
        cells = [_cell([r[5] for r in mine if r[0] == p]) for p in PROBLEMS]
        worst_ratio = max(r[5] for r in mine)
        lines.append(f"| {rule} | " + " | ".join(cells)
                     + f" | {_cell([r[5] for r in mine])} | {worst_ratio:.3g} |")
    return "\n".join(lines)


def worst(records):
    lines = []
    for rule in dict.fromkeys(r[4] for r in records):
        r = max((r for r in records if r[4] == rule), key=lambda r: r[5])
        lines.append(f"{rule}: {r[0]}({r[1]}) noise={r[2]:g} seed={r[3]}: "
                     f"{r[5]:.3g}x (pick {r[6]:.3g})")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per case (default 10)")
    parser.add_argument("--worst", action="store_true", help="list each rule's worst instance")
    parser.add_argument("--variants", action="store_true",
                        help="add the measured alternatives (benchmarks/rules_variants.py)")
    args = parser.parse_args(argv)
    variants = None
    if args.variants:
        from rules_variants import variants
    start = time.perf_counter()
    records = run(args.seeds, variants)
    n_inst = len(PROBLEMS) * len(SIZES) * len(NOISES) * args.seeds
    print(f"{n_inst} instances; cell = median error ratio to the optimum / share > 3x; "
          f"worst = largest ratio ({time.perf_counter() - start:.0f} s)\n")
    print(table(records))
    if args.worst:
        print("\nWorst instance per rule:\n" + worst(records))


if __name__ == "__main__":
    main()
