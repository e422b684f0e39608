"""The command line: `sklearn-pinv diagnose` on the CSV files people have, and its clean errors.

Each file is checked against an independent reading of the same numbers:
numpy's SVD of the centred columns the CLI should have used, scikit-learn's
cross_val_score, pandas' get_dummies.
"""

import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_linnerud
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score

import sklearn_pinv
from sklearn_pinv import tolerance
from sklearn_pinv._cli import main

pd = pytest.importorskip("pandas")


def _svd(X):
    return np.linalg.svd(X - X.mean(axis=0), compute_uv=False)


def _json(capsys, argv):
    assert main(argv + ["--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def diabetes_csv(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    path = tmp_path / "diabetes.csv"
    header = ",".join([f"x{j}" for j in range(X.shape[1])] + ["y"])
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=header, comments="",
               fmt="%.17g")
    return path


@pytest.fixture
def linnerud_csv(tmp_path):
    data = load_linnerud(as_frame=True)
    frame = pd.concat([data.data, data.target], axis=1)
    path = tmp_path / "linnerud.csv"
    frame.to_csv(path)  # pandas' default: an unnamed row-number column first
    return path, frame


def test_diagnose_prints_every_policy_and_scores(diabetes_csv, capsys):
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "2"]) == 0
    out, err = capsys.readouterr()
    assert "442 samples x 10 features" in out
    for name in tolerance.available_policies():
        assert name in out
    for label in ("LinearRegression()", "Ridge(alpha=1.0)", "PinvRegressor", "Tikhonov"):
        assert label in out
    assert "truncation rank: GCV" in out and "L-curve corner" in out
    assert "recommendation" in out and "why:" in out and "standardise:" in out
    # Each comparison row says what it is; the grid it shares is spelled out.
    assert "TikhonovCV(alphas=grid): alpha chosen by leave-one-out" in out
    assert "alpha grid: 50 log-spaced values" in out
    assert "cross-validating" in err and "read 442 rows x 10 features" in err


def test_json_report_matches_numpy_and_scikit_learn(diabetes_csv, capsys):
    doc = _json(capsys, ["diagnose", str(diabetes_csv), "--target", "y", "--cv", "3"])
    X, y = load_diabetes(return_X_y=True)
    assert doc["schema"] == "sklearn-pinv-diagnose" and doc["schema_version"] == 1
    assert doc["sklearn_pinv_version"] == sklearn_pinv.__version__
    assert doc["data"]["features"] == [f"x{j}" for j in range(10)]
    assert doc["data"]["targets"] == ["y"] and doc["data"]["rows"] == 442
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-10)
    np.testing.assert_allclose(list(doc["spectrum"]["column_scales"].values()), X.std(axis=0))
    assert [p["policy"] for p in doc["policies"]] == tolerance.available_policies()
    cv = KFold(3, shuffle=True, random_state=0)
    reference = cross_val_score(LinearRegression(), X, y, cv=cv, scoring="r2")
    rows = {row["estimator"]: row for row in doc["scores"]}
    assert rows["LinearRegression()"]["r2_mean"] == pytest.approx(reference.mean())
    np.testing.assert_allclose(rows["LinearRegression()"]["r2_folds"], reference)
    for policy in doc["policies"]:  # full rank: every policy is least squares
        assert policy["cv_r2_mean"] == pytest.approx(reference.mean(), rel=1e-8)
    assert doc["cv"] == {"folds": 3, "n_samples": 442, "n_total": 442, "seed": 0,
                         "scoring": "r2", "splitter": repr(cv)}
    rec = doc["recommendation"]
    assert set(rec) == {"estimator", "reason", "standardize", "standardize_reason"}
    assert isinstance(rec["standardize"], bool) and rec["reason"]
    assert set(doc["picks"]) >= {"gcv_rank", "lcurve_rank", "gcv_alpha", "lcurve_alpha",
                                 "alpha_grid", "at_grid_edge", "notes"}
    assert doc["warnings"] == []


def test_markdown_report(diabetes_csv, capsys):
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0",
                 "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "## spectrum" in out and "## tolerance policies" in out
    assert "| policy | threshold | rank |" in out and "|---|--:|--:|" in out


