"""Reader for the NIST StRD linear least-squares datasets (``.dat`` files).

The files live outside the repository, in ``../shared/data/nist-strd`` relative
to the repository root (they are never copied in). :func:`load` parses the
certified block and the data block at the line numbers the header states, and
:func:`lre` is the log relative error (the number of correct digits) that
NIST's own accuracy studies report.

The model forms (README of the data directory): Norris is a straight line,
Pontius a quadratic, Filip a degree-10 and Wampler1-5 degree-5 polynomials,
all with an intercept ``B0``; Longley regresses on six predictors with an
intercept; NoInt1/NoInt2 are ``y = B1 x`` without intercept.
"""

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

NIST_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "nist-strd"

DATASETS = (
    "Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
    "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5",
)

# Polynomial degree in x of each single-predictor dataset (Longley: None).
_DEGREE = {
    "Norris": 1, "Pontius": 2, "NoInt1": 1, "NoInt2": 1, "Filip": 10,
    "Wampler1": 5, "Wampler2": 5, "Wampler3": 5, "Wampler4": 5, "Wampler5": 5,
    "Longley": None,
}

_LINES = re.compile(r"\(lines\s+(\d+)\s+to\s+(\d+)\)")
_NUMBER = r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)"
_PARAM = re.compile(r"^\s*B(\d+)\s+" + _NUMBER + r"\s+" + _NUMBER)
_RESID_SD = re.compile(r"Standard Deviation\s+" + _NUMBER + r"\s*$")
_R2 = re.compile(r"R-Squared\s+" + _NUMBER)


def available():
    """True when the NIST directory holds all eleven ``.dat`` files."""
    return all((NIST_DIR / f"{name}.dat").is_file() for name in DATASETS)


SKIP_REASON = (
    f"NIST StRD data not found in {NIST_DIR} (expected ../shared/data/nist-strd "
    "relative to the repository root; the files are never copied into the repo)"
)


@dataclass(frozen=True)
class NistDataset:
    """One certified problem.

    ``y`` and ``x`` are the data as float64; ``y_text``/``x_text`` the decimal
    strings as printed (for references in higher precision). ``coef`` holds
    the certified ``B0, B1, ...`` (``B1`` first without intercept).
    """

    name: str
    y: np.ndarray
    x: np.ndarray  # (n_obs, n_predictors)
    y_text: tuple
    x_text: tuple  # tuple of row tuples
    coef: np.ndarray
    coef_sd: np.ndarray
    residual_sd: float
    r_squared: float
    intercept: bool
    degree: object  # int for polynomial models, None for Longley

    @property
    def n_params(self):
        return self.coef.size

    def design(self):
        """The float64 design an OLS solver receives, without the intercept column.

        Polynomials get the columns ``x, x**2, ...``, each correctly rounded to
        double (NumPy 1.x's ``x**k`` is not, on CPUs with AVX-512).
        """
        if self.degree is None:
            return self.x.copy()
        degrees = range(1, self.degree + 1)
        return np.array([[float(Fraction(v) ** k) for k in degrees] for v in self.x[:, 0]])

    def split(self, coef_all):
        """``(intercept, slopes)`` from a full parameter vector ``B0, B1, ...``."""
        coef_all = np.asarray(coef_all)
        return (coef_all[0], coef_all[1:]) if self.intercept else (0.0, coef_all)


def _read_lines(path):
    # Keep NIST's own 1-based line numbering; files have CRLF endings.
    return path.read_text().splitlines()


