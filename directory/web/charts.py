"""The bureau's charts: SVG drawn on the server by pygal and put into the page as it is.

pygal writes a `<script>` with its tooltip settings into every chart; it is removed, so a
chart needs no JavaScript and no asset from anywhere, and its numbers are in the page.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pygal
from markupsafe import Markup
from pygal.style import Style

# pygal puts a finder for its map plugins on sys.meta_path that lacks find_spec, so every
# later import that fails (openpyxl's optional numpy) warns. We draw no maps: take it off.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

_STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d1d1f",
    foreground_strong="#1d1d1f",
    foreground_subtle="#d6d8dc",
    guide_stroke_color="#e3e5e8",
    major_guide_stroke_color="#c4c7cc",
    stroke_width="2.5",
    colors=("#9c2a1f", "#0b57a4", "#17663a", "#8a4b00", "#5b2a86", "#555a60"),
    font_family='"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif',
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)
WIDE = (720, 320)  # the viewBox of a chart across the page; the page scales it to the screen
SMALL = (420, 260)  # of one in a card, so that its words stay legible when scaled down
_CHARTS_KEPT = 64  # drawn charts kept in memory, a few kilobytes each
_LABEL_WIDTH = 60  # viewBox units an x label needs; more labels would overlap


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    values: Sequence[float | None]


def _svg(chart: pygal.graph.graph.Graph, label: str) -> Markup:
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)  # the tooltip script, and pygal's comments
    root.set("role", "img")
    root.set("aria-label", label)
    return Markup(ET.tostring(root, encoding="unicode"))  # pygal escapes the text


def line_chart(
    title: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    *,
    threshold: Line | None = None,
    size: tuple[int, int] = WIDE,
) -> Markup:
    """Values over time (one label per point), one line each; `threshold` dashed, no dots.

    Drawing takes pygal tens of milliseconds a chart, and the figures change at most daily:
    the same chart is drawn once and kept.
    """
    frozen = tuple(Line(line.label, tuple(line.values)) for line in lines)
    limit = Line(threshold.label, tuple(threshold.values)) if threshold else None
    return _drawn(title, tuple(labels), frozen, limit, size)


@lru_cache(maxsize=_CHARTS_KEPT)
def _drawn(
    title: str,
    labels: tuple[str, ...],
    lines: tuple[Line, ...],
    threshold: Line | None,
    size: tuple[int, int],
) -> Markup:
    chart = pygal.Line(
        style=_STYLE,
        js=[],
        title=title,
        width=size[0],
        height=size[1],
        show_dots=len(labels) <= 40,
        dots_size=3,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_count=min(len(labels), size[0] // _LABEL_WIDTH),
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        include_x_axis=True,
        allow_interruptions=True,
    )
    chart.x_labels = list(labels)
    for line in lines:
        chart.add(line.label, list(line.values))
    if threshold is not None:
        chart.add(
            threshold.label,
            list(threshold.values),
            show_dots=False,
            stroke_style={"dasharray": "6,4"},
        )
    return _svg(chart, title)
