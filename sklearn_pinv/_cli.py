"""Command line: ``sklearn-pinv demo`` and ``sklearn-pinv diagnose data.csv --target y``.

Also ``python -m sklearn_pinv``. The commands are thin layers over
:func:`sklearn_pinv._demo.run` and :func:`sklearn_pinv.diagnose`. Bad input
ends with one line on stderr and exit code 1, never a traceback: people run
this on files they have not looked at yet. Options that can fail (``--plot``)
are checked before the slow steps.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import __version__
from ._cli_csv import CLIError, listing
from ._report import render

__all__ = ["build_parser", "main"]

SCHEMA_VERSION = 1
CV_ROWS = 20000


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sklearn-pinv",
        description="Pseudoinverse / Tikhonov regression with pluggable tolerance policies.")
    parser.add_argument("--version", action="version", version=f"sklearn-pinv {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="every tolerance policy side by side on shipped data")
    diag = sub.add_parser(
        "diagnose", help="spectrum, every policy's rank, GCV/L-curve picks, CV scores and a "
                         "recommendation for a CSV file")
    diag.add_argument("csv", help="CSV file with a header row")
    cols = diag.add_argument_group("columns")
    cols.add_argument("--target", required=True, nargs="+", metavar="NAME",
                      help="target column(s); several make a multi-output problem")
    cols.add_argument("--features", nargs="+", metavar="NAME",
                      help="use only these feature columns (default: every other column)")
    cols.add_argument("--drop", nargs="+", default=[], metavar="NAME",
                      help="columns to leave out")
    cols.add_argument("--index-col", metavar="NAME",
                      help="row-label column, not a feature; an unnamed first column (pandas' "
                           "to_csv) is one unless this is 'none'")
    read = diag.add_argument_group("reading")
    read.add_argument("--delimiter", help="field separator: a character, 'tab', '\\t', "
                                          "'whitespace', or a string like ';;' "
                                          "(default: detected)")
    read.add_argument("--decimal", default=".", help="decimal mark (default '.')")
    read.add_argument("--encoding", default="utf-8", help="file encoding (default utf-8)")
    model = diag.add_argument_group("model")
    model.add_argument("--cv", type=int, default=5,
                       help="folds for the cross-validated R2 (0 skips it; default 5)")
    model.add_argument("--cv-rows", type=int, default=CV_ROWS, metavar="N",
                       help=f"cross-validate on a random subsample of N rows when there are "
                            f"more (0: every row; default {CV_ROWS})")
    model.add_argument("--no-intercept", action="store_true",
                       help="do not centre the data (no intercept)")
    model.add_argument("--standardize", action="store_true",
                       help="divide each column by its standard deviation first")
    out = diag.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                     help="report format on stdout (default text; json for scripts)")
    out.add_argument("--plot", metavar="FILE", help="also save the spectrum plot "
                                                    "(.png, .pdf, .svg, ...; needs matplotlib)")
    out.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser


class _Progress:
    """Stage messages on stderr, with the time elapsed, so a slow run shows life."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message):
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def _check_plot(path):
    """Fail now, not after the computation: matplotlib, the folder, the extension."""
    try:
        import matplotlib
    except ImportError:
        raise CLIError("--plot needs matplotlib: pip install 'sklearn-pinv[plot]'") from None
    matplotlib.use("Agg")  # a file, not a window: works without a display
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path = Path(path)
    kinds = FigureCanvasAgg.get_supported_filetypes()
    if path.is_dir():
        raise CLIError(f"--plot {path} is a directory: give a file name such as spectrum.png")
    if not path.parent.is_dir():
        raise CLIError(f"--plot {path}: the directory {path.parent} does not exist")
    if path.suffix.lower().lstrip(".") not in kinds:
        raise CLIError(f"--plot {path}: unknown extension {path.suffix or '(none)'!r}; "
                       f"use one of {listing(sorted('.' + k for k in kinds), 20)}")