def load(name):
    """Parse ``<name>.dat``; raises FileNotFoundError when the data are absent."""
    lines = _read_lines(NIST_DIR / f"{name}.dat")
    ranges = [tuple(map(int, m.groups())) for m in map(_LINES.search, lines[:10]) if m]
    (c0, c1), (d0, d1) = ranges[:2]
    params, resid_sd, r2 = {}, None, None
    for line in lines[c0 - 1 : c1]:
        if m := _PARAM.match(line):
            params[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
        elif m := _RESID_SD.search(line):
            resid_sd = float(m.group(1))
        elif m := _R2.search(line):
            r2 = float(m.group(1))
    rows = [line.split() for line in lines[d0 - 1 : d1] if line.strip()]
    keys = sorted(params)
    return NistDataset(
        name=name,
        y=np.array([float(r[0]) for r in rows]),
        x=np.array([[float(v) for v in r[1:]] for r in rows]),
        y_text=tuple(r[0] for r in rows),
        x_text=tuple(tuple(r[1:]) for r in rows),
        coef=np.array([params[k][0] for k in keys]),
        coef_sd=np.array([params[k][1] for k in keys]),
        residual_sd=resid_sd,
        r_squared=r2,
        intercept=keys[0] == 0,
        degree=_DEGREE[name],
    )


def lre(estimate, certified, cap=15.0):
    """Log relative error: ``-log10(|est - cert| / |cert|)``, in [0, cap].

    A certified value of 0 (the Wampler1/2 residual SD) uses the absolute
    error instead, as NIST's accuracy studies do. An exact match gets ``cap``.
    """
    estimate, certified = float(estimate), float(certified)
    if not math.isfinite(estimate):
        return 0.0
    err = abs(estimate - certified)
    if certified != 0:
        err /= abs(certified)
    if err == 0:
        return cap
    return float(min(cap, max(0.0, -math.log10(err))))


def min_coef_lre(dataset, intercept, coef):
    """Minimum LRE over all certified parameters (the intercept is ``B0``)."""
    params = np.concatenate([[intercept], np.ravel(coef)]) if dataset.intercept else np.ravel(coef)
    return min(lre(e, c) for e, c in zip(params, dataset.coef))


def residual_sd(dataset, intercept, coef):
    """Residual SD of a float64 solution, the residuals summed exactly.

    Every term is a double and ``math.fsum`` adds them exactly; only the
    squares and the final sqrt round. So this measures the coefficients, not
    the rounding of the residual evaluation (Wampler1/2 fit exactly).
    """
    X = dataset.design()
    ss = []
    for xi, yi in zip(X, dataset.y):
        terms = [float(yi), -float(intercept)]
        for a, w in zip(xi, np.ravel(coef)):
            p = float(a) * float(w)
            # The exact product is p + its rounding error (an error-free split).
            terms += [-p, -_two_prod_err(float(a), float(w), p)]
        ss.append(math.fsum(terms))
    rss = math.fsum(r * r for r in ss)
    return math.sqrt(rss / (X.shape[0] - dataset.n_params))


def _two_prod_err(a, b, p):
    """Rounding error of ``p = fl(a*b)``, exact (via Python's arbitrary integers)."""
    return float(Fraction(a) * Fraction(b) - Fraction(p))


def exact_solution(dataset, dps=100):
    """The least-squares solution of the float64 data, in ``dps``-digit arithmetic.

    This is the *limit row*: the best any float64 solver can return, since
    reading the decimal data (and computing ``x**k``) in double already
    perturbs the problem. Normal equations are safe here: every input is
    an exact binary fraction and ``cond^2 * 10**-dps`` is negligible.
    Returns ``(params, residual_sd)`` with ``params`` in NIST's order
    (``B0`` first when there is an intercept), as Python floats.
    """
    import mpmath as mp

    X = dataset.design()
    if dataset.intercept:
        X = np.column_stack([np.ones(X.shape[0]), X])
    with mp.workdps(dps):
        A = mp.matrix([[mp.mpf(float(v)) for v in row] for row in X])
        y = mp.matrix([mp.mpf(float(v)) for v in dataset.y])
        sol = mp.lu_solve(A.T * A, A.T * y)
        r = y - A * sol
        sd = mp.sqrt(sum(v * v for v in r) / (X.shape[0] - X.shape[1]))
        return [float(v) for v in sol], float(sd)
