"""Sphinx configuration: API reference from docstrings, tutorials from tutorials/."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import neurokit_ai  # noqa: E402

project = "neurokit_ai"
author = "neurokit_ai developers"
copyright = "neurokit_ai developers"
release = neurokit_ai.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples"]
autosummary_generate = True
autosummary_ignore_module_all = False
autodoc_default_options = {"inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
default_role = "py:obj"
nitpicky = False
suppress_warnings = ["autosummary.import_cycle"]

intersphinx_mapping = {}

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "tutorials"),
    "gallery_dirs": "auto_tutorials",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "min_reported_time": 0,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
}

html_theme = "pydata_sphinx_theme"
html_title = f"neurokit_ai {release}"
html_theme_options = {"navigation_with_keys": False}
html_static_path = []


def _skip_sklearn_request_methods(app, what, name, obj, skip, options):
    """scikit-learn's generated ``set_*_request`` methods cite its own glossary."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_sklearn_request_methods)
