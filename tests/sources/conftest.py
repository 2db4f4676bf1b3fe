"""Fixtures shared by the reader tests."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from drugatlas.sources.records import SourceInfo


@pytest.fixture
def edited_raw(fixtures_dir, tmp_path):
    """Make a raw folder in tmp_path holding one source's fixture file with one edit.

    ``edited_raw(SOURCE, old, new)`` copies the file with the first ``old`` replaced by ``new``
    and returns the folder to pass to the reader, for testing how it meets bad input.
    """
    def make(source: SourceInfo, old: str, new: str) -> Path:
        text = (fixtures_dir / source.file).read_text(encoding="utf-8-sig")
        assert old in text, f"{old!r} is not in the fixture {source.file}"
        path = tmp_path / source.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return tmp_path

    return make


@pytest.fixture(scope="session")
def icpsr_drug_arrests_2008(raw_dir) -> dict[str, float]:
    """ICPSR county-file drug arrests summed by state for 2008, keyed by USPS code.

    A second source that several PROVENANCE files compare their figures with.
    """
    path = (raw_dir / "icpsr-ucr-county-arrests"
            / "ucr_state_drug_arrests_from_icpsr_county_1986_2008.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["state_abbr"]: float(r["drug_total"]) for r in csv.DictReader(f)
                if r["year"] == "2008"}
