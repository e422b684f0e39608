"""PinvClassifier and TikhonovClassifier: least squares on +-1 class indicators.

As scikit-learn's ``RidgeClassifier``: the labels become one column of
``-1``/``+1`` per class (one column for two classes), ``class_weight``
multiplies ``sample_weight``, and the same fit path as the regressors
(one factorization, a tolerance cut, filter factors, refinement) solves the
multi-target problem. ``decision_function`` is ``X @ coef_.T + intercept_``
and ``predict`` takes its argmax (its sign for two classes).
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from . import _docstrings
from ._base import SPECTRAL_CONSTRAINTS, SpectralMixin
from ._compat import LinearClassifierMixin, StrOptions, check_sample_weight, fit_context
from ._inputs import FLOATS, SPARSE_FORMATS, FitData, kind_of
from ._penalties import TikhonovMixin, TruncationMixin
from .tolerance import DEFAULT

__all__ = ["PinvClassifier", "TikhonovClassifier", "LabelsMixin", "binarize", "decide"]


def binarize(y):
    """``(Y, binarizer)``: -1/+1 indicators of ``y``'s classes, as RidgeClassifier."""
    binarizer = LabelBinarizer(pos_label=1, neg_label=-1)
    return binarizer.fit_transform(y), binarizer


def decide(binarizer, scores):
    """The labels of decision values ``scores``, as ``RidgeClassifier.predict`` reads them.

    The sign of each column for multilabel problems, the sign of the one
    column for two classes, the argmax of the columns otherwise.
    """
    if binarizer.y_type_.startswith("multilabel"):
        return binarizer.inverse_transform(2.0 * (scores > 0) - 1.0)
    scores = scores.reshape(scores.shape[0], -1)
    if scores.shape[1] == 1:
        return binarizer.classes_[(scores[:, 0] > 0).astype(np.intp)]
    return binarizer.classes_[scores.argmax(axis=1)]


