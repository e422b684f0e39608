"""Sphinx configuration: numpydoc API pages and a sphinx-gallery over ../examples.

Built by ``make docs`` with warnings as errors. Nothing here reaches the
network (no intersphinx), so the build works offline.
"""

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the gallery renders to files, never to a window

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import sklearn_pinv  # noqa: E402

project = "sklearn-pinv"
author = "The sklearn-pinv developers"
copyright = "The sklearn-pinv developers"
release = version = sklearn_pinv.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

autosummary_generate = True
numpydoc_show_class_members = False  # autosummary lists them; avoids duplicate targets
numpydoc_class_members_toctree = False
default_role = "literal"  # `x` in docstrings is code, not an unresolved reference

templates_path = ["_templates"]
exclude_patterns = ["_build", "gen_modules/*.examples", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip"]

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-pinv {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []



def _escape_trailing_underscore_shapes(app, what, name, obj, options, lines):
    """``(n_features_in_,)`` in a type line reads as a link target to docutils."""
    for i, line in enumerate(lines):
        lines[i] = line.replace("(n_features_in_,)", "(``n_features_in_``,)")


def _skip_metadata_routing(app, what, name, obj, skip, options):
    """scikit-learn generates ``set_*_request`` methods; its docs describe them."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-process-docstring", _escape_trailing_underscore_shapes)
    app.connect("autodoc-skip-member", _skip_metadata_routing)


sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "plot_gallery": os.environ.get("SKLEARN_PINV_DOCS_PLOT", "True"),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "write_computation_times": False,  # no untracked sg_execution_times.rst
}
