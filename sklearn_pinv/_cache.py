"""A content-keyed cache of factorizations, so that refits never redo the SVD.

``GridSearchCV`` over ``alpha`` and ``tol`` refits the same training fold once
per candidate. The factorization depends only on the data, so a fit whose
data (bytes of ``X``, ``y``, ``sample_weight``; shape; dtype; the
intercept flag) were seen before reuses it: a 5-fold search over 200
candidates costs about 5 factorizations.

Safety:

* the key is a SHA-256 of the data's *content* in C order (not of its
  identity or memory layout), so data changed in place is a new key and a
  result is never stale;
* cached arrays are read-only, so no caller can corrupt an entry;
* memory is bounded (least recently used entries are evicted);
* a lock guards the store and a per-key lock stops two threads from
  factoring the same data twice;
* the cache lives in the process: joblib workers each have their own, and
  a forked child starts empty (``os.register_at_fork``).

Hashing costs a pass over the data (about a tenth of a tall fit), which a
single fit should not pay: the first fit of a problem *shape* (shapes,
dtype, weights or not, intercept flag) is factored without hashing, and
only fits of a shape seen before are hashed and stored. A search then pays
one extra factorization in all; a lone fit pays nothing.

It is on by default; switch it off with :func:`set_cache` (or the
``SKLEARN_PINV_CACHE=0`` environment variable, which worker processes
inherit) or temporarily with :func:`cache_config`.
"""

import hashlib
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import fields

import numpy as np

from ._factorization import factorize

__all__ = ["cached_factorize", "set_cache", "cache_config", "cache_info", "clear_cache"]

_DEFAULTS = {
    "enabled": os.environ.get("SKLEARN_PINV_CACHE", "1").lower() not in ("0", "false", "off"),
    "max_bytes": 256 * 2**20,
    "max_entries": 64,
}


class _Cache:
    def __init__(self):
        self.config = dict(_DEFAULTS)
        self.reset()

    def reset(self):
        self.lock = threading.Lock()
        self.store = OrderedDict()  # key -> (factorization, nbytes), LRU order
        self.inflight = {}  # key -> per-key lock
        self.seen = OrderedDict()  # problem shapes fitted before (bounded, LRU)
        self.nbytes = 0
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            item = self.store.get(key)
            if item is not None:
                self.store.move_to_end(key)
                self.hits += 1
            return None if item is None else item[0]

    def first_sighting(self, signature):
        """Record ``signature``; True (and count a miss) if it is new."""
        with self.lock:
            if signature in self.seen:
                self.seen.move_to_end(signature)
                return False
            self.seen[signature] = True
            if len(self.seen) > 4 * self.config["max_entries"]:
                self.seen.popitem(last=False)
            self.misses += 1
            return True

    def put(self, key, fact, nbytes):
        with self.lock:
            if key in self.store or nbytes > self.config["max_bytes"]:
                return
            self.store[key] = (fact, nbytes)
            self.nbytes += nbytes
            self._evict()

    def _evict(self):
        cfg = self.config
        while self.store and (
            self.nbytes > cfg["max_bytes"] or len(self.store) > cfg["max_entries"]
        ):
            _, (_, nbytes) = self.store.popitem(last=False)
            self.nbytes -= nbytes


_CACHE = _Cache()
# A fork can happen while another thread holds the lock: start the child clean.
os.register_at_fork(after_in_child=_CACHE.reset)


_HASH_BLOCK_BYTES = 8 * 2**20


