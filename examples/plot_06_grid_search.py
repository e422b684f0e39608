"""
GridSearchCV over the tolerance and alpha in a pipeline
=======================================================

``tol`` and ``alpha`` are ordinary hyper-parameters: names, floats and policy
objects can be mixed in one grid, and ``cv_results_`` shows them.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_pinv import CVCurveDisplay, TikhonovCV, TikhonovRegressor
from sklearn_pinv.tolerance import FixedRank

rng = np.random.default_rng(0)
x = np.sort(rng.uniform(0, 1, 80))
X = np.vander(x, 16, increasing=True)[:, 1:]
y = np.sin(2 * np.pi * x) + 0.1 * rng.standard_normal(80)

pipe = make_pipeline(StandardScaler(), TikhonovRegressor())
grid = {
    "tikhonovregressor__alpha": np.logspace(-10, 1, 12),
    "tikhonovregressor__tol": ["matlab", "sqrt-eps", 1e-8, FixedRank(6)],
}
start = time.perf_counter()
search = GridSearchCV(pipe, grid, cv=KFold(5, shuffle=True, random_state=0),
                      scoring="neg_mean_squared_error").fit(X, y)
print(f"GridSearchCV best: {search.best_params_} in {1e3 * (time.perf_counter() - start):.0f} ms")

# %%
results = pd.DataFrame(search.cv_results_)
# Policies are objects, floats and strings: show them by their repr.
results["param_tikhonovregressor__tol"] = results["param_tikhonovregressor__tol"].map(str)
table = results.pivot_table(index="param_tikhonovregressor__tol",
                            columns="param_tikhonovregressor__alpha",
                            values="mean_test_score", aggfunc="first")
with pd.option_context("display.width", 120, "display.max_columns", 10):
    print(table.iloc[:, ::3].round(4))

# %%
# :class:`~sklearn_pinv.CVCurveDisplay` draws the scores of the search, one
# curve per tolerance, with the best candidate starred.
CVCurveDisplay.from_estimator(search)
plt.show()

# %%
# :class:`~sklearn_pinv.TikhonovCV` scores the same candidates from one
# factorization per training fold instead of one fit per candidate and fold.
grid_alphas = grid["tikhonovregressor__alpha"]
grid_tols = grid["tikhonovregressor__tol"]
start = time.perf_counter()
fast = make_pipeline(
    StandardScaler(),
    TikhonovCV(alphas=grid_alphas, tols=grid_tols, scoring="neg_mean_squared_error",
               cv=KFold(5, shuffle=True, random_state=0)),
).fit(X, y)
seconds = time.perf_counter() - start
cv_step = fast[-1]
print(f"TikhonovCV: alpha={cv_step.alpha_:.3g}, tol={cv_step.tol_!r} in {1e3 * seconds:.1f} ms")
