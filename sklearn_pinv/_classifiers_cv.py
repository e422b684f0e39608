"""TikhonovClassifierCV and PinvClassifierCV: the searches of ``_cv`` on class indicators.

The labels become -1/+1 indicator columns once, on all the data (with
``class_weight`` folded into the weights), exactly as for
:class:`~sklearn_pinv.TikhonovClassifier`; the search is then
:class:`~sklearn_pinv.TikhonovCV`'s on those columns: exact leave-one-out
from one factorization with ``cv=None``, one factorization per fold
otherwise. Only the scores differ, and they follow ``RidgeClassifierCV``:

- ``cv=None, scoring=None``: the mean squared leave-one-out error of the
  indicator columns (the regression score: ``RidgeClassifierCV`` hands the
  indicators to its ``RidgeCV`` machinery);
- a scorer: the candidates' decision values (leave-one-out ones, or those
  of held-out rows) are scored as a classifier's, by
  :class:`ClassifierScorer`;
- k-fold ``cv`` with ``scoring=None``: accuracy, over stratified folds
  (``RidgeClassifierCV``'s ``GridSearchCV``).
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv

from . import _docstrings
from ._classifiers import _CLASS_WEIGHT_DOC, _CLF_ATTRIBUTES, LabelsMixin, decide
from ._compat import StrOptions, accept_sample_weight
from ._cv import PinvCV, TikhonovCV, _SpectralCV
from ._cv_docs import SEARCH, SEARCH_ATTRIBUTES
from ._cv_scoring import kfold_search, loo_search
from .tolerance import DEFAULT

__all__ = ["TikhonovClassifierCV", "PinvClassifierCV", "ClassifierScorer"]


class _Decisions(ClassifierMixin, BaseEstimator):
    """A classifier whose decision values are given, for a scorer to read.

    ``predict`` and ``decision_function`` return what the classifier
    would for those values (a 1-D ``decision_function`` for two classes, as
    ``RidgeClassifier``), whatever ``X`` the scorer passes.
    """

    def __init__(self, binarizer=None, decisions=None):
        self.binarizer = binarizer
        self.decisions = decisions

    @property
    def classes_(self):
        return self.binarizer.classes_

    def fit(self, X=None, y=None):
        return self

    def decision_function(self, X):
        d = self.decisions
        return d[:, 0] if d.ndim == 2 and d.shape[1] == 1 else d

    def predict(self, X):
        return decide(self.binarizer, self.decisions)


class ClassifierScorer:
    """A scorer of a search's predicted indicators, as a classifier's decision values.

    The search predicts the -1/+1 indicator columns like a regressor (its
    "estimator" returns them from ``predict``); this scores them with the
    wrapped scikit-learn ``scorer`` as a classifier with those decision
    values, against the labels the indicators encode. For several classes
    the predicted label is the argmax of the columns, as
    ``RidgeClassifierCV``'s ``_IdentityClassifier`` makes it; for two
    classes the sign of the one column (see :class:`TikhonovClassifierCV`).
    """

    def __init__(self, scorer, binarizer):
        self.scorer = scorer
        self.binarizer = binarizer

    def __call__(self, estimator, X, Y, sample_weight=None):
        decisions = np.asarray(estimator.predict(X), dtype=np.float64)
        labels = self.binarizer.inverse_transform(np.asarray(Y))
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.scorer(_Decisions(self.binarizer, decisions), X, labels, **kwargs)

    def _accept_sample_weight(self):
        return accept_sample_weight(self.scorer)

    def __repr__(self):
        return repr(self.scorer)


class _ClassifierSearch(LabelsMixin, _SpectralCV):
    """The search of ``_SpectralCV`` on validated labels, scored as ``RidgeClassifierCV``."""

    _parameter_constraints = {
        **_SpectralCV._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def fit(self, X, y, sample_weight=None, groups=None):
        """Choose the candidate by cross-validation, then fit it on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (dense, or CSR/CSC/COO, never densified whole).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (a 2-D indicator matrix for multilabel problems).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights, multiplied by the ``class_weight`` ones;
            they weight every fit, the leave-one-out errors with
            ``cv=None``, and scorers that accept them.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group-aware splitter.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight, groups)

    def _scores(self, search, fact, alphas, tols, groups, opts):
        """``(split scores (S, C, 1), std (C,), LOO values or None)`` of every candidate."""
        if self.cv is None:
            scorer = None if self.scoring is None else self._scorer(self.scoring)
            return loo_search(search, fact, alphas, tols, criterion=self.criterion,
                              scorer=scorer, store=self.store_cv_results, **opts)
        labels = self._label_binarizer.inverse_transform(search.Y)
        splitter = check_cv(self.cv, labels, classifier=True)
        splits = list(splitter.split(search.rows(), labels, groups))
        scorer = self._scorer("accuracy" if self.scoring is None else self.scoring)
        # scoring=None here: never the regressors' shortcuts (r2 or MSE of the indicators).
        split_scores = kfold_search(search, splits, alphas, tols, scoring=None, scorer=scorer,
                                    **opts)
        return split_scores, split_scores.mean(axis=2).std(axis=0), None  # std over folds

    def _scorer(self, scoring):
        return ClassifierScorer(check_scoring(self, scoring), self._label_binarizer)


