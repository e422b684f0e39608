"""
GridSearchCV over the tolerance and alpha in a pipeline
=======================================================

``tol`` and ``alpha`` are ordinary hyper-parameters: names, floats and policy
objects can be mixed in one grid, and ``cv_results_`` shows them.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_pinv import TikhonovRegressor
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
search = GridSearchCV(pipe, grid, cv=KFold(5, shuffle=True, random_state=0),
                      scoring="neg_mean_squared_error").fit(X, y)
print("best:", search.best_params_)

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
fig, ax = plt.subplots(figsize=(7, 4))
for label, row in table.iterrows():
    ax.semilogx(row.index.astype(float), -row.values, "-o", ms=3, label=f"tol={label}")
ax.set(xlabel="alpha", ylabel="CV mean squared error", yscale="log")
ax.legend(fontsize="small")
plt.show()
