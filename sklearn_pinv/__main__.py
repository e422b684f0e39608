"""``python -m sklearn_pinv``: the command line of :mod:`sklearn_pinv._cli`."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