class LabelsMixin(LinearClassifierMixin):
    """Labels in, labels out: validation, ``classes_``, ``predict`` and tags of a classifier.

    Shared by the classifiers and their cross-validated twins, whose
    search (or fit) works on the -1/+1 indicators this validation makes.
    """

    def _validate_fit(self, X, y, sample_weight, reset=True):
        """The -1/+1 indicators as :class:`FitData`, ``class_weight`` folded into the weights."""
        X, y = validate_data(self, X, y, dtype=FLOATS, accept_sparse=SPARSE_FORMATS,
                             multi_output=True, y_numeric=False, reset=reset)
        check_classification_targets(y)
        Y, self._label_binarizer = binarize(y)
        self.classes_ = self._label_binarizer.classes_
        if not self._label_binarizer.y_type_.startswith("multilabel"):
            y = column_or_1d(y, warn=True)
        if sample_weight is not None or self.class_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X)
        if self.class_weight is not None:
            sample_weight = sample_weight * compute_sample_weight(self.class_weight, y)
        return FitData(X, Y.astype(X.dtype), sample_weight, False, kind_of(X))

    def predict(self, X):
        """Predict class labels: the argmax of the decision function (its sign for two).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        check_is_fitted(self, "_label_binarizer")
        return decide(self._label_binarizer, self.decision_function(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = True
        tags.array_api_support = False
        return tags


class _SpectralClassifier(LabelsMixin, SpectralMixin, BaseEstimator):
    """A classifier fitted by the regressors' fit path on the indicators."""

    _parameter_constraints = {
        **SPECTRAL_CONSTRAINTS,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    @fit_context
    def fit(self, X, y, sample_weight=None):
        """Fit the classifier: least squares on -1/+1 class indicators.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (a 2-D indicator matrix for multilabel problems).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights, multiplied by the ``class_weight`` ones.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit_validated(self._validate_fit(X, y, sample_weight))

    def _remember_stream(self, stream, data):
        """Classifiers have no ``partial_fit``: nothing to resume from."""


_CLASS_WEIGHT_DOC = """
    class_weight : dict or "balanced", default=None
        Weights of the classes, multiplied into ``sample_weight``:
        ``{class_label: weight}``, or ``"balanced"`` for
        ``n_samples / (n_classes * np.bincount(y))``."""

_CLF_ATTRIBUTES = """
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients of the decision function (one row for two classes;
        :class:`TikhonovClassifier` stores that row 1-D, as
        ``RidgeClassifier``).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts of the decision function (0.0 without an intercept).""" + _docstrings.SPECTRUM_ATTRIBUTES


class PinvClassifier(TruncationMixin, _SpectralClassifier):
    __doc__ = """Classifier by truncated-SVD least squares on -1/+1 class indicators.

    ``RidgeClassifier`` with the penalty replaced by a tolerance cut: the
    minimum-norm least-squares fit of each class indicator on the singular
    values the tolerance policy keeps. Features may outnumber samples.

    Parameters
    ----------""" + _docstrings.TOL + _CLASS_WEIGHT_DOC + _docstrings.COMMON.format(
        equilibration=_docstrings.PINV_EQUILIBRATION) + """

    Attributes
    ----------""" + _CLF_ATTRIBUTES + """

    See Also
    --------
    TikhonovClassifier : The same with Tikhonov (ridge) filter factors.
    sklearn.linear_model.RidgeClassifier : Ridge on the same indicators.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_pinv import PinvClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = PinvClassifier().fit(X, y)
    >>> clf.coef_.shape, round(clf.score(X, y), 2)
    ((3, 4), 0.85)
    """

    def __init__(self, tol=DEFAULT, *, class_weight=None, fit_intercept=True, copy_X=True,
                 precision="standard"):
        self.tol = tol
        self.class_weight = class_weight
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision


class TikhonovClassifier(TikhonovMixin, _SpectralClassifier):
    __doc__ = """Tikhonov (ridge) classifier on the kept singular values.

    With ``tol="ridge"`` it equals ``RidgeClassifier(alpha, solver="svd")``
    (the same ``decision_function`` to rounding); other tolerance policies
    and ``precision`` work as for :class:`TikhonovRegressor`, and ``alpha``
    may be a rule (``"gcv"``, ...), chosen on the pooled indicators.

    Parameters
    ----------
    alpha : float, array-like of shape (n_classes,), str, AlphaRule or callable, default=1.0
        Regularisation strength ``>= 0``, one per indicator column, or a
        parameter-choice rule (see :class:`TikhonovRegressor`).""" + _docstrings.TOL + \
        _CLASS_WEIGHT_DOC + _docstrings.COMMON.format(equilibration="") + """

    Attributes
    ----------
    alpha_ : float or ndarray
        The regularisation strength used.""" + _CLF_ATTRIBUTES + """

    See Also
    --------
    PinvClassifier : The pure truncation.
    sklearn.linear_model.RidgeClassifier : ``TikhonovClassifier(tol="ridge")``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import RidgeClassifier
    >>> from sklearn_pinv import TikhonovClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> ours = TikhonovClassifier(alpha=1.0, tol="ridge").fit(X, y)
    >>> ref = RidgeClassifier(alpha=1.0, solver="svd").fit(X, y)
    >>> bool(np.allclose(ours.decision_function(X), ref.decision_function(X)))
    True
    """

    _parameter_constraints = {**_SpectralClassifier._parameter_constraints,
                              "alpha": TikhonovMixin._alpha_constraint}
    _ravel_single_column = True  # as RidgeClassifier: coef_ (n_features,) for two classes

    def __init__(self, alpha=1.0, *, tol=DEFAULT, class_weight=None, fit_intercept=True,
                 copy_X=True, precision="standard"):
        self.alpha = alpha
        self.tol = tol
        self.class_weight = class_weight
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision
