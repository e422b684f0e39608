"""Every test starts from the same global state: default configuration, empty cache,
no open matplotlib figure."""

import sys

import pytest

from sklearn_pinv import clear_cache, config_context


@pytest.fixture(autouse=True)
def fresh_state():
    """The factorization cache off and empty, whatever test ran before."""
    clear_cache()
    with config_context(factorization_cache=False):
        yield
    clear_cache()


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test opened (only where matplotlib was imported)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
