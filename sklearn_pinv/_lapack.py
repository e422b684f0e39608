"""LAPACK routines that ``scipy.linalg.lapack`` does not wrap, called through ctypes.

``scipy.linalg.cython_lapack`` exports every LAPACK routine as a C function
pointer in a PyCapsule (its ``__pyx_capi__``). :func:`routine` unwraps one
with ``PyCapsule_GetPointer`` and calls it with ctypes: no compiler, no new
dependency, the very LAPACK scipy links. Arguments follow the Fortran
convention (everything by reference); :func:`call` takes NumPy arrays and
Python scalars and passes their addresses. Only the routines of the square
route (bidiagonal reduction and SVD, applying its reflectors) go through here.
"""

import ctypes
import functools

import numpy as np
from scipy.linalg import cython_lapack

__all__ = ["routine", "call", "LapackError", "gebrd", "ormbr", "bdsdc", "bdsqr"]

_API = ctypes.pythonapi
_API.PyCapsule_GetName.restype = ctypes.c_char_p
_API.PyCapsule_GetName.argtypes = [ctypes.py_object]
_API.PyCapsule_GetPointer.restype = ctypes.c_void_p
_API.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class LapackError(RuntimeError):
    """A LAPACK routine returned ``info != 0``; ``info`` holds the value."""

    def __init__(self, name, info):
        super().__init__(f"LAPACK {name} returned info={info}.")
        self.name, self.info = name, info


@functools.lru_cache(maxsize=None)
def routine(name):
    """The C function pointer of LAPACK ``name`` (e.g. ``"dgebrd"``), all args pointers."""
    capsule = cython_lapack.__pyx_capi__[name]
    address = _API.PyCapsule_GetPointer(capsule, _API.PyCapsule_GetName(capsule))
    signature = _API.PyCapsule_GetName(capsule).decode()
    n_args = signature.count("*")
    return ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * n_args)(address)


def _pointer(arg, keep):
    """The address of ``arg`` as LAPACK wants it: arrays in place, scalars boxed."""
    if isinstance(arg, np.ndarray):
        if not (arg.flags.f_contiguous and arg.flags.writeable):
            raise ValueError("LAPACK arrays must be Fortran-contiguous and writeable.")
        return arg.ctypes.data
    if isinstance(arg, str):
        box = ctypes.create_string_buffer(arg.encode())
    elif isinstance(arg, (int, np.integer)):
        box = ctypes.c_int(int(arg))
    else:
        raise TypeError(f"unsupported LAPACK argument {arg!r}")
    keep.append(box)
    return ctypes.addressof(box)


def call(name, *args):
    """Call LAPACK ``name`` with ``args`` (arrays Fortran-ordered, scalars as values).

    ``info``, LAPACK's last argument, is added here and checked: a non-zero
    value raises :class:`LapackError`.
    """
    keep, info = [], ctypes.c_int(0)
    pointers = [_pointer(a, keep) for a in args] + [ctypes.addressof(info)]
    routine(name)(*pointers)
    if info.value != 0:
        raise LapackError(name, info.value)


def _prefix(A):
    return {np.dtype(np.float64): "d", np.dtype(np.float32): "s"}[A.dtype]


def gebrd(A):
    """Bidiagonalise ``A`` (m x n, m >= n, Fortran, overwritten): ``(d, e, tauq, taup)``."""
    m, n = A.shape
    name = _prefix(A) + "gebrd"
    d, e, tauq, taup = (np.empty(max(n, 1), A.dtype) for _ in range(4))
    work = np.empty(1, A.dtype)
    call(name, m, n, A, m, d, e, tauq, taup, work, -1)
    work = np.empty(max(int(work[0]), 1), A.dtype)
    call(name, m, n, A, m, d, e, tauq, taup, work, work.size)
    return d[:n], e[:max(n - 1, 0)], tauq[:n], taup[:n]


def ormbr(vect, side, trans, packed, tau, C):
    """Apply ``Q`` (``vect="Q"``) or ``P`` (``"P"``) of :func:`gebrd` to ``C`` in place."""
    m, n = C.shape
    if C.size == 0:
        return C
    k = packed.shape[1] if vect == "Q" else packed.shape[0]
    name, lda = _prefix(C) + "ormbr", packed.shape[0]
    work = np.empty(1, C.dtype)
    call(name, vect, side, trans, m, n, k, packed, lda, tau, C, m, work, -1)
    work = np.empty(max(int(work[0]), 1), C.dtype)
    call(name, vect, side, trans, m, n, k, packed, lda, tau, C, m, work, work.size)
    return C


def bdsdc(d, e):
    """SVD of the upper bidiagonal ``(d, e)`` by divide and conquer: ``(s, Ub, VbT)``.

    ``d`` and ``e`` are overwritten (``d`` becomes ``s``, decreasing).
    """
    n = d.shape[0]
    U = np.empty((n, n), d.dtype, order="F")
    VT = np.empty((n, n), d.dtype, order="F")
    q, iq = np.empty(1, d.dtype), np.empty(1, np.int32)
    work = np.empty(3 * n * n + 4 * n + 1, d.dtype)
    iwork = np.empty(8 * n + 1, np.int32)
    call(_prefix(d) + "bdsdc", "U", "I", n, d, e, U, max(n, 1), VT, max(n, 1), q, iq,
         work, iwork)
    return d, U, VT


def bdsqr(d, e, C):
    """SVD of the upper bidiagonal ``(d, e)`` by QR iteration: ``(s, VbT, Ub^T C)``.

    ``C`` (n x c, Fortran) is overwritten with ``Ub^T C``; ``Ub`` is never formed.
    """
    n, c = d.shape[0], C.shape[1]
    VT = np.asfortranarray(np.eye(n, dtype=d.dtype))
    U = np.empty((1, 1), d.dtype, order="F")
    work = np.empty(4 * n + 1, d.dtype)
    call(_prefix(d) + "bdsqr", "U", n, n, 0, c, d, e, VT, max(n, 1), U, 1, C, max(n, 1), work)
    return d, VT, C
