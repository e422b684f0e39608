"""The numerical core: one spectral factorization of a centred, weighted problem.

Every fit solves ``min ||W^(1/2) (y - X w - b)||^2`` (plus ``alpha ||w||^2``).
With ``Xc = W^(1/2) (X - x_mean) = U diag(s) V^T`` we keep ``s``, ``V``,
``z = U^T W^(1/2) (y - y_mean)`` and the norm of the part of ``y`` outside the
range of ``U``. Every estimator is then a *filter* on the spectrum,
``w = V diag(phi / s) z``: ``phi = 1`` on kept directions for the
pseudoinverse, ``s^2 / (s^2 + alpha)`` for Tikhonov. Any solution, residual
norm or GCV value costs ``O(n k)``: nothing is refactored for a new
``tol``/``alpha``.

The routes (:mod:`._routes`): tall ``X`` goes through a Householder QR and
the SVD of the small triangle; wide ``X`` through the QR of ``Xc^T`` (``V``
stays implicit as its reflectors); square ``X`` through a bidiagonal
reduction and the bidiagonal SVD (``V`` again implicit). None forms ``U`` of
``X`` unless asked, none forms ``X^T X``.
"""

from dataclasses import MISSING, dataclass, fields, replace

import numpy as np
from sklearn.utils.validation import check_X_y

from . import _routes
from ._cache import cached
from ._compat import check_sample_weight, validate_params
from ._config import get_config
from ._numerics import safe_norms

__all__ = ["Factorization", "factorize", "factorize_arrays", "truncation_factors",
           "tikhonov_factors"]