def test_pandas_index_column_is_not_a_feature(linnerud_csv, capsys):
    path, frame = linnerud_csv
    assert path.read_text().startswith(",Chins,")
    doc = _json(capsys, ["diagnose", str(path), "--target", "Weight", "--cv", "0"])
    assert doc["data"]["index_column"] == "Unnamed: 0"
    assert doc["data"]["features"] == ["Chins", "Situps", "Jumps", "Waist", "Pulse"]
    X = frame[["Chins", "Situps", "Jumps", "Waist", "Pulse"]].to_numpy(float)
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-10)
    assert any("row index" in note for note in doc["data"]["notes"])


def test_linnerud_several_targets(linnerud_csv, capsys):
    path, frame = linnerud_csv
    argv = ["diagnose", str(path), "--target", "Weight", "Waist", "Pulse", "--cv", "3"]
    doc = _json(capsys, argv)
    assert doc["data"]["targets"] == ["Weight", "Waist", "Pulse"]
    assert doc["data"]["features"] == ["Chins", "Situps", "Jumps"]
    assert doc["spectrum"]["n_targets"] == 3
    X, Y = frame[["Chins", "Situps", "Jumps"]].to_numpy(float), frame.iloc[:, 3:].to_numpy()
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-10)
    cv = KFold(3, shuffle=True, random_state=0)
    reference = cross_val_score(LinearRegression(), X, Y, cv=cv, scoring="r2")
    rows = {row["estimator"]: row for row in doc["scores"]}
    assert rows["LinearRegression()"]["r2_mean"] == pytest.approx(reference.mean())
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "targets: Weight, Waist, Pulse" in out and "features (3): Chins, Situps, Jumps" in out


def test_one_target_lists_the_other_columns_as_features(linnerud_csv, capsys):
    path, _ = linnerud_csv
    assert main(["diagnose", str(path), "--target", "Weight", "--cv", "0"]) == 0
    assert "features (5): Chins, Situps, Jumps, Waist, Pulse" in capsys.readouterr().out
    doc = _json(capsys, ["diagnose", str(path), "--target", "Weight", "--features", "Chins",
                         "Jumps", "--cv", "0"])
    assert doc["data"]["features"] == ["Chins", "Jumps"]
    assert doc["data"]["not_used"] == ["Situps", "Waist", "Pulse"]
    doc = _json(capsys, ["diagnose", str(path), "--target", "Weight", "--drop", "Waist",
                         "Pulse", "--cv", "0"])
    assert doc["data"]["features"] == ["Chins", "Situps", "Jumps"]
    assert doc["data"]["dropped"] == ["Waist", "Pulse"]


def test_index_col_none_and_named(linnerud_csv, capsys):
    path, frame = linnerud_csv
    doc = _json(capsys, ["diagnose", str(path), "--target", "Weight", "--index-col", "none",
                         "--cv", "0"])
    assert doc["data"]["features"][0] == "Unnamed: 0"
    X = frame.reset_index()[["index", "Chins", "Situps", "Jumps", "Waist", "Pulse"]]
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X.to_numpy(float)))
    # A named row-number column is reported as a likely index.
    assert any("counts the rows" in w["message"] for w in doc["warnings"])
    doc = _json(capsys, ["diagnose", str(path), "--target", "Weight", "--index-col", "Chins",
                         "--cv", "0"])
    assert doc["data"]["index_column"] == "Chins" and "Chins" not in doc["data"]["features"]


def _numbers():
    rng = np.random.default_rng(0)
    X = np.round(rng.uniform(-5, 5, (30, 3)), 3)
    return X, np.round(X @ [1.0, -2.0, 0.5] + rng.standard_normal(30), 3)


@pytest.mark.parametrize("delimiter, argv, shown", [
    (";", [], ";"),
    ("\t", [], "\t"),
    ("\t", ["--delimiter", "tab"], "\t"),
    ("\t", ["--delimiter", "\\t"], "\t"),
    ("|", [], "|"),
    (";;", ["--delimiter", ";;"], ";;"),
    ("   ", ["--delimiter", "whitespace"], "whitespace"),
])
def test_delimiters(tmp_path, capsys, delimiter, argv, shown):
    X, y = _numbers()
    lines = [delimiter.join(["a", "b", "c", "y"])]
    lines += [delimiter.join(f"{v:.3f}" for v in row) for row in np.column_stack([X, y])]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--cv", "0", *argv])
    assert doc["data"]["delimiter"] == shown
    assert doc["data"]["delimiter_detected"] == (argv == [])
    assert doc["data"]["features"] == ["a", "b", "c"]
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-12)