def _feed(h, A):
    if A is None:
        h.update(b"<none>")
        return
    A = np.asarray(A)
    h.update(f"{A.dtype.str}{A.shape}".encode())
    # The bytes in C order whatever the layout, a block of rows at a time:
    # a Fortran-ordered X is not copied whole (C-ordered blocks are views).
    rows = max(1, _HASH_BLOCK_BYTES // max(1, A.itemsize * (A.size // max(1, len(A)))))
    for start in range(0, max(len(A), 1), rows):
        h.update(memoryview(np.ascontiguousarray(A[start : start + rows])).cast("B"))


def _signature(X, Y, sample_weight, fit_intercept, keep_U):
    return (X.shape, X.dtype.str, Y.shape, sample_weight is None, bool(fit_intercept), bool(keep_U))


def _key(X, Y, sample_weight, fit_intercept, keep_U):
    h = hashlib.sha256(f"{bool(fit_intercept)}|{bool(keep_U)}|".encode())
    for A in (X, Y, sample_weight):
        _feed(h, A)
    return h.digest()


def _freeze(fact):
    nbytes = 0
    for f in fields(fact):
        value = getattr(fact, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
            nbytes += value.nbytes
    return nbytes


def cached_factorize(X, Y, sample_weight=None, fit_intercept=True, copy=True, keep_U=False):
    """:func:`~sklearn_pinv.factorize` through the cache (same signature).

    A stored factorization's arrays are read-only. The first fit of a
    problem shape is not hashed nor stored (see the module notes).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import cache_info, clear_cache
    >>> from sklearn_pinv._cache import cached_factorize
    >>> clear_cache()
    >>> X, Y = np.arange(12.0).reshape(6, 2) ** 2, np.ones((6, 1))
    >>> f0 = cached_factorize(X, Y)  # a new shape: factored, not hashed
    >>> f1 = cached_factorize(X, Y)  # seen shape: hashed, factored, stored
    >>> f2 = cached_factorize(X.copy(order="F"), Y)  # same content: a hit
    >>> f1 is f2, cache_info()["hits"], cache_info()["misses"]
    (True, 1, 2)
    """
    if not _CACHE.config["enabled"] or _CACHE.first_sighting(
        _signature(X, Y, sample_weight, fit_intercept, keep_U)
    ):
        return factorize(X, Y, sample_weight, fit_intercept, copy=copy, keep_U=keep_U)
    key = _key(X, Y, sample_weight, fit_intercept, keep_U)
    fact = _CACHE.get(key)
    if fact is not None:
        return fact
    with _CACHE.lock:
        key_lock = _CACHE.inflight.setdefault(key, threading.Lock())
    try:
        with key_lock:  # one thread factors, the others wait and then hit
            fact = _CACHE.get(key)
            if fact is None:
                with _CACHE.lock:
                    _CACHE.misses += 1
                fact = factorize(X, Y, sample_weight, fit_intercept, copy=copy, keep_U=keep_U)
                _CACHE.put(key, fact, _freeze(fact))
    finally:
        with _CACHE.lock:
            _CACHE.inflight.pop(key, None)
    return fact


def set_cache(enabled=None, max_bytes=None, max_entries=None):
    """Configure the factorization cache of this process; return the old settings.

    Parameters
    ----------
    enabled : bool, default=None
        Turn the cache on or off (``None`` leaves it). Turning it off also
        empties it.
    max_bytes : int, default=None
        Bound on the memory held by cached factorizations (256 MiB by
        default); a larger factorization is not cached.
    max_entries : int, default=None
        Bound on the number of cached factorizations (64 by default).

    Returns
    -------
    previous : dict
        The settings before the call, to pass back as ``set_cache(**previous)``.

    Examples
    --------
    >>> import sklearn_pinv
    >>> previous = sklearn_pinv.set_cache(enabled=False)
    >>> sklearn_pinv.cache_info()["enabled"]
    False
    >>> _ = sklearn_pinv.set_cache(**previous)
    """
    new = {"enabled": enabled, "max_bytes": max_bytes, "max_entries": max_entries}
    for name in ("max_bytes", "max_entries"):
        if new[name] is not None and not (isinstance(new[name], int) and new[name] >= 0):
            raise ValueError(f"{name} must be an int >= 0, got {new[name]!r}.")
    with _CACHE.lock:
        previous = dict(_CACHE.config)
        _CACHE.config.update({k: v for k, v in new.items() if v is not None})
        if enabled is False:
            _CACHE.store.clear()
            _CACHE.nbytes = 0
        _CACHE._evict()
    return previous


@contextmanager
def cache_config(**settings):
    """Context manager: :func:`set_cache` settings for the ``with`` block only.

    Examples
    --------
    >>> import sklearn_pinv
    >>> with sklearn_pinv.cache_config(enabled=False):
    ...     sklearn_pinv.cache_info()["enabled"]
    False
    """
    previous = set_cache(**settings)
    try:
        yield
    finally:
        set_cache(**previous)


def cache_info():
    """Hits, misses, entries, bytes held and the settings of this process's cache."""
    with _CACHE.lock:
        return {
            "hits": _CACHE.hits, "misses": _CACHE.misses,
            "entries": len(_CACHE.store), "bytes": _CACHE.nbytes, **_CACHE.config,
        }


def clear_cache():
    """Empty the cache and reset its counters (settings are kept)."""
    with _CACHE.lock:
        _CACHE.store.clear()
        _CACHE.seen.clear()
        _CACHE.nbytes = 0
        _CACHE.hits = _CACHE.misses = 0
