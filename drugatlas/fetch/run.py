"""Fetch the requested sources into a new folder, each file checked, with its manifest.

For each source with a machine endpoint (catalogue.py):
1. ask with the validators (ETag, Last-Modified) the previous fetch recorded, so an unchanged
   file is answered 304 and not downloaded again; a Socrata dataset's metadata is asked first,
   and rows unchanged since the previous fetch are not asked for at all;
2. check the answer is the file (not an HTML error page, an empty file, another dataset);
3. run the source's reader over it (laid over the raw folder), so a renamed column or a new
   code stops here, with the reader's file, row and column.
A source that fails or is rejected keeps the previous fetch's copy, so the folder always holds
the newest good copy of every fetched file; a rejected answer is kept under rejected/. Sources
not asked for this time are carried over from the previous fetch. The folder is written under
a temporary name and renamed when complete.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from drugatlas import clock, formatting
from drugatlas.pipeline import raw_folder
from drugatlas.sources import registry
from drugatlas.sources.common import raw_dir as default_raw_dir
from drugatlas.sources.records import SourceError

from . import catalogue, checks, http, manifest
from .catalogue import ByHand, Download, Entry
from .checks import NotTheFile

FAILED, REJECTED = "failed", "rejected"


@dataclass
class SourceResult:
    reader: str
    status: str  # updated | unchanged | failed | rejected | by_hand | project | carried
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status in (FAILED, REJECTED)


@dataclass
class FetchReport:
    folder: Path
    previous: Path | None
    sources: list[SourceResult] = field(default_factory=list)

    @property
    def failures(self) -> list[SourceResult]:
        return [s for s in self.sources if s.failed]


class Rejected(Exception):
    """The publisher answered, but not with a file the atlas can use."""


def default_folder(var_dir: Path) -> Path:
    """var/raw/<today>, or <today>-2, -3 ... when there was already a fetch today."""
    root, day = Path(var_dir) / "raw", clock.today().isoformat()
    folder, n = root / day, 1
    while folder.exists():
        n += 1
        folder = root / f"{day}-{n}"
    return folder


def fetch(names: list[str] | tuple[str, ...], dest: Path, settings: http.Settings, *,
          base_raw: Path | None = None,
          progress: Callable[[str], None] = lambda step: None) -> FetchReport:
    """Fetch the named sources (all when none) into the new folder `dest`."""
    requested = catalogue.entries(names)
    dest = Path(dest)
    if dest.exists():
        raise ValueError(f"{dest} already exists; fetch into a new folder")
    staging = dest.with_name(f".{dest.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    fetcher = _Fetcher(staging, manifest.previous_folder(dest), settings, base_raw, progress)
    try:
        report = FetchReport(dest, fetcher.previous)
        for entry in requested:
            report.sources.append(fetcher.source(entry))
        for entry in catalogue.entries():
            if entry not in requested and entry.fetchable:
                carried = fetcher.carry(entry)
                if carried:
                    report.sources.append(carried)
        fetcher.write_manifest({s.reader: {"status": s.status, "message": s.message}
                                for s in report.sources})
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


class _Fetcher:
    def __init__(self, staging: Path, previous: Path | None, settings: http.Settings,
                 base_raw: Path | None, progress):
        self.staging, self.previous, self.settings = staging, previous, settings
        self.base_raw, self.progress = base_raw, progress
        self.previous_files = manifest.files(manifest.read(previous)) if previous else {}
        self.files: dict[str, dict] = {}
        self.now = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")

    # One source ------------------------------------------------------------------------------

    def source(self, entry: Entry) -> SourceResult:
        if entry.project:
            return SourceResult(entry.reader, "project", f"nothing to fetch: {entry.project}")
        if not entry.fetchable:
            return SourceResult(entry.reader, "by_hand",
                                "; ".join(self._by_hand(item) for item in entry.by_hand))
        new: dict[str, dict] = {}
        try:
            for download in entry.downloads:
                self._download(entry, download, new)
            if any(new[d.file]["status"] == "downloaded" for d in entry.downloads):
                self._read_with_reader(entry, new)
        except http.PublisherError as e:
            return self._keep_previous(entry, new, FAILED, str(e))
        except Rejected as e:
            return self._keep_previous(entry, new, REJECTED, str(e))
        self.files.update(new)
        # Updated: a data file (not just its metadata) with bytes not seen before.
        updated = [d.file for d in entry.downloads if new[d.file]["status"] == "downloaded"
                   and new[d.file]["retrieved_at"] == self.now]
        notes = "; ".join(f"{name}: {_describe(e)}" for name, e in new.items())
        notes += "".join(f"; {self._by_hand(item)}" for item in entry.by_hand)
        return SourceResult(entry.reader, "updated" if updated else "unchanged", notes)

    def _by_hand(self, item: ByHand) -> str:
        raw = self.base_raw or default_raw_dir()
        then = f"; then {item.then}" if item.then else ""
        return (f"{item.file} is not fetched: {item.why}. Download it from {item.where} and "
                f"save it as {raw / item.file}{then}")

    def _download(self, entry: Entry, download: Download, new: dict[str, dict]) -> None:
        release = ""
        if download.metadata:
            metadata = self._get(entry, download.metadata)
            if metadata["status"] == "downloaded":
                metadata["release"] = checks.socrata_release(self.staging / download.metadata.file)
            new[download.metadata.file] = metadata
            release = metadata.get("release", "")
            before = self._previous(download.file)
            if release and before and before.get("release") == release:
                new[download.file] = self._reuse(download.file, before, "same_release")
                return
        new[download.file] = self._get(entry, download, release)

    def _get(self, entry: Entry, download: Download, release: str = "") -> dict:
        before = self._previous(download.file)
        part = self.staging / f".part-{hashlib.sha256(download.file.encode()).hexdigest()[:12]}"
        self.progress(f"{entry.reader}: {download.url}")
        try:
            answer = http.get(download.url, part, self.settings,
                              etag=(before or {}).get("etag", ""),
                              last_modified=(before or {}).get("last_modified", ""))
        except BaseException:
            part.unlink(missing_ok=True)  # a partial body is no file
            raise
        if answer.status == 304:
            if before is None:
                raise http.PublisherError(f"{answer.url} answered 304 Not Modified to a request "
                                          "that had no validators")
            kept = self._reuse(download.file, before, "not_modified")
            kept.update(etag=answer.etag or kept.get("etag", ""),
                        last_modified=answer.last_modified or kept.get("last_modified", ""))
            if release:  # the publisher confirmed these rows for its current release
                kept["release"] = release
            return kept
        try:
            transcoded_from = checks.check(part, download, answer.content_type)
        except NotTheFile as e:
            self._set_aside(part, download.file)
            raise Rejected(f"{answer.url} {e}; the answer is kept as {manifest.REJECTED_DIR}/"
                           f"{download.file}") from None
        target = self.staging / download.file
        target.parent.mkdir(parents=True, exist_ok=True)
        part.replace(target)
        result = {"source": entry.reader, "status": "downloaded", "url": download.url,
                  "fetched_from": answer.url, "retrieved_at": self.now, "checked_at": self.now,
                  "etag": answer.etag, "last_modified": answer.last_modified,
                  "content_type": answer.content_type, "sha256": answer.sha256,
                  "bytes": answer.size}
        if transcoded_from:
            data = target.read_bytes()
            result.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
                          transcoded_from=transcoded_from, published_sha256=answer.sha256)
        if release:
            result["release"] = release
        if before and before.get("sha256") == result["sha256"]:
            # The same bytes as before: they were first retrieved then, not now.
            result["retrieved_at"] = before["retrieved_at"]
        return result

    def _read_with_reader(self, entry: Entry, new: dict[str, dict]) -> None:
        """Run the source's reader over the fetched files (laid over the raw folder)."""
        self.progress(f"{entry.reader}: reading the new files")
        self.write_manifest({}, {**self.files, **new})
        try:
            with raw_folder.opened(self.staging, self.base_raw, require_base=False) as view:
                registry.load(entry.reader).read(view.path)
        except SourceError as e:
            where = Path(e.file)
            if where.is_relative_to(self.staging.resolve()):
                where = where.relative_to(self.staging.resolve())
            self._set_aside_downloads(new)
            problem = SourceError(where, e.message, e.row, e.column)
            raise Rejected(f"the file no longer reads as the reader expects (a format change?): "
                           f"{problem}; the new file is kept under {manifest.REJECTED_DIR}/") \
                from None
        except Exception as e:  # a reader that trips over a malformed file must not stop the rest
            self._set_aside_downloads(new)
            raise Rejected(f"the {entry.reader} reader could not read the new file "
                           f"({type(e).__name__}: {e}); the new file is kept under "
                           f"{manifest.REJECTED_DIR}/") from None

    def _keep_previous(self, entry: Entry, new: dict[str, dict], status: str,
                       message: str) -> SourceResult:
        """Undo this source's new files; put the previous fetch's copies in their place."""
        for name in new:
            target = self.staging / name
            if target.is_file() or target.is_symlink():
                target.unlink()
        kept = []
        for name in _files(entry):
            before = self._previous(name)
            if before:
                self.files[name] = self._reuse(name, before, "kept_previous",
                                               checked_at=before.get("checked_at", ""))
                kept.append(name)
        if kept:
            message += (f"; the copy fetched on {self.files[kept[0]]['retrieved_at'][:10]} "
                        "stays in use")
        else:
            message += "; with no earlier fetch, a build reads the raw folder's copy"
        return SourceResult(entry.reader, status, message)

    def carry(self, entry: Entry) -> SourceResult | None:
        """A source not asked for this time: the previous fetch's files, unchanged."""
        carried = [name for name in _files(entry) if self._previous(name)]
        for name in carried:
            self.files[name] = self._reuse(name, self._previous(name), "carried",
                                           checked_at=self._previous(name).get("checked_at", ""))
        if not carried:
            return None
        return SourceResult(entry.reader, "carried",
                            f"not fetched this time; kept {len(carried)} file(s) from {self.previous}")

    # Files -----------------------------------------------------------------------------------

    def _previous(self, name: str) -> dict | None:
        """The previous fetch's manifest entry for a file it holds, or None."""
        entry = self.previous_files.get(name)
        if entry and self.previous and (self.previous / name).is_file():
            return entry
        return None

    def _reuse(self, name: str, before: dict, status: str, checked_at: str | None = None) -> dict:
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        _link_or_copy(self.previous / name, target)
        return {**before, "status": status,
                "checked_at": self.now if checked_at is None else checked_at}

    def _set_aside_downloads(self, new: dict[str, dict]) -> None:
        for name, item in new.items():
            if item["status"] == "downloaded":
                self._set_aside(self.staging / name, name)

    def _set_aside(self, path: Path, name: str) -> None:
        target = self.staging / manifest.REJECTED_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        path.replace(target)

    def write_manifest(self, sources: dict, files: dict | None = None) -> None:
        manifest.write(self.staging, {
            "format": manifest.FORMAT, "fetched_at": self.now, "base_url": self.settings.base_url,
            "previous": str(self.previous or ""), "sources": sources,
            "files": dict(sorted((files if files is not None else self.files).items()))})


def _files(entry: Entry) -> list[str]:
    names = []
    for download in entry.downloads:
        names.append(download.file)
        if download.metadata:
            names.append(download.metadata.file)
    return names


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _describe(entry: dict) -> str:
    status = entry["status"]
    size = formatting.number(entry['bytes']) + " bytes"
    release = f", release of {entry['release'][:10]}" if entry.get("release") else ""
    if status == "downloaded":
        if entry["retrieved_at"] != entry["checked_at"]:
            return f"downloaded, same bytes as the copy of {entry['retrieved_at'][:10]}{release}"
        return f"downloaded ({size}{release})"
    if status == "not_modified":
        return f"unchanged since {entry['retrieved_at'][:10]} (304 Not Modified)"
    return f"unchanged since {entry['retrieved_at'][:10]} (same release{release})"