@dataclass(frozen=True, eq=False)
class Factorization:
    """The spectral factorization of a centred, weighted least-squares problem.

    Attributes
    ----------
    singular_values : ndarray of shape (k,)
        Singular values of ``Xc``, in decreasing order (``k = min(m, n)``).
    V : ndarray of shape (n_features, k)
        Right singular vectors (mapped back to the columns of ``X`` when the
        columns were equilibrated; see ``column_scale``). The wide and
        square routes keep ``V`` as Householder reflectors and form this
        array only when it is read; :meth:`apply_V`, :meth:`apply_Vt` and
        :meth:`project` never form it.
    z : ndarray of shape (k, n_targets)
        ``U^T yc``, the coordinates of the centred, weighted targets.
    residual_norms : ndarray of shape (n_targets,)
        ``||yc - U z||``: the part of each target no linear model can fit.
    X_offset : ndarray of shape (n_features,)
        Weighted column means subtracted from ``X`` (zeros without intercept).
    y_offset : ndarray of shape (n_targets,)
        Weighted means subtracted from ``y``.
    shape : tuple of int
        ``(m, n)``, the shape of ``X`` as given.
    fit_intercept : bool
        Whether the data were centred (the intercept is one more parameter).
    driver : str
        The route and LAPACK driver that ran, e.g. ``"qr+gesdd"``.
    U : ndarray of shape (m, k) or None
        Left singular vectors of ``Xc``, kept only on request.
    column_scale : ndarray of shape (n_features,) or None
        Powers of two the columns were divided by before the SVD
        (``precision="high"``): the spectrum is that of ``Xc / column_scale``
        and ``V`` is ``V_scaled / column_scale[:, None]``, so ``solve``
        returns coefficients of ``X`` itself.
    data_dtype : dtype or None
        The dtype of the data when the arrays are wider (``float32`` data
        factored in ``float64`` to score candidates as ``RidgeCV`` does):
        it sets :attr:`dtype`, hence the policies' eps and the dtype of
        the solutions.
    basis : ndarray or ImplicitBasis
        How ``V`` is held (internal: pass ``V=`` to build one).
    left : LeftReflectors or None
        The tall route's Householder reflectors, kept while a fit may
        refine (``U^T f`` without ``U``); :meth:`compact` drops them.
    """

    singular_values: np.ndarray
    z: np.ndarray
    residual_norms: np.ndarray
    X_offset: np.ndarray
    y_offset: np.ndarray
    shape: tuple
    fit_intercept: bool
    driver: str
    U: np.ndarray = None
    column_scale: np.ndarray = None
    data_dtype: object = None
    basis: object = None
    left: object = None

    def __init__(self, *, V=None, **values):
        # Written out (dataclasses keeps it) so that V= builds the basis while
        # replace() passes basis= and never reads (hence forms) V.
        if V is not None:
            values["basis"] = V
        for f in fields(self):
            value = values.pop(f.name, f.default)
            if value is MISSING:
                raise TypeError(f"Factorization() missing keyword argument {f.name!r}")
            object.__setattr__(self, f.name, value)
        if values:
            raise TypeError(f"Factorization() got unexpected arguments {sorted(values)}")

    @property
    def V(self):
        """Right singular vectors, ``(n_features, k)``; formed on first read if implicit."""
        return self.basis.dense() if self.implicit else self.basis

    @property
    def dtype(self):
        """The floating dtype of the data (its eps drives the policies)."""
        return np.dtype(self.singular_values.dtype if self.data_dtype is None else self.data_dtype)

    @property
    def implicit(self):
        """Whether ``V`` is held as reflectors (reading :attr:`V` would form it)."""
        return not isinstance(self.basis, np.ndarray)

    def apply_V(self, B):
        """``V @ B`` for ``B`` of shape (k, c), without forming ``V``."""
        return self.basis.apply(B) if self.implicit else self.basis @ B

    def apply_Vt(self, G):
        """``V.T @ G`` for ``G`` of shape (n_features, c), without forming ``V``."""
        return self.basis.apply_t(G) if self.implicit else self.basis.T @ G

    def project(self, X):
        """``X @ V`` for ``X`` (dense or sparse) of shape (p, n_features)."""
        return self.basis.project(X) if self.implicit else X @ self.basis

    def column_norms(self):
        """``||Xc e_j||``, the centred, weighted columns' norms in ``X``'s units.

        Rows of ``V diag(s)``; an equilibrated ``V`` is ``V_scaled / scale``
        and describes ``Xc / scale``, hence the factor ``scale**2``.
        """
        s = self.singular_values.astype(np.float64)
        scale = 1.0 if self.column_scale is None else self.column_scale
        if self.implicit:
            return self.basis.row_norms(s) * scale * scale
        return safe_norms((self.basis * s).T.astype(np.float64)) * scale * scale

    def compact(self):
        """This factorization without its ``m``-row parts (``U``, the tall reflectors)."""
        if self.U is None and self.left is None:
            return self
        return replace(self, U=None, left=None)

    def solve(self, phi):
        """Coefficients ``V diag(phi / s) z``, shape (n_features, n_targets).

        ``phi`` holds filter factors of shape ``(k,)`` or ``(k, n_targets)``.
        ``phi z / s`` is formed in that order, so a subnormal kept ``s``
        does not overflow ``1 / s``.
        """
        phi = phi if phi.ndim == 2 else phi[:, None]
        s = self.singular_values.astype(np.float64)[:, None]
        weighted = phi * self.z
        coords = np.divide(weighted, s, out=np.zeros_like(weighted, dtype=np.float64),
                           where=(phi > 0) & (s > 0))
        dtype = self.singular_values.dtype
        return self.apply_V(coords.astype(dtype)).astype(self.dtype, copy=False)

    def intercept(self, coef):
        """Intercepts ``y_mean - x_mean . w`` for ``coef`` of shape (n_features, n_targets)."""
        if not self.fit_intercept:
            return np.zeros(self.y_offset.shape, self.dtype)
        return (self.y_offset - self.X_offset @ coef).astype(self.dtype, copy=False)


def truncation_factors(singular_values, kept):
    """Filter factors of the truncated SVD: 1 on kept values, 0 elsewhere; shape (k,)."""
    return (np.asarray(kept, dtype=bool) & (singular_values > 0)).astype(np.float64)


