"""Displays for choosing a tolerance or alpha by looking at the spectrum.

They follow scikit-learn's Displays (``sklearn.metrics.PredictionErrorDisplay``):
the constructor stores the numbers; ``plot(ax=None, ...)`` draws them, sets
``ax_``, ``figure_`` and the artists, and passes ``**kwargs`` (and
``<element>_kwargs`` per element) on to matplotlib; ``from_estimator`` and
``from_data`` compute the numbers from a fitted estimator (also the last step
of a ``Pipeline``) or from ``X, y`` and plot at once. matplotlib is imported
only when something is drawn, so ``import sklearn_pinv`` never needs it.
"""

from .alpha import LCurveDisplay, RegularizationPathDisplay
from .cv import CVCurveDisplay
from .picard import PicardDisplay
from .spectrum import SpectrumDisplay

__all__ = [
    "SpectrumDisplay",
    "PicardDisplay",
    "LCurveDisplay",
    "RegularizationPathDisplay",
    "CVCurveDisplay",
]
