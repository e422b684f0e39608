"""An opt-in, content-keyed cache of factorizations.

``GridSearchCV`` over ``alpha`` and ``tol`` refits the same training fold once
per candidate, and the factorization depends only on the data. With
``set_config(factorization_cache=True)`` a fit whose data (bytes of ``X``,
``y``, ``sample_weight``; shapes; dtype; options) were seen before reuses
it: a 5-fold search over 200 candidates costs about 5 factorizations plus
one hash of each fold per candidate.

What it never does:

* change a result: the key is a SHA-256 of the data's *content* in C order
  (not its identity or layout), so data changed in place is a new key;
* share arrays: entries are deep copies, and every hit returns a fresh,
  writeable copy (``O(n k)``, small next to a factorization);
* serialise threads: there is no per-key lock; two threads that miss on the
  same data both factor it, and the second store is a no-op;
* pay for what it cannot keep: a factorization larger than
  ``cache_max_bytes`` is neither hashed nor stored.

A forked child process starts with an empty store.
"""

import copy
import hashlib
import os
import threading
from collections import OrderedDict

import numpy as np

from ._config import get_config

__all__ = ["cached", "cache_info", "clear_cache"]

_HASH_BLOCK_BYTES = 8 * 2**20


class _Store:
    def __init__(self):
        self.reset()

    def reset(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()  # key -> (factorization, nbytes), LRU order
        self.nbytes = 0
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            item = self.entries.get(key)
            if item is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key, value, nbytes, max_bytes, max_entries):
        with self.lock:
            if key not in self.entries:
                self.entries[key] = (value, nbytes)
                self.nbytes += nbytes
            while self.entries and (self.nbytes > max_bytes or len(self.entries) > max_entries):
                _, (_, freed) = self.entries.popitem(last=False)
                self.nbytes -= freed


_STORE = _Store()
# A fork can happen while another thread holds the lock: start the child clean.
os.register_at_fork(after_in_child=_STORE.reset)


def _feed(h, A):
    if A is None:
        h.update(b"<none>")
        return
    A = np.asarray(A)
    h.update(f"{A.dtype.str}{A.shape}".encode())
    # C-order bytes whatever the layout, a block of rows at a time: a
    # Fortran-ordered X is never copied whole.
    row_bytes = max(1, A.itemsize * (A.size // max(1, len(A))))
    rows = max(1, _HASH_BLOCK_BYTES // row_bytes)
    for start in range(0, max(len(A), 1), rows):
        h.update(memoryview(np.ascontiguousarray(A[start:start + rows])).cast("B"))


def _key(arrays, options):
    h = hashlib.sha256(repr(options).encode())
    for A in arrays:
        _feed(h, A)
    return h.digest()


def _nbytes(fact):
    return sum(v.nbytes for v in vars(fact).values() if isinstance(v, np.ndarray))


def cached(compute, arrays, options, expected_bytes):
    """``compute()``, or a copy of the factorization stored for the same data.

    Parameters
    ----------
    compute : callable
        Returns the factorization; called on a miss (or with the cache off).
    arrays : tuple of ndarray or None
        The data the factorization depends on.
    options : tuple
        Everything else it depends on (flags, route), part of the key.
    expected_bytes : int
        The size of the factorization, known from the shapes: above the
        bound it is computed without hashing.
    """
    config = get_config()
    if not config["factorization_cache"] or expected_bytes > config["cache_max_bytes"]:
        return compute()
    key = _key(arrays, options)
    hit = _STORE.get(key)
    if hit is not None:
        return copy.deepcopy(hit)
    fact = compute()
    _STORE.put(key, copy.deepcopy(fact), _nbytes(fact), config["cache_max_bytes"],
               config["cache_max_entries"])
    return fact


def cache_info():
    """Hits, misses, entries and bytes held by this process's factorization cache.

    Returns
    -------
    info : dict

    Examples
    --------
    >>> from sklearn_pinv import cache_info
    >>> sorted(cache_info())
    ['bytes', 'entries', 'hits', 'misses']
    """
    with _STORE.lock:
        return {"hits": _STORE.hits, "misses": _STORE.misses,
                "entries": len(_STORE.entries), "bytes": _STORE.nbytes}


def clear_cache():
    """Empty the factorization cache and reset its counters.

    Examples
    --------
    >>> from sklearn_pinv import cache_info, clear_cache
    >>> clear_cache()
    >>> cache_info()["entries"]
    0
    """
    with _STORE.lock:
        _STORE.entries.clear()
        _STORE.nbytes = 0
        _STORE.hits = _STORE.misses = 0
