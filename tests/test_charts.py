"""The bureau's charts: SVG from the server, with no script and nothing fetched."""

from __future__ import annotations

import re

from directory.web.charts import SMALL, Line, line_chart


def test_a_chart_is_plain_svg_with_its_words_escaped():
    svg = line_chart(
        "机构数 <趋势>",
        ["2024", "2025", "2026"],
        [Line("机构", [3, 5, None])],
        threshold=Line("目标", [10, 10, 10]),
        size=SMALL,
    )

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-label="机构数 &lt;趋势&gt;"' in svg
    assert 'viewBox="0 0 420 260"' in svg
    assert "<script" not in svg and "<!--" not in svg
    assert set(re.findall(r"https?://[^\"' )<]+", svg)) == {"http://www.w3.org/2000/svg"}
    assert "2025" in svg and "目标" in svg


def test_the_same_chart_is_drawn_once():
    def draw():
        return line_chart("从业人员", ["2025", "2026"], [Line("人员", [50, 58])])

    assert draw() is draw()
