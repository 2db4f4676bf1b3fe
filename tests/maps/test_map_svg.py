"""The SVG choropleth writer: states and one state's counties."""
from __future__ import annotations

import re

from drugatlas.maps import svg


def test_states_map_draws_every_state_and_no_data_for_the_rest():
    markup = svg.render_choropleth(
        [svg.Area("41", "#2166ac", "Oregon: Misdemeanor", href="/states/or/",
                  data={"abbr": "OR"})],
        title="Possession <law>", description="One state has data.", abbrs={"41": "OR"})
    assert markup.startswith('<svg class="choropleth states" id="map" viewBox="0 0 975 610"')
    assert 'aria-labelledby="map-title map-desc"' in markup
    assert "<title id=\"map-title\">Possession &lt;law&gt;</title>" in markup
    assert '<a href="/states/or/" aria-label="Oregon: Misdemeanor" fill="#2166ac" data-abbr="OR">' in markup
    assert len(re.findall(r'id="map-p\d\d"', markup)) == 51
    # The other 50 are drawn with the no-data pattern and say so.
    assert markup.count('fill="url(#map-nodata)"') >= 50
    assert 'aria-label="Texas: No data"' in markup


def test_small_states_get_labelled_callout_boxes_outside_their_links():
    markup = svg.render_choropleth([], title="t", abbrs={"11": "DC"})
    dc = re.search(r'<g role="img" aria-label="District of Columbia: No data".*?</g>', markup).group(0)
    assert '<rect class="callout"' in dc
    assert '<g class="callout-labels" aria-hidden="true">' in markup and ">DC</text>" in markup


def test_low_coverage_is_hatched_over_the_class_colour():
    markup = svg.render_choropleth([svg.Area("48", "#abcdef", "Texas: 300", hatched=True)],
                                   title="t")
    texas = re.search(r'<g role="img" aria-label="Texas: 300".*?</g>', markup).group(0)
    assert 'fill="#abcdef"' in texas
    assert '<use href="#map-p48" fill="url(#map-lowcov)" class="hatch"/>' in texas


def test_county_map_is_zoomed_to_the_state_with_its_outline():
    markup = svg.render_choropleth(
        [svg.Area("54039", "#b30000", "Kanawha County: 61.2")], title="WV counties",
        state="54", element_id="county-map")
    assert markup.startswith('<svg class="choropleth counties" id="county-map"')
    x, y, w, h = map(float, re.search(r'viewBox="([^"]+)"', markup).group(1).split())
    assert 700 < x < 760 and w < 100 and h < 100
    assert len(re.findall(r'id="county-map-p54\d{3}"', markup)) == 55
    assert 'class="outline"' in markup
    assert 'id="county-map-nodata"' in markup


def test_unknown_state_raises():
    import pytest

    with pytest.raises(ValueError):
        svg.render_choropleth([], title="t", state="99")
