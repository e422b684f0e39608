"""Command line: ``python -m sklearn_pinv demo`` (also the ``sklearn-pinv`` script)."""

import argparse
import sys


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sklearn-pinv",
        description="Pseudoinverse / Tikhonov regression with pluggable tolerance policies.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="every tolerance policy side by side on shipped data")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from ._demo import run

        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
