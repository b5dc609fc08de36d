"""A chart drawn as a page draws it: the spec a page hands to Streamlit,
prepared by Streamlit's own code (which chooses how the chart is fitted to
its element), stretched to a column's width and rendered by vl_convert to
SVG, where the plot's size and the texts' positions can be read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

import vl_convert
from streamlit.elements.vega_charts import _prepare_vega_lite_spec

_SVG = "{http://www.w3.org/2000/svg}"
_TRANSLATE = re.compile(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)")
# The plot's background: the first group's rectangle, "M0,0h<width>v<height>".
_PLOT = re.compile(r'class="background"[^>]*d="M0,0h([\d.]+)v([\d.]+)')


@dataclass(frozen=True)
class Text:
    """A text the drawing shows, where it is anchored in the picture (at its
    start, middle or end, as `anchor` says)."""

    text: str
    x: float
    y: float
    anchor: str


@dataclass(frozen=True)
class Drawn:
    width: float
    height: float
    plot_left: float
    plot_top: float
    plot_width: float
    plot_height: float
    texts: tuple[Text, ...]


def drawn_on_page(spec: dict[str, Any], width: int) -> Drawn:
    """`spec` as Streamlit shows it stretched to a column `width` pixels wide."""
    prepared = _prepare_vega_lite_spec(spec, use_container_width=True)
    # The page's element takes the column's width, as the browser sets it.
    prepared["width"] = width
    svg = vl_convert.vegalite_to_svg(prepared)
    root = ElementTree.fromstring(svg)
    plot = _PLOT.search(svg)
    assert plot is not None, "no plot in the drawing"
    # The drawing's first group sits at the plot's top left corner.
    origin = _TRANSLATE.search(svg)
    assert origin is not None
    texts: list[Text] = []
    _collect(root, 0.0, 0.0, texts)
    return Drawn(
        width=float(root.get("width")),
        height=float(root.get("height")),
        plot_left=float(origin.group(1)),
        plot_top=float(origin.group(2)),
        plot_width=float(plot.group(1)),
        plot_height=float(plot.group(2)),
        texts=tuple(texts),
    )


def _collect(node: ElementTree.Element, x: float, y: float, out: list[Text]) -> None:
    moved = _TRANSLATE.search(node.get("transform", ""))
    if moved and node.tag != f"{_SVG}text":
        x, y = x + float(moved.group(1)), y + float(moved.group(2))
    if node.tag == f"{_SVG}text":
        at_x, at_y = (float(v) for v in moved.groups()) if moved else (0.0, 0.0)
        content = "".join(node.itertext())
        # A label left out where labels would overlap is drawn transparent.
        if content and node.get("opacity") != "0":
            out.append(
                Text(content, x + at_x, y + at_y, node.get("text-anchor", "start"))
            )
        return
    for child in node:
        _collect(child, x, y, out)
