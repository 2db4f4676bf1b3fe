"""Legend colours: every layer's classes are told apart (CIELAB distance), also as seen with
the two common red-green deficiencies, and the lightest class stands apart from the white
ground of the no-data hatch. The Good Samaritan layer says when each law took effect."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from drugatlas.maps import classify, layers

# Viénot, Brettel & Mollon (1999), in linear RGB.
SIMULATIONS = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "deuteranopia": ((0.29275, 0.70725, 0), (0.29275, 0.70725, 0), (-0.02234, 0.02234, 1)),
    "protanopia": ((0.11238, 0.88762, 0), (0.11238, 0.88762, 0), (0.00401, -0.00401, 1)),
}


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(hex_colour: str, vision: str = "normal") -> tuple[float, float, float]:
    rgb = [_linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5)]
    rgb = [max(0.0, min(1.0, sum(m * c for m, c in zip(row, rgb)))) for row in SIMULATIONS[vision]]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: str, b: str, vision: str = "normal") -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(a, vision), lab(b, vision))) ** 0.5


def layer_colours(slug: str) -> list[str]:
    layer = layers.LAYERS[slug]
    if layer.is_law and not layer.topic:
        pytest.skip("a layer drawn from several topics")
    if layer.is_law:
        bins = layers._law_bins(layer)
    else:
        bins = classify.sequential_bins([1, 2, 3, 4, 5], layer.ramp)  # 6 classes, as nice_breaks gives
    return [b.fill for b in bins if not b.fill.startswith("pattern:")]


@pytest.mark.parametrize("slug", list(layers.LAYERS))
@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_every_pair_of_classes_is_told_apart(slug, vision):
    colours = layer_colours(slug)
    for i, a in enumerate(colours):
        for b in colours[i + 1:]:
            assert distance(a, b, vision) >= 8, f"{slug}: {a} and {b} look alike ({vision})"


@pytest.mark.parametrize("slug", list(layers.LAYERS))
def test_neighbouring_classes_differ_clearly_and_no_class_looks_like_no_data(slug):
    colours = layer_colours(slug)
    for a, b in zip(colours, colours[1:]):
        assert distance(a, b) >= 12, f"{slug}: neighbours {a} and {b}"
    for c in colours:
        assert distance(c, "#ffffff") >= 8, f"{slug}: {c} is too close to the no-data ground"


@pytest.mark.django_db
def test_good_samaritan_layer_shows_when_each_law_took_effect(atlas_db):
    with translation.override("en"):
        data = layers.build("good_samaritan", as_of=dt.date(2026, 12, 5))
        labels = [str(b.label) for b, n in data.legend.entries()]
    keys = {r.key for r in data.rows}
    assert {"yes:0", "yes:2012", "yes:2015"} <= keys
    assert len({data.legend.bin(r.key).fill for r in data.rows}) >= 4
    for row in data.rows:
        if row.key.startswith("yes:") and row.key != "yes:unrecorded":
            year = int(row.period.rsplit(" ", 1)[-1][:4])
            start = int(row.key.split(":")[1])
            assert year >= start and (start == 2015 or year < {0: 2012, 2012: 2015}[start])
    assert labels[:3] == ["In force since before 2012", "In force since 2012–2014",
                          "In force since 2015 or later"]