def test_semicolon_file_with_decimal_commas(tmp_path, capsys):
    X, y = _numbers()
    rows = [";".join(f"{v:.3f}".replace(".", ",") for v in row)
            for row in np.column_stack([X, y])]
    path = _write(tmp_path, "a;b;c;y\n" + "\n".join(rows) + "\n", "european.csv")
    assert main(["diagnose", str(path), "--target", "y", "--quiet"]) == 1
    assert "add --decimal ','" in capsys.readouterr().err
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--decimal", ",", "--cv", "0"])
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-12)


def test_encoding(tmp_path, capsys):
    X, y = _numbers()
    text = "température,b,c,y\n" + "\n".join(",".join(map(str, r)) for r in
                                              np.column_stack([X, y]))
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("latin-1"))
    assert main(["diagnose", str(path), "--target", "y", "--quiet"]) == 1
    assert "--encoding latin-1" in capsys.readouterr().err
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--encoding", "latin-1",
                         "--cv", "0"])
    assert doc["data"]["features"][0] == "température"


def test_string_columns_are_one_hot_encoded(tmp_path, capsys):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.standard_normal(40),
                          "color": rng.choice(["red", "green", "blue"], 40),
                          "y": rng.standard_normal(40)})
    path = tmp_path / "strings.csv"
    frame.to_csv(path, index=False)
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--cv", "0"])
    assert doc["data"]["features"] == ["x", "color=green", "color=red"]
    reference = pd.get_dummies(frame[["x", "color"]], drop_first=True, dtype=float)
    np.testing.assert_allclose(doc["spectrum"]["singular_values"],
                               _svd(reference.to_numpy()), rtol=1e-12)
    assert any("'blue' dropped" in note for note in doc["data"]["notes"])
    assert main(["diagnose", str(path), "--target", "y", "--cv", "0"]) == 0
    assert "one-hot encoded into color=green, color=red" in capsys.readouterr().out
    # Without an intercept nothing absorbs a level: all three are kept.
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--cv", "0",
                         "--no-intercept"])
    assert doc["data"]["features"] == ["x", "color=blue", "color=green", "color=red"]


def test_chunks_and_old_mac_line_endings(tmp_path, capsys, monkeypatch):
    import sklearn_pinv._cli_read as reader

    monkeypatch.setattr(reader, "CHUNK_ROWS", 4)  # many chunks of a small file
    X, y = _numbers()
    rows = [",".join(f"{v:.3f}" for v in row) for row in np.column_stack([X, y])]
    # "\r" alone ends the lines: the row estimate (newlines) is far too small.
    path = tmp_path / "mac.csv"
    path.write_bytes(("a,b,c,y\r" + "\r".join(rows) + "\r").encode())
    doc = _json(capsys, ["diagnose", str(path), "--target", "y", "--cv", "0"])
    assert doc["data"]["rows"] == 30
    np.testing.assert_allclose(doc["spectrum"]["singular_values"], _svd(X), rtol=1e-12)
    # A typo in a later chunk is reported with its row number.
    rows[21] = rows[21].replace(rows[21].split(",")[1], "3.1.4", 1)
    path.write_text("a,b,c,y\n" + "\n".join(rows) + "\n")
    assert main(["diagnose", str(path), "--target", "y", "--quiet"]) == 1
    assert "column 'b' is not numeric: data row 22 holds '3.1.4'" in capsys.readouterr().err


def test_subsampled_cross_validation_is_stated(diabetes_csv, capsys):
    argv = ["diagnose", str(diabetes_csv), "--target", "y", "--cv", "3", "--cv-rows", "100"]
    doc = _json(capsys, argv)
    assert doc["cv"]["n_samples"] == 100 and doc["cv"]["n_total"] == 442
    np.testing.assert_allclose(doc["spectrum"]["singular_values"],
                               _svd(load_diabetes().data), rtol=1e-10)  # all rows
    assert main(argv) == 0
    assert "a random subsample of 100 of the 442 rows" in capsys.readouterr().out


