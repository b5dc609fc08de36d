"""User text shown through Markdown, escaped so it shows exactly as written.

Streamlit renders Markdown (and its own colour, icon and LaTeX directives) in
messages, captions, headings and tables. A file name or a cell value is the
user's text, not ours, so every Markdown character in it is escaped.
"""

from __future__ import annotations

import re

# ASCII punctuation that Markdown or Streamlit's directives give a meaning to.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=&])")


def plain(text: object) -> str:
    """The text with every Markdown character backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")
