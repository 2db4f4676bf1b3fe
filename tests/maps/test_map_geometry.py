"""The committed map geometry, and the TopoJSON decoding that derives it from us-atlas."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from drugatlas.maps import geometry
from drugatlas.sources.common import STATES

US_ATLAS = Path(__file__).resolve().parents[2] / "node_modules" / "us-atlas"


def test_states_file_has_every_state_and_dc_with_names_and_paths():
    shapes = geometry.states()
    assert set(shapes) == set(STATES)
    assert shapes["41"].name == "Oregon" and shapes["11"].name == "District of Columbia"
    for shape in shapes.values():
        assert shape.d.startswith("M") and shape.d.endswith("z")
        x0, y0, x1, y1 = shape.bbox
        assert x0 < x1 and y0 < y1 and y1 <= geometry.HEIGHT


def test_generated_files_say_so_first():
    for path in (geometry.STATES_FILE, geometry.COUNTIES_FILE):
        first_line = path.read_text().split("\n", 1)[0]
        assert "manage.py geometry" in first_line and "us-atlas" in first_line


def test_counties_are_grouped_by_state_with_outlines():
    west_virginia = geometry.counties("54")
    assert len(west_virginia) == 55
    assert all(fips.startswith("54") for fips in west_virginia)
    assert geometry.counties("54")["54039"].name == "Kanawha"
    assert geometry.state_outline("54").name == "West Virginia"
    assert geometry.state_outline("99") is None


def test_path_encoding_is_relative_on_a_grid_and_closes_rings():
    ring = [(10.0, 20.0), (10.5, 20.0), (10.5, 19.25), (10.0, 20.0)]
    assert geometry.encode_rings([ring], 1) == "M10,20l.5,0,0-.8z"
    assert geometry.encode_rings([ring], 2) == "M10,20l.5,0,0-.75z"
    # A ring that collapses to a point at this precision is dropped.
    assert geometry.encode_rings([[(1.0, 1.0), (1.01, 1.0), (1.0, 1.01)]], 1) == ""


def test_arcs_are_decoded_and_stitched_including_reversed_ones():
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [10, 0], [0, 10]], [[0, 0], [10, 10]]],
        "objects": {"things": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "01", "properties": {"name": "A"}, "arcs": [[0, ~1]]},
        ]}},
    }
    (shape,) = geometry.shapes_from_topology(topology, "things", 0)
    # Arc 0: (0,0)->(10,0)->(10,10); arc 1 reversed: (10,10)->(0,0).
    assert shape.d == "M0,0l10,0,0,10z"
    assert shape.bbox == (0, 0, 10, 10)


@pytest.mark.skipif(not (US_ATLAS / "states-albers-10m.json").exists(),
                    reason="us-atlas is not installed (npm ci)")
def test_committed_files_are_what_the_command_derives(tmp_path):
    geometry.derive(US_ATLAS, tmp_path)
    for name in ("states.json", "counties.json"):
        assert (tmp_path / name).read_text() == (geometry.GEOMETRY_DIR / name).read_text(), name
    assert json.loads((tmp_path / "states.json").read_text())["source"]["package"] == "us-atlas"