_PARAMETERS = """
    cv : int, cross-validation generator or iterable, default=None
        ``None``: exact leave-one-out (or GCV, see ``criterion``) from one
        factorization of all the data. An int ``k``: ``StratifiedKFold(k)``
        for binary and multiclass labels, ``KFold(k)`` for multilabel ones
        (as ``RidgeClassifierCV``). Or any scikit-learn splitter or iterable
        of (train, test) indices. Each training fold is factored once and
        scores every candidate. The labels are binarized, and
        ``class_weight`` turned into weights, once on all the data (as
        ``RidgeClassifierCV`` does for the weights; its folds re-binarize,
        which differs only for a fold that misses a class).
    scoring : str, callable or None, default=None
        What ``RidgeClassifierCV`` scores. ``None`` with ``cv=None``: the
        negative mean squared leave-one-out error of the -1/+1 indicator
        columns, over samples and columns (weighted by ``sample_weight``
        times the ``class_weight`` weights) -- not accuracy. ``None`` with
        k-fold ``cv``: accuracy, weighted. A scorer name or callable scores
        the decision values each candidate gives the left-out samples
        (leave-one-out ones with ``cv=None``) as a classifier's: the label
        is the argmax of the columns (as ``RidgeClassifierCV``), the sign
        of the one column for two classes, the sign of each column for
        multilabel problems. There it differs from ``RidgeClassifierCV``
        of scikit-learn 1.9 and earlier, which with ``cv=None`` takes the
        argmax of the one binary column (always the first class) and so
        scores every alpha 1.0 and picks the first (scikit-learn issue
        #34942), and takes an argmax for multilabel problems too.""" + _CLASS_WEIGHT_DOC

_ATTRIBUTES = SEARCH_ATTRIBUTES + _CLF_ATTRIBUTES + """
    The ``loo_values_`` of a classifier are always 3-D, ``(n_samples,
    n_columns, n_candidates)`` with one column for two classes, as
    ``RidgeClassifierCV``'s ``cv_results_``."""