@pytest.fixture
def filip_csv(tmp_path):
    # NIST Filip's design: PinvRegressor warns that its coefficients lost digits.
    x = np.linspace(-9, -3, 40)
    X = np.column_stack([x**k for k in range(1, 11)])
    path = tmp_path / "filip.csv"
    header = ",".join([f"p{k}" for k in range(1, 11)] + ["y"])
    np.savetxt(path, np.column_stack([X, np.sin(x)]), delimiter=",", header=header,
               comments="", fmt="%.17g")
    return path


def test_warnings_go_into_the_report(filip_csv, capsys):
    assert main(["diagnose", str(filip_csv), "--target", "y", "--cv", "2"]) == 0
    out, err = capsys.readouterr()
    assert "Warning" not in err  # progress lines only
    assert "\nwarnings\n--------\nAccuracyWarning (x" in out
    doc = _json(capsys, ["diagnose", str(filip_csv), "--target", "y", "--cv", "2", "--quiet"])
    assert capsys.readouterr().err == ""
    assert any(w["category"] == "AccuracyWarning" and w["count"] >= 1 for w in doc["warnings"])


def test_quiet_without_cv(diabetes_csv, capsys):
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "CV R2" not in out


def test_flags_disagreement_counting_from_one(tmp_path, capsys):
    x = np.linspace(0, 1, 30)
    X = np.vander(x, 14, increasing=True)[:, 1:]
    header = ",".join([f"p{j}" for j in range(1, 14)] + ["t"])
    path = tmp_path / "poly.csv"
    np.savetxt(path, np.column_stack([X, np.sin(4 * x)]), delimiter=",", header=header,
               comments="", fmt="%.17g")
    doc = _json(capsys, ["diagnose", str(path), "--target", "t", "--cv", "0"])
    s = _svd(X)
    numbers = [d["number"] for d in doc["disputed_singular_values"]]
    ranks = [p["rank"] for p in doc["policies"]]
    assert numbers == list(range(min(ranks) + 1, max(ranks) + 1))  # s_(r+1) .. s_R
    np.testing.assert_allclose([d["value"] for d in doc["disputed_singular_values"]],
                               s[min(ranks):max(ranks)], rtol=1e-6)
    assert main(["diagnose", str(path), "--target", "t", "--cv", "0"]) == 0
    out = capsys.readouterr().out
    assert f"DISAGREE" in out and f"s{min(ranks) + 1} = " in out


def test_plot_writes_png(diabetes_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "spectrum.png"
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0",
                 "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("plot, message", [
    ("missing_dir/s.png", "does not exist"),
    ("s.foo", "unknown extension '.foo'"),
    ("s", "unknown extension '(none)'"),
    (".", "is a directory"),
])
def test_plot_problems_fail_before_reading(tmp_path, capsys, monkeypatch, plot, message):
    pytest.importorskip("matplotlib")
    import sklearn_pinv._cli_read as reader

    monkeypatch.setattr(reader, "load", lambda *a, **k: pytest.fail("read before checking"))
    monkeypatch.chdir(tmp_path)
    assert main(["diagnose", "data.csv", "--target", "y", "--plot", plot]) == 1
    assert message in capsys.readouterr().err