def _save_plot(path, report, title):
    import matplotlib.pyplot as plt

    from ._plot import SpectrumDisplay

    s = report.singular_values
    rows = {str(r["policy"]): r for r in report.policies}
    disp = SpectrumDisplay(
        singular_values=s, thresholds={k: r["threshold"] for k, r in rows.items()},
        ranks={k: r["rank"] for k, r in rows.items()},
        kept=[i < report.default_rank for i in range(s.size)], estimator_name=title,
        rank_marks={"GCV": report.gcv_rank, "L-curve": report.lcurve_rank},
        alpha_marks={"GCV": report.gcv_alpha, "L-curve": report.lcurve_alpha}).plot()
    try:
        disp.figure_.savefig(path, dpi=120, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot save the plot to {path}: {exc}") from None
    finally:
        plt.close(disp.figure_)


def _check_args(args):
    if args.cv < 0 or args.cv == 1:
        raise CLIError("--cv must be 0 (no cross-validation) or at least 2")
    if args.cv_rows < 0 or args.cv_rows == 1 or 0 < args.cv_rows < args.cv:
        raise CLIError("--cv-rows must be 0 (every row) or at least the number of folds")
    if args.plot:
        _check_plot(args.plot)


def _data_items(loaded):
    info = loaded.info
    items = [f"file: {info['file']} ({info['rows']} rows, delimiter {loaded.dialect.described})",
             f"target{'s' if len(info['targets']) > 1 else ''}: {', '.join(info['targets'])}",
             f"features ({len(info['features'])}): {listing(info['features'], 30)}"]
    if info["index_column"]:
        items.append(f"index column (not a feature): {info['index_column']}")
    for key, what in (("dropped", "dropped (--drop)"), ("not_used", "not used")):
        if info[key]:
            items.append(f"{what}: {listing(info[key], 30)}")
    return items + [f"note: {note}" for note in loaded.notes]


def _output(report, loaded, style):
    if style == "json":
        doc = {"schema": "sklearn-pinv-diagnose", "schema_version": SCHEMA_VERSION,
               "sklearn_pinv_version": __version__,
               "data": {**loaded.info, "notes": loaded.notes}, **report.to_dict()}
        return json.dumps(doc, indent=2, allow_nan=False)
    return render([("data", _data_items(loaded))] + report.sections(), style).rstrip("\n")


def _diagnose(args):
    from ._cli_read import load, require_pandas
    from ._diagnose import diagnose

    require_pandas()
    _check_args(args)
    progress = _Progress(args.quiet)
    fit_intercept = not args.no_intercept
    path = Path(args.csv)
    size = path.stat().st_size if path.is_file() else 0
    progress(f"reading {path}" + (f" ({size / 1e6:.0f} MB)" if size >= 1e6 else ""))
    loaded = load(path, args.target, features=args.features, drop=args.drop,
                  index_col=args.index_col, delimiter=args.delimiter, decimal=args.decimal,
                  encoding=args.encoding, fit_intercept=fit_intercept, progress=progress)
    m, n = loaded.X.shape
    if args.cv > min(m, args.cv_rows or m):
        raise CLIError(f"--cv {args.cv} needs at least {args.cv} rows; the file has {m}")
    progress(f"read {m} rows x {n} features")
    y = loaded.Y[:, 0] if loaded.Y.shape[1] == 1 else loaded.Y
    try:
        report = diagnose(loaded.X, y, cv=args.cv or None, fit_intercept=fit_intercept,
                          standardize=args.standardize, max_cv_samples=args.cv_rows or None,
                          feature_names=loaded.features, progress=progress)
    except ValueError as exc:  # scikit-learn's validation messages are clear
        raise CLIError(str(exc).splitlines()[0]) from None
    report.warnings = loaded.warnings + report.warnings
    print(_output(report, loaded, args.format))
    if args.plot:
        _save_plot(args.plot, report, path.name)
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
    except MemoryError:
        print("sklearn-pinv: error: out of memory; try --cv-rows 20000 or a smaller file",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sklearn-pinv: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `sklearn-pinv diagnose ... | head`: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
