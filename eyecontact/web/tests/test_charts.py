"""Charts drawn by the app: bars in HTML, lines in inline SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eyecontact.web.charts import Series, bar_chart, line_chart, stacked_bars


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  # our own markup, not untrusted input


def parts(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter("span") if e.get("class") == "bars-part"]


def width(part: ET.Element) -> float:
    style = dict(item.split(": ") for item in (part.get("style") or "").split("; ") if ": " in item)
    return float(style["width"].rstrip("%"))


class ChartTests:
    def test_stacked_bars_write_each_share_and_escape_labels(self) -> None:
        html = stacked_bars(
            title="Met <before>",
            categories=["LinkedIn", "X & friends"],
            series=[Series("Met", [3, 1]), Series("Never", [1, 1])],
        )
        root = parse(html)
        assert root.get("aria-label") == "Met <before>"
        assert root.get("role") == "img"
        assert "X &amp; friends" in html
        shown = [(p.get("title"), p.text, width(p)) for p in parts(root)]
        assert shown == [
            ("Met: 3 (75%)", "75%", 75.0),
            ("Never: 1 (25%)", "25%", 25.0),
            ("Met: 1 (50%)", "50%", 50.0),
            ("Never: 1 (50%)", "50%", 50.0),
        ]

    def test_the_key_names_each_series_in_its_bars_colour_or_is_left_to_the_page(self) -> None:
        series = [Series("Met <in person>", [3]), Series("Never", [1])]
        root = parse(stacked_bars(title="Met", categories=["All"], series=series))
        colours = [
            dict(item.split(": ") for item in (part.get("style") or "").split("; "))["background"]
            for part in parts(root)
        ]
        (key,) = [e for e in root.iter("ul") if e.get("class") == "chart-key"]
        assert key.get("aria-hidden") == "true"  # each part's title names its series
        items = [("".join(li.itertext()), span.get("style")) for li in key for span in li]
        assert items == [
            ("Met <in person>", f"background: {colours[0]}"),
            ("Never", f"background: {colours[1]}"),
        ]
        page_drawn = parse(
            stacked_bars(title="Met", categories=["All"], series=series, legend=False)
        )
        assert not list(page_drawn.iter("ul"))

    def test_a_part_too_narrow_for_its_share_is_named_on_hover_only(self) -> None:
        """A bar fits a phone's width without scrolling: a sliver of it has no room for its
        percentage, which would spill or be cut, so it is left to the part's title."""
        root = parse(
            stacked_bars(
                title="Shares",
                categories=["All"],
                series=[Series("Most", [95]), Series("Few", [5])],
            )
        )
        few = parts(root)[1]
        assert few.get("title") == "Few: 5 (5%)" and not few.text
        assert width(few) == 5.0

    def test_each_part_is_written_in_whichever_of_black_or_white_reads_better(self) -> None:
        root = parse(
            stacked_bars(
                title="Inks",
                categories=["All"],
                series=[Series("Blue", [1], "#0072B2"), Series("Orange", [1], "#E69F00")],
            )
        )
        inks = [(p.get("style") or "").rsplit("color: ", 1)[1] for p in parts(root)]
        assert inks == ["#fff", "#000"]

    def test_a_bar_chart_handles_all_zero_values(self) -> None:
        root = parse(bar_chart(title="Nothing yet", categories=["a", "b"], values=[0, 0]))
        assert parts(root) == []

    def test_a_bar_chart_draws_every_bar_to_one_scale_and_writes_its_value(self) -> None:
        root = parse(bar_chart(title="Touches a year", categories=["a", "b"], values=[4, 2]))
        assert [width(p) for p in parts(root)] == [100.0, 50.0]
        values = [e.text for e in root.iter("span") if e.get("class") == "bars-value"]
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