class TikhonovClassifierCV(_ClassifierSearch):
    __doc__ = """Tikhonov (ridge) classifier with built-in search over alpha and tol.

    :class:`TikhonovClassifier` chosen as :class:`TikhonovCV` chooses a
    regressor, on the -1/+1 indicators of the classes: each candidate is
    scored from one factorization per training fold, or, with ``cv=None``,
    by its exact leave-one-out error from one factorization of all the
    data. With ``tols=("ridge",)`` (``RidgeClassifier(solver="svd")``'s
    cut) it picks the alpha ``RidgeClassifierCV`` picks on the same grid
    and scoring (see ``scoring`` for where that differs on purpose).

    Parameters
    ----------
    alphas : "auto" or array-like of shape (n_alphas,), default="auto"
        Regularisation strengths ``>= 0`` to try; ``"auto"`` reads 50 off
        the spectrum of ``X``, as :class:`TikhonovCV` does. A pick on an
        edge of the grid warns (:class:`~sklearn_pinv.GridEdgeWarning`).
    tols : sequence of tolerances, default=("scipy",)
        Tolerance policies to try (see :class:`TikhonovClassifier`).""" + \
        _PARAMETERS + SEARCH + """

    Attributes
    ----------
    alpha_ : float
        The chosen alpha.
    alphas_ : ndarray of shape (n_alphas,)
        The alphas searched.""" + _ATTRIBUTES + """

    See Also
    --------
    TikhonovClassifier : The estimator searched over.
    TikhonovCV : The same search for regression.
    sklearn.linear_model.RidgeClassifierCV : Its search over alphas.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import RidgeClassifierCV
    >>> from sklearn_pinv import TikhonovClassifierCV
    >>> X, y = load_iris(return_X_y=True)
    >>> alphas = np.logspace(-3, 3, 10)
    >>> clf = TikhonovClassifierCV(alphas=alphas, tols=("ridge",)).fit(X, y)
    >>> bool(clf.alpha_ == RidgeClassifierCV(alphas=alphas).fit(X, y).alpha_)
    True
    >>> clf = TikhonovClassifierCV(alphas=alphas, cv=5).fit(X, y)  # stratified, accuracy
    >>> round(clf.alpha_, 2), round(clf.best_score_, 2), clf.predict(X[:3]).tolist()
    (2.15, 0.84, [0, 0, 0])
    """

    _parameter_constraints = {
        **_ClassifierSearch._parameter_constraints,
        "alphas": TikhonovCV._parameter_constraints["alphas"],
    }

    _ravel_single_column = True  # as RidgeClassifierCV: coef_ (n_features,) for two classes
    _reports_alphas = True

    def __init__(self, alphas="auto", *, tols=(DEFAULT,), cv=None, scoring=None,
                 class_weight=None, criterion="loo", fit_intercept=True,
                 store_cv_results=False, precision="standard"):
        self.alphas = alphas
        self.tols = tols
        self.cv = cv
        self.scoring = scoring
        self.class_weight = class_weight
        self.criterion = criterion
        self.fit_intercept = fit_intercept
        self.store_cv_results = store_cv_results
        self.precision = precision

    # The candidates of TikhonovCV: its alphas times its tols.
    _search_alphas = TikhonovCV._search_alphas
    _params = staticmethod(TikhonovCV._params)


class PinvClassifierCV(_ClassifierSearch):
    __doc__ = """Pseudoinverse classifier with a tolerance policy chosen by cross-validation.

    :class:`PinvClassifier` (the truncation, ``alpha = 0``) with the
    ``tols`` candidate that scores best on the -1/+1 class indicators, as
    :class:`PinvCV` chooses one for regression.

    Parameters
    ----------
    tols : sequence of tolerances, default=("scipy", 1e-12, 1e-9, 1e-6, 1e-3)
        Tolerance policies to try: names, relative floats, policy objects
        or callables.""" + _PARAMETERS + SEARCH + """

    Attributes
    ----------
    alpha_ : float
        Always ``0.0``.""" + _ATTRIBUTES + """

    See Also
    --------
    PinvClassifier : The estimator searched over.
    TikhonovClassifierCV : The search over alphas as well.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 6)) * [1, 1, 1, 1e-4, 1e-4, 1e-4]
    >>> y = X[:, :3].sum(axis=1) + 0.5 * rng.standard_normal(60) > 0
    >>> clf = PinvClassifierCV(cv=5).fit(X, y)  # the three tiny columns are dropped
    >>> clf.tol_, clf.rank_
    (0.001, 3)
    """

    def __init__(self, tols=(DEFAULT, 1e-12, 1e-9, 1e-6, 1e-3), *, cv=None, scoring=None,
                 class_weight=None, criterion="loo", fit_intercept=True,
                 store_cv_results=False, precision="standard"):
        self.tols = tols
        self.cv = cv
        self.scoring = scoring
        self.class_weight = class_weight
        self.criterion = criterion
        self.fit_intercept = fit_intercept
        self.store_cv_results = store_cv_results
        self.precision = precision

    # The candidates of PinvCV: its tols, at alpha = 0.
    _search_alphas = PinvCV._search_alphas
    _params = staticmethod(PinvCV._params)
