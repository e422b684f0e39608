"""Packaging: metadata, docs coverage, and (slow) a wheel installed into a fresh venv.

The fresh-venv test builds the sdist and wheel with ``python -m build``,
installs the wheel with ``--no-deps --no-index`` into a new virtual
environment whose dependencies come from this environment (a ``.pth`` file,
so nothing is downloaded), and runs ``sklearn-pinv demo`` from it. It takes
about a minute, so it runs only with ``SKLEARN_PINV_SLOW=1`` (``make test-packaging``), as does
the documentation build with warnings as errors (the same as ``make docs``).
"""

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

import sklearn_pinv
from sklearn_pinv import datasets, tolerance

ROOT = Path(__file__).resolve().parents[1]
SLOW = os.environ.get("SKLEARN_PINV_SLOW", "") not in ("", "0")


def _pyproject():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python >= 3.11")
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def test_metadata_declares_license_extras_and_script():
    project = _pyproject()
    assert project["license"] == "BSD-3-Clause"
    assert (ROOT / project["license-files"][0]).is_file()
    extras = project["optional-dependencies"]
    assert {"test", "plot", "dask", "docs"} <= set(extras)
    assert any(req.startswith("matplotlib") for req in extras["plot"])
    assert any(req.startswith("matplotlib") for req in extras["test"])
    assert project["scripts"]["sklearn-pinv"] == "sklearn_pinv.__main__:main"


def _documented_names():
    text = (ROOT / "docs" / "api.rst").read_text()
    return set(re.findall(r"^   ([A-Za-z_][A-Za-z0-9_]*)$", text, flags=re.MULTILINE))


def test_api_reference_lists_every_public_name():
    documented = _documented_names()
    modules = ("__version__", "tolerance", "datasets")
    public = {n for n in sklearn_pinv.__all__ if n not in modules}
    assert public - documented == set(), "add these to docs/api.rst"
    assert set(tolerance.__all__) - documented == set(), "add these to docs/api.rst"
    assert set(datasets.__all__) - documented == set(), "add these to docs/api.rst"


def test_examples_are_gallery_scripts():
    examples = sorted((ROOT / "examples").glob("plot_*.py"))
    assert len(examples) >= 8
    for path in examples:
        tree = ast.parse(path.read_text())
        doc = ast.get_docstring(tree)
        assert doc and "\n===" in doc, f"{path.name}: sphinx-gallery needs a titled docstring"


def _build(outdir):
    # Without network the isolated build cannot fetch setuptools; a recent
    # enough local setuptools builds the same artefacts in place.
    cmd = [sys.executable, "-m", "build", "--outdir", str(outdir)]
    try:
        local = tuple(int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    except importlib.metadata.PackageNotFoundError:
        local = (0, 0)
    if local >= (77, 0):
        cmd.append("--no-isolation")
    subprocess.run(cmd + [str(ROOT)], check=True, capture_output=True, text=True,
                   timeout=600)
    return next(outdir.glob("*.tar.gz")), next(outdir.glob("*.whl"))


def _fresh_venv(path):
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    python = path / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    # Dependencies (numpy, scipy, scikit-learn) from this environment: appended
    # after the venv's own site-packages, so the installed wheel wins.
    deps = sysconfig.get_paths()["purelib"]
    Path(site.stdout.strip(), "zz_dependencies.pth").write_text(deps + "\n")
    return python


@pytest.mark.skipif(not SLOW, reason="slow (~1 min): set SKLEARN_PINV_SLOW=1")
def test_wheel_installs_into_fresh_venv_and_runs_demo(tmp_path):
    pytest.importorskip("build")
    sdist, wheel = _build(tmp_path / "dist")
    version = sklearn_pinv.__version__
    assert wheel.name == f"sklearn_pinv-{version}-py3-none-any.whl"
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    top = f"sklearn_pinv-{version}"
    for required in ("LICENSE", "README.md", "pyproject.toml", "sklearn_pinv/__init__.py",
                     "sklearn_pinv/_plot.py", "sklearn_pinv/__main__.py"):
        assert f"{top}/{required}" in names
    assert not any(".venv" in n or "_build" in n or "__pycache__" in n for n in names)
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(f"sklearn_pinv-{version}.dist-info/METADATA").decode()
        entry_points = zf.read(f"sklearn_pinv-{version}.dist-info/entry_points.txt").decode()
    assert "License-Expression: BSD-3-Clause" in metadata
    for extra in ("plot", "dask", "docs", "test"):
        assert f"Provides-Extra: {extra}" in metadata
    assert "sklearn-pinv = sklearn_pinv.__main__:main" in entry_points

    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=300)
    where = subprocess.run([str(python), "-c", "import sklearn_pinv; print(sklearn_pinv.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.strip().startswith(str(tmp_path / "venv"))
    demo = subprocess.run([str(tmp_path / "venv" / "bin" / "sklearn-pinv"), "demo"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert demo.returncode == 0, demo.stderr
    assert "LinearRegression" in demo.stdout and "matlab" in demo.stdout


@pytest.mark.skipif(not SLOW, reason="slow (~30 s): set SKLEARN_PINV_SLOW=1")
def test_docs_build_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    # The gallery writes its generated pages under docs/ (git-ignored).
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=900, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for page in ("index.html", "api.html", "user_guide/tolerance.html",
                 "auto_examples/plot_07_spectrum_picard_lcurve.html"):
        assert (tmp_path / "html" / page).is_file()
