"""The one SVG writer for choropleths: the 50 states and DC, or one state's counties.

Usage (a view builds one `Area` per place it has something to say about):

    from drugatlas.maps import classify, svg

    breaks = classify.nice_breaks(all_values)
    bins = classify.sequential_bins(breaks)
    areas = [svg.Area(fips="54039", fill=bins[...].fill,
                      label="Kanawha County: 61.2 per 100,000 (2016)",
                      href="/states/wv/counties/?...")]
    markup = svg.render_choropleth(areas, title="Overdose deaths per 100,000, 2016",
                                   description="...", state="54", element_id="county-map")

- `state=None` draws the states (975 x 610 Albers canvas, small north-eastern states and DC
  repeated as labelled boxes in the Atlantic so they can be seen and clicked);
  `state="54"` (FIPS) draws that state's counties zoomed to fit, outlined by the state border,
  turned so that north is up in that state (see `north_up_angle`).
- Places without an Area are drawn with the no-data pattern and labelled "<name>: No data":
  no data is never drawn as the lowest class.
- `Area.fill` is a colour or "pattern:<name>" from `classify`; `hatched=True` lays the
  low-coverage hatching over it.
- Each place is an SVG <a> (focusable, with an aria-label and a <title> for a native
  tooltip) when it has an href, else a <g> with role="img" and an aria-label.
- `data` becomes data-* attributes, read by the page script (atlas.js).
- Pattern ids are prefixed with `element_id`, so two maps can share a page.
The result is a SafeString of markup; user-facing text is escaped here.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from . import classify, geometry

# Small states repeated as labelled boxes in the Atlantic, top to bottom.
CALLOUT_STATES = ("50", "33", "25", "44", "09", "34", "10", "24", "11")
CALLOUT_X, CALLOUT_Y, CALLOUT_STEP = 900, 196, 17
CALLOUT_BOX = (15, 12)


@dataclass(frozen=True)
class Area:
    fips: str
    fill: str
    label: str
    href: str | None = None
    hatched: bool = False
    data: dict[str, str] = field(default_factory=dict)


def _attr(name: str, value) -> str:
    return f' {name}="{escape(str(value), quote=True)}"'


def _no_data_area(shape: geometry.Shape, no_data_label: str) -> Area:
    return Area(fips=shape.fips, fill=f"pattern:{classify.PATTERN_NO_DATA}",
                label=f"{shape.name}: {no_data_label}")


def _place(shape: geometry.Shape, area: Area, prefix: str, callout: tuple | None) -> str:
    path_id = f"{prefix}-p{shape.fips}"
    fill = classify.fill_attr(area.fill, prefix)
    inner = [f"<title>{escape(area.label)}</title>",
             f'<path id="{path_id}" d="{shape.d}"/>']
    if area.hatched:
        inner.append(f'<use href="#{path_id}" fill="url(#{prefix}-{classify.PATTERN_LOW_COVERAGE})"'
                     f' class="hatch"/>')
    if callout:
        x, y = callout
        w, h = CALLOUT_BOX
        inner.append(f'<rect class="callout" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>')
        if area.hatched:
            inner.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
                         f'fill="url(#{prefix}-{classify.PATTERN_LOW_COVERAGE})" class="hatch"/>')
    # The fill sits on the group, so the hatching <use> (which copies the path) can override it.
    attrs = f' fill="{fill}"' + "".join(_attr(f"data-{k}", v) for k, v in area.data.items())
    if area.href:
        open_tag = f'<a{_attr("href", area.href)}{_attr("aria-label", area.label)}{attrs}>'
        return open_tag + "".join(inner) + "</a>"
    return f'<g role="img"{_attr("aria-label", area.label)}{attrs}>' + "".join(inner) + "</g>"


# us-atlas draws the lower 48 with one Albers conic centred on 96°W, so a state far from that
# meridian leans (Oregon by about 14°). A conic's meridians all run straight to its apex, and
# turning the plane about the apex is the same conic centred on another meridian: so turning a
# state until the line to the apex is vertical gives the projection centred on that state.
APEX = (498.0, -1361.7)  # the lower-48 cone's apex on the canvas (d3.geoAlbersUsa, scale 1300)
INSETS = ("02", "15")  # Alaska and Hawaii have their own conics, centred on them already
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def north_up_angle(state: str, bbox: tuple[float, float, float, float]) -> float:
    """Degrees to turn a state's drawing (SVG rotate, clockwise positive) so north is up."""
    if state in INSETS:
        return 0.0
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return math.degrees(math.atan2(cx - APEX[0], cy - APEX[1]))


