"""Thread-local configuration, in the style of scikit-learn's ``set_config``.

Each thread starts from the process defaults and changes only its own copy,
so two threads with overlapping ``config_context`` blocks never see (or
restore) each other's settings. Worker processes (joblib's loky) start from
the defaults too; the environment variable ``SKLEARN_PINV_CACHE=1``, which
they inherit, turns the cache on for them.
"""

import os
import threading
from contextlib import contextmanager

__all__ = ["get_config", "set_config", "config_context"]

_DEFAULTS = {
    # Opt-in: a content hash costs a pass over the data on every fit, which
    # only a search that refits the same data many times earns back.
    "factorization_cache": os.environ.get("SKLEARN_PINV_CACHE", "0").lower()
    in ("1", "true", "on"),
    "cache_max_bytes": 256 * 2**20,
    "cache_max_entries": 64,
}

_local = threading.local()


def _thread_config():
    if not hasattr(_local, "config"):
        _local.config = dict(_DEFAULTS)
    return _local.config


def get_config():
    """The current thread's sklearn_pinv settings (a copy).

    Returns
    -------
    config : dict
        ``factorization_cache`` (bool), ``cache_max_bytes`` (int),
        ``cache_max_entries`` (int).

    Examples
    --------
    >>> from sklearn_pinv import get_config
    >>> sorted(get_config())
    ['cache_max_bytes', 'cache_max_entries', 'factorization_cache']
    """
    return dict(_thread_config())


def _check(name, value):
    if name == "factorization_cache":
        if not isinstance(value, bool):
            raise TypeError(f"factorization_cache must be a bool, got {value!r}.")
    elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}.")


def set_config(factorization_cache=None, cache_max_bytes=None, cache_max_entries=None):
    """Set sklearn_pinv settings for the current thread.

    Parameters
    ----------
    factorization_cache : bool, default=None
        Reuse the factorization of data fitted before (a content-keyed
        cache; see :func:`cache_info`). Off by default: worth it when the
        same training data is refitted many times, as in ``GridSearchCV``
        over ``alpha`` and ``tol``. A result never depends on it. ``None``
        leaves the setting unchanged.
    cache_max_bytes : int, default=None
        Bound on the memory the cache holds (256 MiB by default); a
        factorization larger than this is neither hashed nor stored.
    cache_max_entries : int, default=None
        Bound on the number of cached factorizations (64 by default).

    Examples
    --------
    >>> from sklearn_pinv import get_config, set_config
    >>> set_config(factorization_cache=True)
    >>> get_config()["factorization_cache"]
    True
    >>> set_config(factorization_cache=False)
    """
    new = {"factorization_cache": factorization_cache, "cache_max_bytes": cache_max_bytes,
           "cache_max_entries": cache_max_entries}
    new = {k: v for k, v in new.items() if v is not None}
    for name, value in new.items():
        _check(name, value)
    _thread_config().update(new)


@contextmanager
def config_context(**settings):
    """Settings of :func:`set_config` for the ``with`` block (this thread only).

    Examples
    --------
    >>> from sklearn_pinv import config_context, get_config
    >>> with config_context(factorization_cache=True):
    ...     get_config()["factorization_cache"]
    True
    >>> get_config()["factorization_cache"]
    False
    """
    previous = get_config()
    set_config(**settings)
    try:
        yield
    finally:
        _thread_config().clear()
        _thread_config().update(previous)
