"""Sphinx configuration: MyST Markdown pages, the Furo theme, nothing fetched at build or view time.

Build: ``pip install -e '.[docs]' && sphinx-build -W docs docs/_build/html`` (``-W``: a warning is an error;
``.ci/run`` builds it so).
"""

from __future__ import annotations

from importlib.metadata import version as _version

project = "tradesim"
author = "tradesim developers"
copyright = "tradesim developers, MIT licence"  # noqa: A001 - Sphinx's name
release = _version("tradesim-bilateral")

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3  # "#json-output" links to a heading within a page
# headings are linked by name only inside a page; a console transcript with a quote in it is shown unlexed
suppress_warnings = ["myst.xref_missing", "misc.highlighting_failure"]

html_theme = "furo"
html_title = "tradesim"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": True}
html_last_updated_fmt = None
# offline: Furo uses the reader's system fonts; no analytics, no CDN, no remote search
