"""`drugatlas data build`: raw files -> readers -> validation -> derived values -> bundle."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import bundle, collect, derive, raw_folder, validate


@dataclass
class BuildReport:
    files: dict[str, bytes]
    counts: dict[str, int]
    seconds: float


def build_files(raw_dir: Path, progress: Callable[[str], None] = lambda step: None,
                bundle_dir: Path | None = None) -> BuildReport:
    """Every bundle file's bytes, built from the raw folder. Raises SourceError on bad input.

    raw_dir may be a fetch folder (`data fetch`): its files are read over the raw folder's.
    Legal rows editors exported into the bundle at bundle_dir are kept (they win over research).
    """
    started = time.perf_counter()
    with raw_folder.opened(raw_dir) as raw:
        results = collect.run_readers(raw.path, progress=lambda name: progress(f"reading {name}"))
    progress("validating")
    validate.validate(results)
    places = [p for r in results.values() for p in r.places]
    sources = [raw.dated(s) for r in results.values() for s in r.sources]
    files = {s.id: s.file for s in sources}
    progress("deriving rates and coverage")
    observations = derive.derive([o for r in results.values() for o in r.observations], files)
    laws = [law for r in results.values() for law in r.laws]
    bills = [b for r in results.values() for b in r.bills]
    costs = [c for r in results.values() for c in r.costs]
    progress("writing bundle")
    editor = bundle.editor_rows(bundle_dir) if bundle_dir else None
    rendered = bundle.render(places, sources, observations, laws, bills, costs, editor)
    counts = {"places": len(places), "sources": len(sources), "observations": len(observations),
              "laws": len(laws), "bills": len(bills), "costs": len(costs)}
    return BuildReport(rendered, counts, time.perf_counter() - started)


def build(raw_dir: Path, bundle_dir: Path, progress=lambda step: None) -> BuildReport:
    report = build_files(raw_dir, progress, bundle_dir)
    bundle.write(bundle_dir, report.files)
    return report
