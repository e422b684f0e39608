"""The command line: `sklearn-pinv diagnose` output and its clean errors."""

import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import load_diabetes

from sklearn_pinv import tolerance
from sklearn_pinv.__main__ import main


@pytest.fixture
def diabetes_csv(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    path = tmp_path / "diabetes.csv"
    header = ",".join([f"x{j}" for j in range(X.shape[1])] + ["y"])
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=header, comments="")
    return path


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_diagnose_prints_every_policy_and_scores(diabetes_csv, capsys):
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "2"]) == 0
    out, err = capsys.readouterr()
    assert "442 samples x 10 features" in out
    for name in tolerance.available_policies():
        assert name in out
    for label in ("LinearRegression()", "Ridge(alpha=1.0)", "PinvRegressor", "Tikhonov"):
        assert label in out
    assert "truncation rank: GCV" in out and "L-curve corner" in out
    assert "cross-validating" in err  # progress goes to stderr, not into the table


def test_diagnose_quiet_without_cv(diabetes_csv, capsys):
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "CV R2" not in out


def test_diagnose_flags_disagreement(tmp_path, capsys):
    x = np.linspace(0, 1, 30)
    X = np.vander(x, 14, increasing=True)[:, 1:]
    header = ",".join([f"p{j}" for j in range(1, 14)] + ["t"])
    path = tmp_path / "poly.csv"
    np.savetxt(path, np.column_stack([X, np.sin(4 * x)]), delimiter=",", header=header,
               comments="", fmt="%.17g")
    assert main(["diagnose", str(path), "--target", "t", "--cv", "0"]) == 0
    assert "DISAGREE" in capsys.readouterr().out


def test_plot_writes_png(diabetes_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "spectrum.png"
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0",
                 "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "text, target, message",
    [
        (None, "y", "file not found"),
        ("", "y", "is empty"),
        ("a,b,y\n", "y", "no data rows"),
        ("a,b,y\n1,2,3\n", "z", "no column 'z'"),
        ("a,b,y\n1,2,3\n4,5,oops\n", "y", "target column 'y' is not numeric: data row 2"),
        ("a,b,y\n1,x,3\n", "y", "column 'b' is not numeric"),
        ("a,b,y\n1,2,3\n4,,6\n7,8,NA\n9,10,11\n", "y", "data rows 2, 3 (1-based"),
        ("a,b,y\n1,2,3\n4,,6\n7,8,NA\n9,10,11\n", "y", "columns b, y"),
        ("a,b,y\n1,2,3\n4,5\n", "y", "line 3: 2 fields"),
        ("y\n1\n2\n", "y", "no feature columns"),
        ("a,y\n1,2\n2,3\n", "y", "--cv 5 needs at least 5 rows"),
    ],
)
def test_clean_errors(tmp_path, capsys, text, target, message):
    path = tmp_path / "missing.csv" if text is None else _write(tmp_path, text)
    assert main(["diagnose", str(path), "--target", target]) == 1
    out, err = capsys.readouterr()
    assert message in err
    assert err.startswith("sklearn-pinv: error:") and "Traceback" not in err


def test_missing_target_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["diagnose", "data.csv"])
    assert exc.value.code == 2
    assert "--target" in capsys.readouterr().err


def test_module_entry_point_has_no_traceback(tmp_path):
    path = _write(tmp_path, "a,y\n1,\n2,3\n")
    run = subprocess.run(
        [sys.executable, "-m", "sklearn_pinv", "diagnose", str(path), "--target", "y"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "data rows 1" in run.stderr
