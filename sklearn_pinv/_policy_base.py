"""The policy interface: the base classes every tolerance rule derives from."""

import numpy as np

__all__ = ["TolerancePolicy", "DataDrivenPolicy"]


def _eps(dtype):
    return float(np.finfo(np.dtype(dtype)).eps)


def _smax(s):
    return float(np.max(s)) if np.size(s) else 0.0


class TolerancePolicy:
    """Base class of all tolerance policies.

    Subclasses implement :meth:`threshold`. Set the class attribute
    ``inclusive = True`` for rules that keep ``s_i >= tau`` instead of
    ``s_i > tau``.
    """

    inclusive = False

    def threshold(self, singular_values, shape, dtype):
        """Return the threshold ``tau`` for these singular values.

        Parameters
        ----------
        singular_values : ndarray of shape (k,)
            Non-negative singular values, in any order.
        shape : tuple of int
            ``(m, n)``, the shape of the matrix as given.
        dtype : dtype
            The dtype of the matrix; its machine epsilon is used.

        Returns
        -------
        tau : float
        """
        raise NotImplementedError

    def __call__(self, singular_values, shape, dtype):
        return self.threshold(singular_values, shape, dtype)


class DataDrivenPolicy(TolerancePolicy):
    """A policy that needs the whole factorization, not only the spectrum.

    Subclasses implement :meth:`select`. The attribute ``floor`` (a policy
    spec, ``"scipy"`` by default) names the singular values that are
    candidates at all: :func:`~sklearn_pinv.tolerance.cut` applies it first
    and hands the result to :meth:`select`.
    """

    floor = "scipy"

    def select(self, factorization, kept):
        """Return the threshold ``tau`` chosen from ``factorization``.

        Parameters
        ----------
        factorization : Factorization
            Singular values, ``U^T y``, the residual outside the range of ``U``.
        kept : ndarray of bool of shape (k,)
            The singular values the ``floor`` policy keeps (the candidates).

        Returns
        -------
        tau : float
        """
        raise NotImplementedError

    def threshold(self, singular_values, shape, dtype):
        raise TypeError(
            f"{self!r} is data-driven: it needs y as well as the singular values. "
            "Use it as the `tol` of an estimator."
        )
