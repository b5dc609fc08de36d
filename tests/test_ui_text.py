"""User text in Markdown shows as written."""

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cpsu.ui.text import plain

HOSTILE_NAME = "**BOLD** :red[RED] ![i](http://127.0.0.1:9/i.png) [x](y) $x^2$.xlsx"


def rendered_text(markdown: str) -> str:
    """What a CommonMark renderer shows, tags stripped."""
    tokens = MarkdownIt("commonmark").parseInline(markdown)
    return "".join(
        child.content
        for token in tokens
        for child in token.children or []
        if child.type == "text"
    )


def test_a_hostile_file_name_shows_as_written():
    assert rendered_text(plain(HOSTILE_NAME)) == HOSTILE_NAME


@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"])))
def test_any_ascii_text_renders_as_itself(text):
    assert rendered_text(plain(text)) == " ".join(text.split("\n"))
