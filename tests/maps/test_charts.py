"""Server-rendered SVG charts: valid, accessible, honest about gaps, with law changes marked."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from drugatlas.maps.charts import (LawMark, Series, bar_chart, fmt, line_chart, nice_ticks,
                                   year_position)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def arrests_chart(**kwargs):
    return line_chart(
        "arrests", "Drug arrests in Oregon", "Arrests",
        [Series("All drug arrests", {2019: 10_000, 2020: 8_000, 2021: None, 2022: 3_000,
                                     2023: 3_500}, frozenset({2022}), "low coverage"),
         Series("Possession", {2019: 7_000, 2020: 0})],
        [LawMark(dt.date(2021, 2, 1), "Possession: not criminalized"),
         LawMark(dt.date(2024, 9, 1), "Possession: misdemeanor"),
         LawMark(dt.date(2001, 1, 1), "Long before the data")], **kwargs)


def test_chart_is_well_formed_svg_named_by_its_title_and_description():
    root = parse(arrests_chart().svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "arrests-title arrests-desc"
    assert root.find(f"{SVG}title").text == "Drug arrests in Oregon"
    desc = root.find(f"{SVG}desc").text
    assert "All drug arrests: 10,000 in 2019, 3,500 in 2023, highest 10,000 in 2019." in desc
    assert "Law changes marked: 2021-02-01 Possession: not criminalized" in desc


def test_axes_are_labelled():
    texts = [t.text for t in parse(arrests_chart().svg).iter(f"{SVG}text")]
    assert "Arrests" in texts and "Year" in texts
    assert "10,000" in texts and "0" in texts  # y ticks from zero
    assert "2019" in texts and "2023" in texts


def test_law_changes_are_vertical_lines_with_labels_and_only_inside_the_years():
    chart = arrests_chart()
    marks = [g for g in parse(chart.svg).iter(f"{SVG}g") if g.get("class") == "law-mark"]
    labels = [g.find(f"{SVG}title").text for g in marks]
    # 2024-09-01 is within two years of the last value, so the chart stretches to show it;
    # 2001 is far outside the data and is left off (the timeline on the page lists it).
    assert labels == ["1. 2021-02-01: Possession: not criminalized",
                      "2. 2024-09-01: Possession: misdemeanor"]
    assert [g.find(f"{SVG}text").text for g in marks] == ["1", "2"]  # numbered, explained below
    line = marks[0].find(f"{SVG}line")
    assert line.get("x1") == line.get("x2")  # vertical
    assert [m.label for m in chart.marks] == ["Possession: not criminalized",
                                              "Possession: misdemeanor"]


def test_changes_on_one_date_share_a_line():
    chart = line_chart("s", "Same day", "Arrests", [Series("All", {2020: 1, 2021: 2})],
                       [LawMark(dt.date(2021, 2, 1), "B"), LawMark(dt.date(2021, 2, 1), "A"),
                        LawMark(dt.date(2020, 6, 1), "C")])
    marks = [g for g in parse(chart.svg).iter(f"{SVG}g") if g.get("class") == "law-mark"]
    assert [g.find(f"{SVG}text").text for g in marks] == ["1", "2,3"]
    assert [m.label for m in chart.marks] == ["C", "A", "B"]


def test_a_date_known_to_the_year_says_only_the_year():
    chart = line_chart("y", "Years", "Arrests", [Series("All", {2013: 1, 2015: 2})],
                       [LawMark(dt.date(2014, 1, 1), "Legal for adults", when="2014")])
    assert "1. 2014: Legal for adults" in chart.svg
    assert "2014-01-01" not in chart.svg
    assert chart.marks[0].shown_date == "2014"


def test_a_missing_year_breaks_the_line_and_is_no_data_in_the_table():
    chart = arrests_chart()
    lines = [p for p in parse(chart.svg).iter(f"{SVG}polyline")]
    # "All drug arrests" is split at 2021 into two runs; "Possession" is one run.
    assert len(lines) == 3
    rows = {row[0]: row[1:] for row in chart.table.rows}
    assert rows["2021"] == ("no data", "—")
    assert rows["2020"] == ("8,000", "0")  # zero is a value
    assert rows["2022"] == ("3,000 (low coverage)", "—")
    assert chart.table.headers == ("Year", "All drug arrests", "Possession")
    assert chart.notes == ("Hollow points: low coverage.",)


def test_flagged_points_are_hollow():
    root = parse(arrests_chart().svg)
    circles = {c.find(f"{SVG}title").text: c.get("fill") for c in root.iter(f"{SVG}circle")}
    assert circles["All drug arrests, 2022: 3,000 (low coverage)"] == "#fff"
    assert circles["All drug arrests, 2019: 10,000"] != "#fff"


def test_series_without_values_stays_in_the_table_but_is_not_drawn():
    chart = line_chart("d", "Deaths", "Deaths", [
        Series("Total", {2022: 100, 2023: 120}),
        Series("Heroin", {2023: None}, notes={2023: "suppressed"})])
    assert "Heroin" not in chart.svg
    assert dict((r[0], r[1:]) for r in chart.table.rows)["2023"] == ("120", "no data (suppressed)")


def test_empty_chart():
    chart = line_chart("e", "Nothing", "Arrests", [Series("All", {})])
    assert chart.empty and chart.svg == ""


def test_bar_chart_with_reference_line_hatching_and_no_data_stub():
    chart = bar_chart("cov", "Coverage", "Percent", {2019: 95.0, 2020: None, 2021: 40.0},
                      frozenset({2021}), "under half covered", (50, "half the residents"))
    root = parse(chart.svg)
    bars = {r.find(f"{SVG}title").text: r.get("fill") for r in root.iter(f"{SVG}rect")
            if r.find(f"{SVG}title") is not None}
    assert bars["2021: 40 (under half covered)"] == "url(#cov-hatch)"
    assert bars["2019: 95"].startswith("#")
    assert "2020: no data" in chart.svg  # a labelled stub, not a zero-height bar
    assert "half the residents" in chart.svg
    assert dict((r[0], r[1]) for r in chart.table.rows)["2020"] == "no data"


def test_text_is_escaped():
    chart = line_chart("x", "A <b> & C", "Y", [Series("<script>", {2020: 1})])
    root = parse(chart.svg)
    assert root.find(f"{SVG}title").text == "A <b> & C"
    assert "<script>" not in chart.svg


def test_year_position_and_formatting():
    assert year_position(dt.date(2021, 1, 1)) == 2021
    assert 2021.08 < year_position(dt.date(2021, 2, 1)) < 2021.09
    assert fmt(None) == "no data" and fmt(0) == "0" and fmt(1234.56, 1) == "1,234.6"


@given(st.floats(min_value=0.001, max_value=1e7, allow_nan=False))
def test_nice_ticks_start_at_zero_and_cover_the_top(top):
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top
    assert 2 <= len(ticks) <= 7
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1  # evenly spaced


@given(st.dictionaries(st.integers(1980, 2030),
                       st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), max_size=30))
def test_any_series_gives_well_formed_svg(values):
    chart = line_chart("h", "Any", "Value", [Series("S", values)],
                       [LawMark(dt.date(2010, 5, 1), "A change")])
    if any(v is not None for v in values.values()):
        parse(chart.svg)
        assert len(chart.table.rows) == len(values)
    else:  # nothing to draw: no chart at all, rather than an empty frame
        assert chart.empty


def test_narrow_drawing_keeps_labels_inside_and_names_series_in_a_key():
    chart = line_chart(
        "long", "Arrests", "Arrests",
        [Series("All drug arrests", {y: 1000 + y for y in range(1986, 2025)}),
         Series("Possession", {y: 500 + y for y in range(1986, 2017)})])
    root = parse(chart.narrow_svg)
    assert root.get("id") == "long-narrow" and root.get("class") == "chart chart-narrow"
    assert root.get("aria-labelledby") == "long-narrow-title long-narrow-desc"
    width, height = (float(n) for n in root.get("viewBox").split()[2:])
    assert width == 360
    texts = [t for t in root.iter(f"{SVG}text")]
    years = [t.text for t in texts if t.text and t.text.isdigit() and len(t.text) == 4]
    assert years[-1] == "2024" and len(years) <= 6  # the last year, and few labels
    assert all(10 <= float(t.get("x")) <= width - 10 for t in texts if t.get("x"))
    assert all(float(t.get("y")) <= height for t in texts if t.get("y"))
    key = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "series-key"
           for t in g.iter(f"{SVG}text")]
    assert key == ["All drug arrests", "Possession"]
    assert not [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    # The wide drawing is unchanged: labels at the line ends, tooltips on points.
    wide = parse(chart.svg)
    assert wide.get("viewBox").split()[2] == "720"
    assert any(c.find(f"{SVG}title") is not None for c in wide.iter(f"{SVG}circle"))


def test_narrow_bar_chart_puts_the_reference_label_inside():
    chart = bar_chart("cov", "Coverage", "Percent", {y: 90.0 for y in range(2008, 2025)},
                      reference=(50, "half the residents"))
    root = parse(chart.narrow_svg)
    label = next(t for t in root.iter(f"{SVG}text") if t.text == "half the residents")
    assert label.get("text-anchor") == "end" and float(label.get("x")) <= 360


def test_description_speaks_of_one_basis_and_says_where_the_line_breaks():
    """A lone value of a newer basis (WV possession 2016) is said once, not as its own trend,
    and the earlier years counted another way are named as a break, not compared."""
    chart = line_chart("p", "Possession", "Arrests", [Series(
        "Possession", {2006: 5_000, 2007: 4_300, 2016: 6_474},
        basis={2006: "icpsr", 2007: "icpsr", 2016: "icpsr+statewide"})])
    desc = parse(chart.svg).find(f"{SVG}desc").text
    assert "Possession: 6,474 in 2016." in desc
    assert "highest" not in desc and desc.count("6,474") == 1
    assert "Other years of Possession were counted another way" in desc