def path_points(d: str):
    """The points of path data written by geometry.encode_rings (M x,y then relative l)."""
    for ring in d.split("M")[1:]:
        numbers = [float(n) for n in _NUMBER.findall(ring)]
        x, y = numbers[0], numbers[1]
        yield x, y
        for i in range(2, len(numbers) - 1, 2):
            x, y = x + numbers[i], y + numbers[i + 1]
            yield x, y


def _turned_bbox(d: str, angle: float, centre: tuple[float, float]) -> tuple[float, ...]:
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    cx, cy = centre
    xs, ys = [], []
    for x, y in path_points(d):
        xs.append(cx + (x - cx) * cos - (y - cy) * sin)
        ys.append(cy + (x - cx) * sin + (y - cy) * cos)
    return min(xs), min(ys), max(xs), max(ys)


def _fit(bbox: tuple[float, float, float, float], pad: float = 0.03) -> tuple[float, ...]:
    x0, y0, x1, y1 = bbox
    if x0 < 0 and x1 > 150 and y0 > 400:  # Alaska: the inset's far Aleutians run off-canvas
        x0 = 0
    w, h = x1 - x0, y1 - y0
    m = max(w, h) * pad
    return (round(x0 - m, 2), round(y0 - m, 2), round(w + 2 * m, 2), round(h + 2 * m, 2))


def render_choropleth(areas, *, title: str, description: str = "", state: str | None = None,
                      element_id: str = "map", abbrs: dict[str, str] | None = None,
                      no_data_label: str = "No data") -> SafeString:
    """Inline SVG markup for a choropleth; see the module docstring for the contract.

    `abbrs` (FIPS -> USPS code) labels the callout boxes on the states map.
    """
    by_fips = {a.fips: a for a in areas}
    prefix = escape(element_id, quote=True)
    if state is None:
        shapes = geometry.states()
        view = (0, 0, geometry.WIDTH, geometry.HEIGHT)
        outline = None
        callouts = {fips: (CALLOUT_X, CALLOUT_Y + i * CALLOUT_STEP)
                    for i, fips in enumerate(CALLOUT_STATES)}
        pattern_size = 6.0
    else:
        shapes = geometry.counties(state)
        outline = geometry.state_outline(state)
        if outline is None:
            raise ValueError(f"no geometry for state FIPS {state!r}")
        angle = north_up_angle(state, outline.bbox)
        angle = angle if abs(angle) >= 0.5 else 0.0
        x0, y0, x1, y1 = outline.bbox
        centre = (round((x0 + x1) / 2, 2), round((y0 + y1) / 2, 2))
        view = _fit(_turned_bbox(outline.d, angle, centre) if angle else outline.bbox)
        callouts = {}
        # Keep the hatching the same size on screen however far the state is zoomed in.
        pattern_size = 6.0 * max(view[2] / geometry.WIDTH, view[3] / geometry.HEIGHT)

    places = []
    for fips, shape in shapes.items():
        area = by_fips.get(fips) or _no_data_area(shape, no_data_label)
        places.append(_place(shape, area, prefix, callouts.get(fips)))
    # Callout labels sit outside the links: the links' names already say the state's name.
    labels = "".join(f'<text x="{x + CALLOUT_BOX[0] + 4}" y="{y + CALLOUT_BOX[1] - 2}">'
                     f'{escape((abbrs or {}).get(fips, ""))}</text>'
                     for fips, (x, y) in callouts.items())
    if labels:
        labels = f'<g class="callout-labels" aria-hidden="true">{labels}</g>'
    border = (f'<path class="outline" d="{outline.d}" fill="none" pointer-events="none"/>'
              if outline else "")
    kind = "counties" if state else "states"
    turn = (f' transform="rotate({angle:.2f} {centre[0]} {centre[1]})"'
            if state and angle else "")
    markup = (
        f'<svg class="choropleth {kind}" id="{prefix}" viewBox="{" ".join(map(str, view))}"'
        f' role="group" aria-labelledby="{prefix}-title{f" {prefix}-desc" if description else ""}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        + (f'<desc id="{prefix}-desc">{escape(description)}</desc>' if description else "")
        + f"<defs>{classify.pattern_defs(prefix, pattern_size)}</defs>"
        + (f'<g{turn}>' if turn else "")
        + f'<g class="places">{"".join(places)}</g>{labels}{border}'
        + ("</g>" if turn else "") + "</svg>"
    )
    return mark_safe(markup)
