"""Command line: ``sklearn-pinv demo`` and ``sklearn-pinv diagnose data.csv --target y``.

Also ``python -m sklearn_pinv``. The commands are thin layers over
:func:`sklearn_pinv._demo.run` and :func:`sklearn_pinv.diagnose`. Bad input
ends with one line on stderr and exit code 1, never a traceback: people run
this on files they have not looked at yet.
"""

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["build_parser", "main"]

# Spellings of a missing value in CSV exports (pandas' defaults, less exotic ones).
_MISSING = {"", "na", "nan", "n/a", "null", "none", "-nan", "#n/a"}


class CLIError(Exception):
    """A problem with the user's input: reported in one line, exit code 1."""


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sklearn-pinv",
        description="Pseudoinverse / Tikhonov regression with pluggable tolerance policies.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="every tolerance policy side by side on shipped data")
    diag = sub.add_parser(
        "diagnose", help="spectrum, every policy's rank, GCV/L-curve picks and CV scores of a CSV")
    diag.add_argument("csv", help="CSV file with a header row; every column numeric")
    diag.add_argument("--target", required=True, help="name of the target column")
    diag.add_argument("--plot", metavar="PNG", help="also save the spectrum plot to this file")
    diag.add_argument("--cv", type=int, default=5,
                      help="folds for the cross-validated R2 (0 skips it; default 5)")
    diag.add_argument("--delimiter", default=",", help="field separator (default ',')")
    diag.add_argument("--no-intercept", action="store_true",
                      help="do not centre the data (no intercept)")
    diag.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    return parser


def _read_rows(path, delimiter):
    path = Path(path)
    if not path.is_file():
        raise CLIError(f"file not found: {path}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle, delimiter=delimiter) if row]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CLIError(f"cannot read {path} as CSV: {exc}") from None
    if not rows:
        raise CLIError(f"{path} is empty")
    header, body = [name.strip() for name in rows[0]], rows[1:]
    if not body:
        raise CLIError(f"{path} has a header but no data rows")
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CLIError(f"{path}, line {number}: {len(row)} fields, "
                           f"the header has {len(header)}")
    return header, body


def _parse_column(name, cells, kind="column"):
    """Floats, NaN for missing cells; CLIError naming the first bad cell."""
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        text = cell.strip()
        if text.lower() in _MISSING:
            values[i] = np.nan
            continue
        try:
            values[i] = float(text)
        except ValueError:
            raise CLIError(f"{kind} {name!r} is not numeric: data row {i + 1} "
                           f"holds {cell!r}") from None
    return values


def _list(items, limit=10):
    items = [str(item) for item in items]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _check_finite(data, header):
    bad = ~np.isfinite(data)
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1)) + 1
        cols = [header[j] for j in np.flatnonzero(bad.any(axis=0))]
        raise CLIError(f"missing or non-finite values (NaN/inf) in data rows "
                       f"{_list(rows)} (1-based, header not counted), "
                       f"columns {_list(cols)}; drop or impute them first")


def load_csv(path, target, delimiter=","):
    """Read ``path`` into ``(X, y, feature_names)``, or raise CLIError."""
    header, body = _read_rows(path, delimiter)
    if target not in header:
        raise CLIError(f"no column {target!r} in {path}; columns are: {_list(header, 30)}")
    if header.count(target) > 1:
        raise CLIError(f"column name {target!r} appears more than once in {path}")
    columns = list(zip(*body))
    data = np.column_stack([
        _parse_column(name, col, "target column" if name == target else "column")
        for name, col in zip(header, columns)])
    _check_finite(data, header)
    j = header.index(target)
    features = [name for k, name in enumerate(header) if k != j]
    if not features:
        raise CLIError(f"{path} has no feature columns besides the target {target!r}")
    return np.delete(data, j, axis=1), data[:, j], features


class _Progress:
    """Stage messages on stderr, with the time elapsed, so a slow run shows life."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message):
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def _save_spectrum(path, X, y, fit_intercept):
    try:
        import matplotlib
    except ImportError:
        raise CLIError("--plot needs matplotlib: pip install 'sklearn-pinv[plot]'") from None
    matplotlib.use("Agg")  # a file, not a window: works without a display
    from ._plot import SpectrumDisplay

    disp = SpectrumDisplay.from_data(X, y, fit_intercept=fit_intercept)
    try:
        disp.figure_.savefig(path, dpi=120, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot save the plot to {path}: {exc}") from None
    finally:
        import matplotlib.pyplot as plt

        plt.close(disp.figure_)


def _diagnose(args):
    from ._diagnose import diagnose

    progress = _Progress(args.quiet)
    if args.cv < 0 or args.cv == 1:
        raise CLIError("--cv must be 0 (no cross-validation) or at least 2")
    X, y, features = load_csv(args.csv, args.target, args.delimiter)
    if args.cv > X.shape[0]:
        raise CLIError(f"--cv {args.cv} needs at least {args.cv} rows; the file has {X.shape[0]}")
    progress(f"read {X.shape[0]} rows x {X.shape[1]} features from {args.csv}")
    fit_intercept = not args.no_intercept
    try:
        report = diagnose(X, y, cv=args.cv or None, fit_intercept=fit_intercept,
                          progress=progress)
    except ValueError as exc:  # scikit-learn's validation messages are clear
        raise CLIError(str(exc)) from None
    print(f"features: {_list(features, 20)}")
    print(report)
    if args.plot:
        _save_spectrum(args.plot, X, y, fit_intercept)
        progress(f"spectrum plot saved to {args.plot}")


def main(argv=None):
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            from ._demo import run

            run()
        elif args.command == "diagnose":
            _diagnose(args)
    except CLIError as exc:
        print(f"sklearn-pinv: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sklearn-pinv: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
