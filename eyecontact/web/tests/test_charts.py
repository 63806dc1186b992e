"""Charts drawn as inline SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eyecontact.web.charts import Series, bar_chart, line_chart, stacked_bars


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  # our own markup, not untrusted input


class ChartTests:
    def test_stacked_bars_write_each_share_and_escape_labels(self) -> None:
        svg = stacked_bars(
            title="Met <before>",
            categories=["LinkedIn", "X & friends"],
            series=[Series("Met", [3, 1]), Series("Never", [1, 1])],
        )
        root = parse(svg)
        assert root.get("aria-label") == "Met <before>"
        assert "75%" in svg and "50%" in svg
        assert "X &amp; friends" in svg

    def test_a_bar_chart_handles_all_zero_values(self) -> None:
        parse(bar_chart(title="Nothing yet", categories=["a", "b"], values=[0, 0]))

    def test_a_bar_chart_draws_every_bar_to_one_scale_and_writes_its_value(self) -> None:
        root = parse(bar_chart(title="Touches a year", categories=["a", "b"], values=[4, 2]))
        widths = [float(rect.get("width", 0)) for rect in root.findall(".//rect")][:2]
        assert widths[0] == 2 * widths[1]
        values = [t.text for t in root.findall(".//text") if t.get("class") == "chart-value"]
        assert values == ["4", "2"]

    def test_a_step_line_chart_draws_one_line_per_series(self) -> None:
        svg = line_chart(
            title="Still in touch",
            series=[Series("Face to face", [1.0, 0.8, 0.5]), Series("Online", [1.0, 0.3])],
            x_values=[[0, 100, 400], [0, 50]],
            y_max=1.0,
            step=True,
            percent=True,
        )
        assert svg.count("<polyline") == 2
        assert "100%" in svg
        parse(svg)
