"""sklearn_pinv: pseudoinverse and Tikhonov regression through one truncated SVD,
with a pluggable tolerance policy."""

from . import alpha_rules, datasets, tolerance
from ._cache import cache_info, clear_cache
from ._config import config_context, get_config, set_config
from ._classifiers import PinvClassifier, TikhonovClassifier
from ._classifiers_cv import PinvClassifierCV, TikhonovClassifierCV
from ._cv import PinvCV, TikhonovCV
from ._cv_alphas import GridEdgeWarning
from ._diagnose import Diagnosis, diagnose
from ._estimators import PinvRegressor, TikhonovRegressor
from ._inference import inference
from ._inference_result import InferenceResult
from ._plot import (
    CVCurveDisplay,
    LCurveDisplay,
    PicardDisplay,
    RegularizationPathDisplay,
    SpectrumDisplay,
)
from ._refine import AccuracyWarning
from ._spectral import Factorization, factorize
from .linalg import matrix_rank, pinv

__version__ = "0.2.0.dev0"

__all__ = [
    "PinvRegressor",
    "TikhonovRegressor",
    "TikhonovCV",
    "PinvCV",
    "PinvClassifier",
    "TikhonovClassifier",
    "PinvClassifierCV",
    "TikhonovClassifierCV",
    "Factorization",
    "factorize",
    "pinv",
    "matrix_rank",
    "tolerance",
    "alpha_rules",
    "datasets",
    "diagnose",
    "Diagnosis",
    "inference",
    "InferenceResult",
    "SpectrumDisplay",
    "PicardDisplay",
    "LCurveDisplay",
    "RegularizationPathDisplay",
    "CVCurveDisplay",
    "get_config",
    "set_config",
    "config_context",
    "cache_info",
    "clear_cache",
    "AccuracyWarning",
    "GridEdgeWarning",
    "__version__",
]