def tikhonov_factors(singular_values, kept, alphas, scale=1.0):
    """Tikhonov filter factors ``s^2 / (s^2 + alpha)`` on kept values; shape (k, c).

    ``alphas`` are in units of ``scale**2`` (``scale = s_max`` for alphas
    relative to the spectrum). Written as ``1 / (1 + (sqrt(alpha) scale /
    s)^2)``: no ``s^2`` is formed, so neither huge ``s`` (``X * 1e160``)
    overflows nor tiny ``s`` underflows; a ratio beyond the float range
    saturates to ``phi = 0``, its correct limit. This is the one Tikhonov
    filter of the package.
    """
    s = np.asarray(singular_values, dtype=np.float64)[:, None]
    root = np.sqrt(np.asarray(alphas, dtype=np.float64).reshape(1, -1)) * float(scale)
    mask = np.asarray(kept, dtype=bool)[:, None] & (s > 0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        phi = 1.0 / (1.0 + (root / np.where(mask, s, 1.0)) ** 2)
    return np.where(mask, phi, 0.0)


def factorize_arrays(X, Y, sample_weight=None, fit_intercept=True, copy=True, keep_U=False,
                     *, equilibrate=False, keep_left=False):
    """:func:`factorize` of validated arrays: float ``X`` (m, n), ``Y`` (m, t) in its dtype.

    ``copy=False`` lets a writeable ``X`` in the layout of its route
    (Fortran for tall, C for wide) be centred and factored in place (``X``
    is destroyed). ``equilibrate`` scales the centred columns by powers of
    two near their norms first (``precision="high"``); ``keep_left`` keeps
    the tall route's reflectors for refinement (:meth:`Factorization.compact`
    drops them). With the factorization cache on
    (:func:`sklearn_pinv.set_config`), the result may be a copy of one
    computed before for the same data.
    """
    m, n = X.shape
    k, t = min(m, n), Y.shape[1]
    route = _routes.choose(m, n, keep_U)
    if get_config()["factorization_cache"]:
        # Stored factorizations must stay small: without the tall route's
        # reflectors (m x n) or the square route's U, refinement takes the
        # semi-normal equations (the wide route's U is only m x m).
        keep_left = keep_left and route == "wide"
    expected = X.itemsize * (k * (1 + n + t + (m if keep_U else 0)) + 2 * (n + t))
    if route != "tall" or keep_left:  # reflectors of X's size
        expected += X.nbytes
    options = ("dense", bool(fit_intercept), bool(keep_U), bool(equilibrate), bool(keep_left))

    def compute():
        parts = _routes.factor(route, X, Y, sample_weight, bool(fit_intercept), copy=copy,
                               keep_U=keep_U, equilibrate=equilibrate, keep_left=keep_left)
        return Factorization(**parts, shape=(m, n), fit_intercept=bool(fit_intercept))

    return cached(compute, (X, Y, sample_weight), options, expected)


@validate_params(
    {"X": ["array-like"], "y": ["array-like"], "sample_weight": ["array-like", None],
     "fit_intercept": ["boolean"], "keep_U": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def factorize(X, y, sample_weight=None, *, fit_intercept=True, keep_U=False):
    """Factor the centred, weighted least-squares problem of ``X`` and ``y``.

    The one factorization every estimator of this package is built on: any
    truncation or Tikhonov solution, residual norm or GCV value follows
    from it in ``O(n k)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Design matrix (``float32`` stays ``float32``).
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    fit_intercept : bool, default=True
        Centre ``X`` and ``y`` on their weighted means.
    keep_U : bool, default=False
        Keep the left singular vectors (``m x k``; leave-one-out needs them).

    Returns
    -------
    factorization : Factorization

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import factorize
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [3.0], [4.0]])
    >>> fact = factorize(X, [2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
    >>> round(float(fact.solve(np.ones(1))[0, 0]), 12)  # the least-squares slope, 14/65
    0.215384615385
    """
    X, y = check_X_y(X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
    Y = np.asarray(y, dtype=X.dtype).reshape(X.shape[0], -1)
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, X)
    return factorize_arrays(X, Y, sample_weight, fit_intercept, keep_U=keep_U)
