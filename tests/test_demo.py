"""The README's main job runs offline and shows every policy."""

import io

import numpy as np

from sklearn_pinv import PinvRegressor
from sklearn_pinv._demo import datasets, run
from sklearn_pinv.tolerance import available_policies


def test_demo_table_has_every_policy_and_the_references():
    out = io.StringIO()
    results = run(file=out)
    text = out.getvalue()
    for name in available_policies():
        assert f"PinvRegressor({name!r})" in text
    assert "LinearRegression()" in text and "Ridge(" in text and "GridSearchCV" in text
    for rows in results.values():
        for row in rows.values():
            assert np.isfinite(row["cv_r2"]) and row["fit_ms"] > 0


def test_demo_polynomial_is_where_the_rules_disagree():
    X, y = datasets()["polynomial deg 24"]
    ranks = {PinvRegressor(tol=p, precision="fast").fit(X, y).rank_
             for p in available_policies()}
    assert len(ranks) >= 3
