"""Run every reader over the raw folder and gather their records, checksummed."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from drugatlas.sources import registry
from drugatlas.sources.records import ReadResult, SourceError

# Readers whose values replace another reader's for the same measure, place and period:
# NCHS final data (2019 on) replace the provisional quarterly estimates `nchs` reads for those
# years; where no final value exists (DC's 2020 rate) the provisional one stays, labelled.
SUPERSEDES = {"nchs_final": ("nchs",)}


def run_readers(raw_dir: Path, names=registry.READERS,
                progress: Callable[[str], None] = lambda name: None) -> dict[str, ReadResult]:
    """Each reader's result by reader name, with a sha256 on every SourceInfo."""
    results: dict[str, ReadResult] = {}
    for name in names:
        progress(name)
        try:
            result = registry.load(name).read(Path(raw_dir))
        except SourceError:
            raise
        except Exception as e:  # a reader tripping over a file: name the reader, not a later one
            raise SourceError(f"{Path(raw_dir)} (reader {name})",
                              f"{type(e).__name__}: {e}") from e
        # A source kept with the code (the law-change supplement) comes checksummed.
        result.sources = [s if s.sha256 else s.with_checksum(raw_dir) for s in result.sources]
        results[name] = result
    supersede(results)
    return results


def supersede(results: dict[str, ReadResult]) -> None:
    """Drop the superseded readers' values that a newer reader gives too (SUPERSEDES)."""
    for newer, older in SUPERSEDES.items():
        if newer not in results:
            continue
        keys = {(o.measure, o.fips, o.period) for o in results[newer].observations}
        for name in older:
            if name in results:
                results[name].observations = [
                    o for o in results[name].observations
                    if (o.measure, o.fips, o.period) not in keys]
