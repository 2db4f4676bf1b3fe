"""The SVG choropleth writer: states and one state's counties."""
from __future__ import annotations

import htmlpage
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
    assert len(htmlpage.select(markup, 'path[id^="map-p"]')) == 51
    # The other 50 are drawn with the no-data pattern and say so.
    assert markup.count('fill="url(#map-nodata)"') >= 50
    assert 'aria-label="Texas: No data"' in markup


def test_small_states_get_labelled_callout_boxes_outside_their_links():
    markup = svg.render_choropleth([], title="t", abbrs={"11": "DC"})
    dc = htmlpage.one(markup, 'g[role="img"][aria-label="District of Columbia: No data"]')
    assert dc.select("rect.callout")
    assert '<g class="callout-labels" aria-hidden="true">' in markup and ">DC</text>" in markup


def test_low_coverage_is_hatched_over_the_class_colour():
    markup = svg.render_choropleth([svg.Area("48", "#abcdef", "Texas: 300", hatched=True)],
                                   title="t")
    texas = htmlpage.one(markup, 'g[role="img"][aria-label="Texas: 300"]')
    assert "#abcdef" in [texas.get("fill"), *htmlpage.attrs(texas, "[fill]", "fill")]
    hatch = htmlpage.one(texas, "use.hatch")
    assert (hatch["href"], hatch["fill"]) == ("#map-p48", "url(#map-lowcov)")


def test_county_map_is_zoomed_to_the_state_with_its_outline():
    markup = svg.render_choropleth(
        [svg.Area("54039", "#b30000", "Kanawha County: 61.2")], title="WV counties",
        state="54", element_id="county-map")
    assert markup.startswith('<svg class="choropleth counties" id="county-map"')
    x, y, w, h = map(float, htmlpage.attr(markup, "svg", "viewbox").split())
    assert 700 < x < 760 and w < 100 and h < 100
    assert len(htmlpage.select(markup, 'path[id^="county-map-p54"]')) == 55
    assert 'class="outline"' in markup
    assert 'id="county-map-nodata"' in markup


def test_unknown_state_raises():
    import pytest

    with pytest.raises(ValueError):
        svg.render_choropleth([], title="t", state="99")


def test_county_maps_turn_each_state_north_up():
    import math

    from drugatlas.maps import geometry

    # Colorado's west border is a meridian (109°03'W): it runs straight to the cone's apex,
    # and turning by the angle at a point of it makes it vertical.
    colorado = geometry.states()["08"]
    points = list(svg.path_points(colorado.d))
    nw = min(points, key=lambda p: p[0] + p[1])
    sw = min(points, key=lambda p: p[0] - p[1])
    t = (svg.APEX[1] - nw[1]) / (sw[1] - nw[1])
    assert abs(nw[0] + t * (sw[0] - nw[0]) - svg.APEX[0]) < 3
    mid = ((nw[0] + sw[0]) / 2, (nw[1] + sw[1]) / 2)
    a = math.radians(svg.north_up_angle("08", (*mid, *mid)))
    turned_x = [x * math.cos(a) - y * math.sin(a) for x, y in (nw, sw)]
    assert abs(turned_x[0] - turned_x[1]) < 0.3
    # Oregon leans by about 15 degrees on the national map; its county map is turned back.
    markup = svg.render_choropleth([], title="OR", state="41", element_id="county-map")
    rotation = htmlpage.attrs(markup, "[transform]", "transform")[0]
    assert rotation.startswith("rotate(")
    turn = float(rotation.removeprefix("rotate(").split()[0])
    assert -16 < turn < -13
    # The view box holds the whole turned state.
    x, y, w, h = map(float, htmlpage.attr(markup, "svg", "viewbox").split())
    outline = geometry.state_outline("41")
    centre = ((outline.bbox[0] + outline.bbox[2]) / 2, (outline.bbox[1] + outline.bbox[3]) / 2)
    x0, y0, x1, y1 = svg._turned_bbox(outline.d, turn, centre)
    assert x <= x0 and y <= y0 and x + w >= x1 and y + h >= y1
    # Alaska and Hawaii are drawn on their own conics: not turned.
    assert ' transform="rotate(' not in svg.render_choropleth([], title="AK", state="02")
