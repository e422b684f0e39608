"""sklearn_pinv: pseudoinverse and Tikhonov regression through one truncated SVD,
with a pluggable tolerance policy."""

from . import datasets, tolerance
from ._estimators import PinvRegressor, TikhonovRegressor
from ._cache import cache_config, cache_info, clear_cache, set_cache
from ._cv import PinvCV, TikhonovCV
from ._diagnose import Diagnosis, diagnose
from ._factorization import Factorization, factorize
from ._plot import PicardDisplay, SpectrumDisplay
from ._plot_alpha import LCurveDisplay, RegularizationPathDisplay
from ._plot_cv import CVCurveDisplay
from ._refine import AccuracyWarning
from .linalg import matrix_rank, pinv

__version__ = "0.1.0"

__all__ = [
    "PinvRegressor",
    "TikhonovRegressor",
    "TikhonovCV",
    "PinvCV",
    "Factorization",
    "factorize",
    "pinv",
    "matrix_rank",
    "tolerance",
    "datasets",
    "diagnose",
    "Diagnosis",
    "SpectrumDisplay",
    "PicardDisplay",
    "LCurveDisplay",
    "RegularizationPathDisplay",
    "CVCurveDisplay",
    "set_cache",
    "cache_config",
    "cache_info",
    "clear_cache",
    "AccuracyWarning",
    "__version__",
]
