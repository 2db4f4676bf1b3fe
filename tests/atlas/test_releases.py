"""A data release in plain words (drugatlas/atlas/releases.py): the changelog's line per source
and a state's digest line. (End to end: tests/fetch/test_release_flow.py.)"""
from __future__ import annotations

from django.utils import translation

from drugatlas.atlas import releases


def _source(new_periods=(), revised=(), states=0, places=0, status="changed", newest=None):
    return {"id": "s", "title": "Some counts", "url": "https://example.org", "status": status,
            "summary": {"new_periods": list(new_periods), "revised_periods": list(revised),
                        "states_updated": states, "places_updated": places,
                        "newest_period": {"old": None, "new": newest}}}


def test_source_lines_count_months_and_years_and_skip_sources_without_news():
    assert releases.source_text(_source(["2025-04"], ["2025-01", "2025-02"], 51, 52,
                                        newest="2025-04")) == \
        "Some counts through 2025-04: 51 states updated; 2 earlier months revised"
    # A calendar year revised with its December is one revision, not two.
    assert releases.source_text(_source(revised=["2023", "2023-12", "2022"])) == \
        "Some counts: 1 earlier month revised; 1 earlier year revised"
    assert releases.source_text(_source(["2024"], [], 0, 1, newest="2024")) == \
        "Some counts through 2024: 1 place updated"
    assert releases.source_text(_source(status="new")) == "Some counts: new source"
    assert releases.source_text(_source()) == ""  # only its retrieval date changed
    assert releases.news_sources({"sources": [_source(), _source(status="removed")]}) == \
        [_source(status="removed")]


def test_state_figures_take_each_states_headline_measure_in_its_newest_period():
    def measure(slug, *rows):
        return {"measure": slug, "new_figures": [
            {"place": p, "period": period, "value": v, "year_earlier": e} for p, period, v, e in rows]}

    changes = {"sources": [{"id": "vsrr", "measures": [
        measure("overdose_deaths_12mo_opioids", ("39", "2025-04", 2000, 2500)),
        measure("overdose_deaths_12mo_provisional", ("39", "2025-03", 3300, 4000),
                ("39", "2025-04", 3210, 3912), ("00", "2025-04", 80000, 100000),
                ("39001", "2025-04", 12, 10)),
    ]}]}
    assert releases.state_figures(changes) == [
        {"place": "39", "source": "vsrr", "measure": "overdose_deaths_12mo_provisional",
         "period": "2025-04", "value": 3210, "year_earlier": 3912}]


def test_figure_line_in_english_and_spanish():
    figure = {"measure": "overdose_deaths_12mo_provisional", "period": "2025-04", "value": 3210,
              "year_earlier": 3912}
    assert releases.figure_text("Ohio", figure) == \
        "Ohio: overdose deaths in the 12 months to 2025-04: 3,210, down 18% on a year earlier"
    with translation.override("es"):
        assert releases.figure_text("Ohio", figure) == (
            "Ohio: muertes por sobredosis en los 12 meses hasta 2025-04: 3,210, 18% menos que "
            "un año antes")
    arrests = {"measure": "drug_arrests", "period": "2024", "value": 1000, "year_earlier": None}
    assert releases.figure_text("Ohio", arrests).startswith("Ohio: ")
    assert releases.figure_text("Ohio", arrests).endswith(", 2024: 1,000")
