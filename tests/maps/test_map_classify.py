"""Legend breaks, bins and palettes: no data is never the lowest class."""
from __future__ import annotations

from drugatlas.maps import classify


def test_breaks_are_rounded_quantiles_and_increase():
    breaks = classify.nice_breaks([1, 3, 5, 8, 12, 15, 20, 25, 33, 40, 57.8, 90])
    assert breaks == [5, 12, 20, 25, 40]
    assert classify.nice_breaks(range(100, 1200, 7)) == [300, 450, 600, 800, 1000]


def test_breaks_ignore_missing_values_and_need_a_spread():
    assert classify.nice_breaks([None, 5.0]) == []
    assert classify.nice_breaks([7, 7, 7, 7]) == []
    assert classify.nice_breaks([None, 2, 4, 6, 8, 10, 12, None]) == sorted(
        set(classify.nice_breaks([2, 4, 6, 8, 10, 12])))


def test_bins_cover_the_range_and_missing_is_no_data():
    breaks = [10, 20, 30]
    assert classify.bin_key(None, breaks) == classify.NO_DATA
    assert classify.bin_key(0, breaks) == "0"  # zero is a value
    assert classify.bin_key(10, breaks) == "1"
    assert classify.bin_key(35, breaks) == "3"
    bins = classify.sequential_bins(breaks)
    assert [str(b.label) for b in bins] == ["Under 10", "10 to under 20", "20 to under 30",
                                            "30 or more", "No data"]
    assert bins[-1].fill == "pattern:nodata"
    assert len({b.fill for b in bins}) == len(bins)


def test_legend_counts_and_breaks():
    bins = classify.sequential_bins([10, 20])
    legend = classify.legend("t", bins, ["0", "0", "2", classify.NO_DATA], low_coverage=1)
    assert legend.counts == {"0": 2, "2": 1, classify.NO_DATA: 1}
    assert legend.breaks == [10, 20]
    assert [b.key for b, _ in legend.entries()] == ["0", "1", "2", classify.NO_DATA]
    assert legend.low_coverage == 1


def test_law_bins_keep_vocabulary_order_and_pattern_unknown():
    bins = classify.categorical_bins([("not_criminalized", "Not criminalized"),
                                      ("misdemeanor", "Misdemeanor"), ("felony", "Felony"),
                                      ("unknown", "Unknown")],
                                     colours=classify.CRIMINAL_CLASS_COLOURS)
    assert [b.key for b in bins] == ["not_criminalized", "misdemeanor", "felony", "unknown",
                                     "no_data"]
    assert bins[3].fill == "pattern:unknown" and bins[4].fill == "pattern:nodata"
    legend = classify.legend("t", bins, ["felony"])
    # Unknown and no data appear in the legend only where some state has them.
    assert [b.key for b, _ in legend.entries()] == ["not_criminalized", "misdemeanor", "felony"]


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_ordered_palettes_darken_step_by_step():
    # Ordered classes differ in lightness, not only in hue, so they read without colour vision.
    for ramp in classify.SEQUENTIAL.values():
        lum = [_luminance(c) for c in ramp]
        assert lum == sorted(lum, reverse=True)
    criminal = [classify.CRIMINAL_CLASS_COLOURS[k] for k in ("misdemeanor", "both", "felony")]
    lum = [_luminance(c) for c in criminal]
    assert lum == sorted(lum, reverse=True)


def test_patterns_are_prefixed_per_map():
    defs = classify.pattern_defs("county-map", 2)
    assert 'id="county-map-nodata"' in defs and 'id="county-map-lowcov"' in defs
    assert classify.fill_attr("pattern:nodata", "map") == "url(#map-nodata)"
    assert classify.fill_attr("#123456", "map") == "#123456"
