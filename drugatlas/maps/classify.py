"""Classification for choropleths: legend breaks for rates, palettes for law classes, patterns.

The one place that decides which colour a value gets. Every palette is colour-blind-safe
(ColorBrewer sequential ramps, and a blue-versus-orange/red scheme for law classes, both of
which keep their order in grey and for the common colour-vision deficiencies), and no meaning
rests on colour alone: the map's labels and the table under it say the same in words.

Two kinds of "nothing" are kept apart on purpose:
- No data (no row, or a value withheld): a hatched pattern, never the lowest colour.
- Unknown (a researched law whose class could not be established): a dotted pattern.
Low coverage (arrests reported by agencies covering under half of the residents) is drawn as
a second, hatched layer over the class colour, so the value still shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from drugatlas import formatting

# ColorBrewer sequential ramps (light to dark), 6 classes. Multi-hue ramps (OrRd, YlGnBu)
# change lightness and hue at each step, so neighbouring classes stay apart for every common
# colour-vision deficiency; tests/maps/test_map_colours.py checks the distances (CIELAB).
SEQUENTIAL = {
    "orange_red": ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"),
    "yellow_green_blue": ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    "blues": ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
}

NO_DATA = "no_data"
UNKNOWN = "unknown"
PATTERN_NO_DATA, PATTERN_UNKNOWN, PATTERN_LOW_COVERAGE = "nodata", "unknown", "lowcov"


@dataclass(frozen=True)
class Bin:
    """One legend entry: a key (a law class or a break index), its label, its fill."""

    key: str
    label: str
    fill: str  # "#rrggbb", or "pattern:<name>" for one of the patterns below
    lower: float | None = None  # sequential bins: the break this bin starts at


@dataclass
class Legend:
    """The bins of one map, in order, with how many places fall in each."""

    title: str
    bins: list[Bin]
    counts: dict[str, int]
    low_coverage: int = 0  # places drawn with the low-coverage hatching

    def entries(self) -> list[tuple[Bin, int]]:
        """Bins with their counts; the no-data and unknown entries only where they occur."""
        return [(b, self.counts.get(b.key, 0)) for b in self.bins
                if b.key not in (NO_DATA, UNKNOWN) or self.counts.get(b.key)]

    def bin(self, key: str) -> Bin:
        return next(b for b in self.bins if b.key == key)

    @property
    def breaks(self) -> list[float]:
        """The break points of a sequential legend (empty for categorical ones)."""
        return [b.lower for b in self.bins if b.lower is not None]


def no_data_bin() -> Bin:
    return Bin(NO_DATA, _("No data"), f"pattern:{PATTERN_NO_DATA}")


def unknown_bin(label=None) -> Bin:
    return Bin(UNKNOWN, label or _("Not in this atlas for this date"), f"pattern:{PATTERN_UNKNOWN}")


# --- Rates: breaks and a sequential ramp ------------------------------------------------

def _nice(x: float) -> float:
    """Round to a readable number: 12, 14, 25, 30, 60, 250, 1,200 (steps of 2, 5 or 10 in the
    second significant figure)."""
    if x <= 0:
        return 0.0
    magnitude = 10.0 ** (math.floor(math.log10(x)) - 1)
    scaled = x / magnitude  # 10 <= scaled < 100
    step = 10 if scaled >= 50 else 5 if scaled >= 20 else 2
    return round(round(scaled / step) * step * magnitude, 10)


def nice_breaks(values: Iterable[float | None], classes: int = 6) -> list[float]:
    """Upper-open break points (classes - 1 of them) at rounded quantiles of the values.

    Breaks come from all the values given (e.g. every year of a measure), so the same colour
    means the same rate in every year. Duplicates after rounding are dropped, so a narrow spread
    gives fewer classes rather than empty ones.
    """
    data = sorted(v for v in values if v is not None and math.isfinite(v))
    if len(data) < 2:
        return []
    breaks: list[float] = []
    for i in range(1, classes):
        q = data[min(len(data) - 1, int(round(i * (len(data) - 1) / classes)))]
        b = _nice(q)
        if b > data[0] and (not breaks or b > breaks[-1]):
            breaks.append(b)
    return breaks


def format_number(x: float) -> str:
    """A legend break: thousands separated; one decimal where there is a fraction, none for
    whole numbers (figures with a measure use formatting.figure instead)."""
    return formatting.number(x, 0 if x == int(x) else 1)


def sequential_bins(breaks: Sequence[float], ramp: str = "orange_red") -> list[Bin]:
    """Bins "under b0", "b0 to under b1", ..., "bn or more", coloured light to dark."""
    colours = SEQUENTIAL[ramp]
    n = len(breaks) + 1
    # Spread fewer classes over the whole ramp so light and dark stay far apart.
    picks = [colours[round(i * (len(colours) - 1) / max(n - 1, 1))] for i in range(n)]
    labels = []
    for i in range(n):
        if n == 1:
            labels.append(_("All values"))
        elif i == 0:
            labels.append(_("Under %(b)s") % {"b": format_number(breaks[0])})
        elif i == n - 1:
            labels.append(_("%(b)s or more") % {"b": format_number(breaks[-1])})
        else:
            labels.append(_("%(a)s to under %(b)s") % {"a": format_number(breaks[i - 1]),
                                                      "b": format_number(breaks[i])})
    return [Bin(str(i), labels[i], picks[i], breaks[i - 1] if i else None)
            for i in range(n)] + [no_data_bin()]


def bin_key(value: float | None, breaks: Sequence[float]) -> str:
    """The key of the bin a value falls in; None is no data (never the lowest bin)."""
    if value is None:
        return NO_DATA
    return str(sum(1 for b in breaks if value >= b))


# --- Law classes: categorical palettes --------------------------------------------------

# Ordered from least to most punitive: not criminalized reads apart (blue), the criminal
# classes darken through orange to red, which stays distinguishable without red-green vision.
CRIMINAL_CLASS_COLOURS = {
    "not_criminalized": "#2166ac",
    "misdemeanor": "#fdb863",
    "both": "#e66101",
    "felony": "#8c1d04",
}
YES_NO_COLOURS = {"yes": "#2166ac", "no": "#fdb863"}
# Benefit bans after a drug felony, from none (blue) to the lifetime ban (dark red).
BAN_COLOURS = {"no_ban": "#2166ac", "modified_ban": "#fdb863", "full_ban": "#8c1d04"}
# Stages of a reform, light to dark (ColorBrewer YlGnBu, 5 classes: one colour per stage).
STAGE_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# How long a law has been in force, longest darkest (ColorBrewer Blues, 3 classes), and a
# green apart from that order for a law whose start is not recorded.
SINCE_COLOURS = ("#08519c", "#3182bd", "#9ecae1")
SINCE_UNRECORDED = "#1b9e77"


def categorical_bins(classes: Sequence[tuple[str, str]], colours: dict[str, str] | None = None,
                     ramp: Sequence[str] | None = None) -> list[Bin]:
    """Bins for named classes, in the order given; "unknown" gets its pattern.

    Colours come from `colours` by key, else from `ramp` in order (spread across it).
    """
    known = [(k, label) for k, label in classes if k != UNKNOWN]
    bins = []
    for i, (key, label) in enumerate(known):
        if colours and key in colours:
            fill = colours[key]
        else:
            steps = ramp or SEQUENTIAL["blues"]
            fill = steps[round(i * (len(steps) - 1) / max(len(known) - 1, 1))]
        bins.append(Bin(key, label, fill))
    unknown_label = dict(classes).get(UNKNOWN)
    return bins + [unknown_bin(unknown_label), no_data_bin()]


def legend(title: str, bins: list[Bin], keys: Iterable[str], low_coverage: int = 0) -> Legend:
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return Legend(title=title, bins=bins, counts=counts, low_coverage=low_coverage)


# --- Patterns ---------------------------------------------------------------------------

def pattern_defs(prefix: str, size: float = 6.0) -> str:
    """SVG <pattern> elements, ids "<prefix>-<name>"; `size` in the map's user units.

    No data: a light grey cross-hatch on white (reads as empty). Unknown: dark dots on grey.
    Low coverage: bold single hatching laid over the class colour.
    """
    s = round(size, 3)
    w = round(size / 6, 3)
    h = round(size * 1.3, 3)
    return (
        f'<pattern id="{prefix}-{PATTERN_NO_DATA}" width="{s}" height="{s}" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="{s}" height="{s}" fill="#fff"/>'
        f'<path d="M0,0V{s}M0,0H{s}" stroke="#9a9a9a" stroke-width="{w}"/></pattern>'
        f'<pattern id="{prefix}-{PATTERN_UNKNOWN}" width="{s}" height="{s}" '
        f'patternUnits="userSpaceOnUse"><rect width="{s}" height="{s}" fill="#d9d9d9"/>'
        f'<circle cx="{s / 2}" cy="{s / 2}" r="{w * 1.3}" fill="#404040"/></pattern>'
        f'<pattern id="{prefix}-{PATTERN_LOW_COVERAGE}" width="{h}" height="{h}" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
        f'<path d="M{h / 2},0V{h}" stroke="#000" stroke-opacity=".8" stroke-width="{w * 2.6}"/>'
        f'</pattern>'
    )


def fill_attr(fill: str, prefix: str) -> str:
    """An SVG fill value: a colour as is, a pattern as url(#<prefix>-<name>)."""
    if fill.startswith("pattern:"):
        return f"url(#{prefix}-{fill.split(':', 1)[1]})"
    return fill
