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
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
import zlib
from pathlib import Path

import pytest

import sklearn_pinv
from sklearn_pinv import datasets, tolerance

ROOT = Path(__file__).resolve().parents[1]
SLOW = os.environ.get("SKLEARN_PINV_SLOW", "") not in ("", "0")


def _pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest depends on the same parser there
        import tomli as tomllib
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
    assert any(req.startswith("pandas") for req in extras["cli"])  # diagnose reads CSVs
    assert project["scripts"]["sklearn-pinv"] == "sklearn_pinv._cli:main"


def _documented_names():
    text = (ROOT / "docs" / "api.rst").read_text()
    return set(re.findall(r"^   ([A-Za-z_][A-Za-z0-9_]*)$", text, flags=re.MULTILINE))


def test_api_reference_lists_every_public_name():
    documented = _documented_names()
    modules = {"tolerance", "alpha_rules", "datasets"}
    public = {n for n in sklearn_pinv.__all__ if n not in {"__version__"} | modules}
    assert public - documented == set(), "add these to docs/api.rst"
    for module in modules:
        names = set(getattr(sklearn_pinv, module).__all__)
        assert names - documented == set(), "add these to docs/api.rst"


def test_api_reference_lists_nothing_outside_all():
    # Module-level helpers (np, dataclass, Integral, ...) must never reach the docs.
    text = (ROOT / "docs" / "api.rst").read_text()
    top, _, rest = text.partition(".. currentmodule:: sklearn_pinv.tolerance")
    policies, _, rest = rest.partition(".. currentmodule:: sklearn_pinv.alpha_rules")
    rules, _, problems = rest.partition(".. currentmodule:: sklearn_pinv.datasets")
    names = re.compile(r"^   ([A-Za-z_][A-Za-z0-9_]*)$", flags=re.MULTILINE)
    assert set(names.findall(top)) <= set(sklearn_pinv.__all__)
    assert set(names.findall(policies)) <= set(tolerance.__all__)
    assert set(names.findall(rules)) <= set(sklearn_pinv.alpha_rules.__all__)
    assert set(names.findall(problems)) <= set(sklearn_pinv.datasets.__all__)


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
                     "sklearn_pinv/_plot/__init__.py", "sklearn_pinv/__main__.py"):
        assert f"{top}/{required}" in names
    assert not any(".venv" in n or "_build" in n or "__pycache__" in n for n in names)
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(f"sklearn_pinv-{version}.dist-info/METADATA").decode()
        entry_points = zf.read(f"sklearn_pinv-{version}.dist-info/entry_points.txt").decode()
    assert "License-Expression: BSD-3-Clause" in metadata
    for extra in ("plot", "dask", "docs", "test"):
        assert f"Provides-Extra: {extra}" in metadata
    assert "sklearn-pinv = sklearn_pinv._cli:main" in entry_points

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


def _inventory_names(path):
    # objects.inv v2: four header lines, then zlib-compressed "name domain:role ..." lines.
    header, _, body = path.read_bytes().partition(b"zlib.\n")
    assert header.startswith(b"# Sphinx inventory version 2"), path
    return {line.split(" ", 1)[0] for line in zlib.decompress(body).decode().splitlines()}


def test_docs_link_other_projects_through_stored_inventories():
    sys.path.insert(0, str(ROOT / "docs" / "_intersphinx"))
    try:
        from inventories import intersphinx_mapping
    finally:
        sys.path.pop(0)
    mapping = intersphinx_mapping()
    assert {"sklearn", "numpy", "scipy"} <= set(mapping)
    for name, (url, stored) in mapping.items():
        assert url.startswith("https://") and Path(stored).is_file(), name
    wanted = {"sklearn": "sklearn.linear_model.Ridge", "numpy": "numpy.linalg.pinv",
              "scipy": "scipy.linalg.pinv", "matplotlib": "matplotlib.axes.Axes"}
    for name, obj in wanted.items():
        assert obj in _inventory_names(Path(mapping[name][1])), (name, obj)


def _offline(cmd):
    """``cmd`` in a network namespace with no interface but loopback, when possible."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *cmd]
    return cmd


@pytest.mark.skipif(not SLOW, reason="slow (~30 s): set SKLEARN_PINV_SLOW=1")
def test_docs_build_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    # The gallery writes its generated pages under docs/ (git-ignored). No
    # network: an inventory or asset fetched from the web would fail under -W.
    run = subprocess.run(
        _offline([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                  "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "html")]),
        capture_output=True, text=True, timeout=900, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    html = tmp_path / "html"
    for page in ("index.html", "api.html", "user_guide/tolerance.html", "comparison.html",
                 "changelog.html", "auto_examples/plot_00_quickstart_diabetes.html",
                 "auto_examples/plot_07_spectrum_picard_lcurve.html"):
        assert (html / page).is_file()
    _assert_offline_site(html)


def _assert_offline_site(html):
    pages = {p.relative_to(html).as_posix(): p.read_text() for p in html.rglob("*.html")}
    # Nothing a page loads (scripts, stylesheets, fonts, images) comes from the web.
    remote = re.compile(r"<(?:script|img)[^>]*\bsrc=\"(?:https?:)?//|"
                        r"<link[^>]*\bhref=\"(?:https?:)?//[^>]*>")
    assert not {name for name, text in pages.items() if remote.search(text)}
    # Maths is typeset by the MathJax copied into the site.
    tolerance_page = pages["user_guide/tolerance.html"]
    assert r"\(\max(m,n)" in tolerance_page.replace(" ", "")
    assert 'src="../_static/mathjax/tex-chtml.js"' in tolerance_page
    assert (html / "_static" / "mathjax" / "tex-chtml.js").stat().st_size > 100_000
    # Intersphinx links, figures in the guide, examples on the API pages.
    assert "https://scikit-learn.org/stable/modules/generated/sklearn.linear_model.Ridge" \
        in pages["index.html"]
    assert 'class="plot-directive" src="../_images/tikhonov-1.png"' \
        in pages["user_guide/tikhonov.html"]
    assert "Examples using" in pages["gen_modules/sklearn_pinv.PinvRegressor.html"]
    assert "plot_00_quickstart_diabetes" in pages["gen_modules/sklearn_pinv.PinvRegressor.html"]
