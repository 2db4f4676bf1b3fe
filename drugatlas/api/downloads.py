"""The bulk downloads under /data/: the committed bundle less the ICPSR-derived county rows.

The ICPSR county figures are shown on the pages and served by the filtered API with their
attribution, but ICPSR's terms (../shared/data/README.md) ask that they not be offered as a
bulk download of their own, so `/data/observations.csv` leaves them out and
`/data/datapackage.json` describes the files as served (bytes and hash of the filtered file),
so that `frictionless validate` passes on every download.

The files are written once per bundle version under VAR_DIR/downloads/<version>/, from the
bundle of the loaded release (api.views._live_bundle_dir).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

from django.conf import settings

from drugatlas.pipeline.bundle import TABLES, version

OBSERVATIONS = TABLES["observations"].path
COUNTY_SOURCE_PREFIX = "icpsr-county"
NOTE = ("Bulk download: ICPSR-derived county rows (sources icpsr-county-*) are left out of "
        "observations.csv; they are on the county pages and in /api/v1/observations, with "
        "attribution.")


def is_licensed_county_row(row: list[str]) -> bool:
    """An observation of a county (5-digit FIPS) from an ICPSR county file."""
    return len(row[1]) == 5 and row[5].startswith(COUNTY_SOURCE_PREFIX)


def _filtered_observations(path: Path) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if not is_licensed_county_row(row))
    return out.getvalue().encode("utf-8")


def _descriptor(bundle_dir: Path, observations: bytes) -> bytes:
    package = json.loads((bundle_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["path"] == OBSERVATIONS:
            resource["bytes"] = len(observations)
            resource["hash"] = "sha256:" + hashlib.sha256(observations).hexdigest()
            resource["description"] = NOTE
    package["description"] = package.get("description", "") + " " + NOTE
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def folder(bundle_dir: Path | None = None) -> Path:
    """The download folder of a bundle (the committed one by default), written on first use."""
    bundle_dir = Path(bundle_dir or settings.BUNDLE_DIR)
    target = Path(settings.VAR_DIR) / "downloads" / version(bundle_dir)[:16]
    if (target / "datapackage.json").exists():
        return target
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    observations = _filtered_observations(bundle_dir / OBSERVATIONS)
    (tmp / OBSERVATIONS).write_bytes(observations)
    for path in (t.path for t in TABLES.values()):
        if path != OBSERVATIONS:
            (tmp / path).write_bytes((bundle_dir / path).read_bytes())
    # The descriptor last: its presence says the folder is complete.
    (tmp / "datapackage.json").write_bytes(_descriptor(bundle_dir, observations))
    try:
        tmp.rename(target)
    except OSError:  # another process finished first
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return target
