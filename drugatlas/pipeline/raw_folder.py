"""The folder the readers read: a raw folder as is, or a fetch folder laid over the raw folder.

A fetch folder (`drugatlas data fetch`, recognised by its fetch-manifest.json) holds only the
files fetched from publishers. Building from it reads those files, and every other file
(hand-placed downloads, the project's research) from the raw folder: $DRUGATLAS_RAW_DIR, else
../shared/data/raw. The merged view is a temporary tree of symbolic links, so the readers see
one ordinary folder and the raw folder is never written. Each fetched file must still have the
sha256 its manifest recorded, and its source's `retrieved` date becomes the fetch's date.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from drugatlas.fetch import manifest
from drugatlas.sources.common import raw_dir as default_raw_dir
from drugatlas.sources.records import SourceError, SourceInfo


@dataclass(frozen=True)
class RawFolder:
    path: Path  # what the readers read
    retrieved: dict[str, str] = field(default_factory=dict)  # fetched file -> YYYY-MM-DD

    def dated(self, source: SourceInfo) -> SourceInfo:
        """The source with the date its file was fetched, where it was fetched."""
        day = self.retrieved.get(source.file)
        return dataclasses.replace(source, retrieved=day) if day else source


@contextlib.contextmanager
def opened(raw_dir: Path, base: Path | None = None, *,
           require_base: bool = True) -> Iterator[RawFolder]:
    """The raw folder to read for `raw_dir` (see the module docstring)."""
    raw_dir = Path(raw_dir)
    if not manifest.is_fetch_folder(raw_dir):
        yield RawFolder(raw_dir)
        return
    fetched = manifest.files(manifest.read(raw_dir))
    for name, entry in fetched.items():
        _check_unchanged(raw_dir, name, entry)
    base = Path(base or default_raw_dir())
    if require_base and not base.is_dir():
        raise FileNotFoundError(
            f"{raw_dir} holds only the files fetched from publishers; the others are read from "
            f"the raw folder {base}, which is absent (set DRUGATLAS_RAW_DIR)")
    with tempfile.TemporaryDirectory(prefix="drugatlas-raw-") as tmp:
        view = Path(tmp) / "raw"
        view.mkdir()
        if base.is_dir():
            for path in base.rglob("*"):
                if path.is_file() and path.name != manifest.NAME:
                    _link(path, view / path.relative_to(base))
        for name in fetched:
            _link(raw_dir / name, view / name)
        try:
            yield RawFolder(view, {name: entry["retrieved_at"][:10]
                                   for name, entry in fetched.items() if entry.get("retrieved_at")})
        except SourceError as e:
            # Name the real file (in the fetch folder or the raw folder), not the passing link.
            raise SourceError(Path(e.file).resolve(), e.message, e.row, e.column) from None


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(target.resolve(), link)


def _check_unchanged(folder: Path, name: str, entry: dict) -> None:
    """A fetched file must be the bytes the manifest describes: provenance depends on it."""
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: listed in {manifest.NAME} but missing")
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != entry.get("sha256"):
        raise ValueError(f"{path} is not the file that was fetched (its sha256 differs from "
                         f"{manifest.NAME}); fetch again, or put a corrected file in the raw "
                         f"folder instead")
