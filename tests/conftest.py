"""Every test starts from the same global state: default configuration, empty cache."""

import pytest

from sklearn_pinv import clear_cache, config_context


@pytest.fixture(autouse=True)
def fresh_state():
    """The factorization cache off and empty, whatever test ran before."""
    clear_cache()
    with config_context(factorization_cache=False):
        yield
    clear_cache()
