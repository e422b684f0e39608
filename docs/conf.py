"""Sphinx configuration: numpydoc API pages and a sphinx-gallery over ../examples.

Built by ``make docs`` with warnings as errors, offline: intersphinx reads
the inventories stored in ``_intersphinx/`` (refreshed by the script there),
and MathJax is served from the built site itself (``sphinx-mathjax-offline``
copies it into ``_static/mathjax``), so formulas render without a CDN.
"""

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the gallery renders to files, never to a window

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "_intersphinx"))
import sklearn_pinv  # noqa: E402
from inventories import intersphinx_mapping as _stored_inventories  # noqa: E402

project = "sklearn-pinv"
author = "The sklearn-pinv developers"
copyright = "The sklearn-pinv developers"
release = version = sklearn_pinv.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 from the package, not from a CDN
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
]

autosummary_generate = True
autosummary_ignore_module_all = False  # a module's page lists its __all__ only
numpydoc_show_class_members = False  # autosummary lists them; avoids duplicate targets
numpydoc_class_members_toctree = False
default_role = "literal"  # `x` in docstrings is code, not an unresolved reference

templates_path = ["_templates"]
exclude_patterns = ["_build", "_intersphinx", "gen_modules/backreferences",
                    "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip"]

# Local files only: the build must pass without network access.
intersphinx_mapping = _stored_inventories()
intersphinx_timeout = 5

# ``.. plot::`` in the user guide: run at build time, shown with its source.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 96)]
plot_rcparams = {"figure.figsize": (6.4, 3.6), "figure.autolayout": True}

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
    # "Examples using X" at the foot of each API page (see _templates/autosummary).
    "doc_module": ("sklearn_pinv",),
    "backreferences_dir": "gen_modules/backreferences",
    "reference_url": {"sklearn_pinv": None},  # link example code to our API pages
}