def test_plot_without_matplotlib(diabetes_csv, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--plot", "s.png"]) == 1
    err = capsys.readouterr().err
    assert "--plot needs matplotlib: pip install 'sklearn-pinv[plot]'" in err
    assert "read" not in err.replace("sklearn-pinv", "")  # nothing read or computed


def test_without_pandas_one_line(diabetes_csv, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert main(["diagnose", str(diabetes_csv), "--target", "y"]) == 1
    assert capsys.readouterr().err.strip() == (
        "sklearn-pinv: error: diagnose reads CSV files with pandas: "
        "pip install 'sklearn-pinv[cli]' (or pip install pandas)")


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"sklearn-pinv {sklearn_pinv.__version__}"


IDS = "id,y\n" + "".join(f"name{i},{i}\n" for i in range(60))


@pytest.mark.parametrize(
    "text, argv, message",
    [
        (None, [], "file not found"),
        ("", [], "is empty"),
        ("a,b,y\n", [], "no data rows"),
        ("a,b,y\n1,2,3\n", ["--target", "z"], "no column 'z'"),
        ("a,b,yy\n1,2,3\n", ["--target", "y"], "did you mean 'yy'?"),
        ("a;b;y\n1;2;3\n", ["--delimiter", ","], "try --delimiter ';'"),
        ("a,b,y\n1,2,3\n4,5,oops\n", [], "target column 'y' is not numeric: data row 2"),
        ("a,b,y\n1,x,3\n2,3,4\n3,4,5\n", [], "column 'b' is not numeric: data row 1 holds 'x'"),
        ("a,b,y\n1,2,3\n4,,6\n7,8,NA\n9,10,11\n", [], "data rows 2, 3 (1-based"),
        ("a,b,y\n1,2,3\n4,,6\n7,8,NA\n9,10,11\n", [], "columns b, y"),
        ("a,b,y\n1,2,3\n4,5,6,7\n", [], "line 3, saw 4"),
        ("a,b,y\n1,2,3\n4,5\n", [], "data rows 2 (1-based"),
        ("y\n1\n2\n", [], "no feature columns"),
        ("a,y\n1,2\n2,3\n", [], "--cv 5 needs at least 5 rows"),
        ("a,a,y\n1,2,3\n", [], "column name 'a' appears more than once"),
        (IDS, [], "column 'id' holds 60 distinct texts"),
        ("a,b,y\n1,2,3\n", ["--delimiter", ""], "--delimiter is empty"),
        ("a,b,y\n1,2,3\n", ["--delimiter", "\n"], "cannot separate fields"),
        ("a,b,y\n1,2,3\n", ["--decimal", ","], "--decimal ',' must be one character other"),
        ("a,b,y\n1,2,3\n", ["--encoding", "nope"], "unknown encoding 'nope'"),
        ("a,b,y\n1,2,3\n", ["--features", "q"], "no column (from --features) 'q'"),
        ("a,b,y\n1,2,3\n", ["--drop", "q"], "no column (from --drop) 'q'"),
        ("a,b,y\n1,2,3\n", ["--index-col", "q"], "no column (from --index-col) 'q'"),
        ("a,b,y\n1,2,3\n", ["--features", "a", "y"], "column 'y' is given with --features"),
        ("a,b,y\n1,2,3\n", ["--drop", "y"], "target 'y' is also given with --drop"),
        ("a,b,y\n1,2,3\n", ["--cv", "1"], "--cv must be 0"),
        ("a,b,y\n1,2,3\n", ["--cv-rows", "1"], "--cv-rows must be 0"),
    ],
)
def test_clean_errors(tmp_path, capsys, text, argv, message):
    path = tmp_path / "missing.csv" if text is None else _write(tmp_path, text)
    if "--target" not in argv:
        argv = argv + ["--target", "y"]
    assert main(["diagnose", str(path), *argv, "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert message in err
    assert err.startswith("sklearn-pinv: error:") and err.count("\n") == 1
    assert "Traceback" not in err and out == ""


def test_missing_target_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["diagnose", "data.csv"])
    assert exc.value.code == 2
    assert "--target" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--delimiter", "\\t"], ["--delimiter", ";;"],
                                  ["--delimiter", "tab"]])
def test_module_entry_point_has_no_traceback(tmp_path, argv):
    path = _write(tmp_path, "a,y\n1,\n2,3\n")
    run = subprocess.run(
        [sys.executable, "-m", "sklearn_pinv", "diagnose", str(path), "--target", "y", *argv],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stderr.count("sklearn-pinv: error:") == 1


def test_plot_marks_the_gcv_and_lcurve_picks(diabetes_csv, tmp_path, capsys, monkeypatch):
    figure = pytest.importorskip("matplotlib.figure")
    saved = []
    monkeypatch.setattr(figure.Figure, "savefig",
                        lambda fig, *a, **k: saved.append(fig))
    assert main(["diagnose", str(diabetes_csv), "--target", "y", "--cv", "0",
                 "--format", "json", "--plot", str(tmp_path / "s.png")]) == 0
    report = json.loads(capsys.readouterr().out)
    [fig] = saved
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    picks = report["picks"] if "picks" in report else report
    assert any("GCV" in t for t in texts) and any("L-curve" in t for t in texts)
    vertical = [line.get_xdata()[0] for line in fig.axes[0].get_lines()
                if len(set(line.get_xdata())) == 1 and len(line.get_xdata()) == 2]
    assert picks["gcv_rank"] + 0.5 in vertical
