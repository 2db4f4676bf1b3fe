"""fetch-manifest.json: what a fetch folder holds, where each file came from and when.

A fetch folder (`var/raw/<date>/`) has the raw folder's layout but only the files fetched from
publishers, plus this manifest at its root. `data build --raw <folder>` recognises the folder by
the manifest and reads every other file from the raw folder (drugatlas/pipeline/raw_folder.py).

    {"format": 1, "fetched_at": "2025-09-14T06:00:03Z", "base_url": "",
     "previous": "/srv/atlas/var/raw/2025-08-14",
     "sources": {"vsrr": {"status": "updated", "message": "..."}, ...},
     "files": {"cdc_vsrr_provisional_overdose/VSRR_...csv": {
         "source": "vsrr", "status": "downloaded",
         "url": "https://data.cdc.gov/api/views/xkb8-kh2a/rows.csv?accessType=DOWNLOAD",
         "fetched_from": "https://data.cdc.gov/...",  # differs when DRUGATLAS_FETCH_BASE_URL is set
         "retrieved_at": "2025-09-14T06:00:03Z",  # when these bytes were downloaded
         "checked_at": "2025-09-14T06:00:03Z",    # when the publisher last confirmed them
         "etag": "...", "last_modified": "...", "content_type": "text/csv",
         "release": "2025-09-10T14:02:11Z",       # Socrata rowsUpdatedAt, where known
         "sha256": "...", "bytes": 14201949,
         "transcoded_from": "latin-1", "published_sha256": "..."}}}  # only when transcoded

File statuses: downloaded (new bytes), not_modified (the publisher answered 304), same_release
(the dataset's metadata says its rows have not changed, so they were not asked for), carried
(source not fetched this time: the previous fetch's copy), kept_previous (the fetch failed or
the answer was rejected: the previous fetch's copy). Only these five are files of the folder;
a rejected answer is kept under rejected/ for a person to look at, outside the raw layout.
"""
from __future__ import annotations

import json
from pathlib import Path

NAME = "fetch-manifest.json"
FORMAT = 1
FILE_STATUSES = ("downloaded", "not_modified", "same_release", "carried", "kept_previous")
REJECTED_DIR = "rejected"


def path(folder: Path) -> Path:
    return Path(folder) / NAME


def is_fetch_folder(folder: Path) -> bool:
    return path(folder).is_file()


def read(folder: Path) -> dict:
    """The folder's manifest; ValueError if it is not one this code wrote."""
    file = path(folder)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"{file}: not a readable fetch manifest ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or "files" not in data:
        raise ValueError(f"{file}: not a fetch manifest of format {FORMAT}")
    return data


def write(folder: Path, data: dict) -> None:
    path(folder).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def files(data: dict) -> dict[str, dict]:
    """File path -> entry, for the files the folder holds (rejected answers left out)."""
    return {name: entry for name, entry in data["files"].items()
            if entry.get("status") in FILE_STATUSES}


def previous_folder(dest: Path) -> Path | None:
    """The newest other fetch folder beside `dest` (by its fetched_at), or None."""
    dest = Path(dest).resolve()
    best: tuple[str, Path] | None = None
    if not dest.parent.is_dir():
        return None
    for folder in dest.parent.iterdir():
        if folder.resolve() == dest or folder.name.startswith(".") or not is_fetch_folder(folder):
            continue  # (a name with a dot is a fetch that never finished)
        try:
            fetched_at = read(folder).get("fetched_at", "")
        except ValueError:
            continue
        if best is None or fetched_at > best[0]:
            best = (fetched_at, folder)
    return best[1] if best else None


def fetch_folders(root: Path) -> list[Path]:
    """The finished fetch folders in `root` (var/raw), newest fetch first."""
    found = []
    if Path(root).is_dir():
        for folder in Path(root).iterdir():
            if folder.name.startswith(".") or not is_fetch_folder(folder):
                continue
            try:
                found.append((read(folder).get("fetched_at", ""), folder))
            except ValueError:
                continue
    return [folder for _, folder in sorted(found, reverse=True)]


def retrievals(folders: list[Path], wanted: dict[str, str]) -> dict[str, dict]:
    """file -> its entry in the first of `folders` whose copy has the wanted sha256.

    `wanted` maps files to the sha256 a bundle recorded, so a manifest speaks only for the
    very bytes that were built (a later fetch that was never built is not taken for them).
    """
    found: dict[str, dict] = {}
    for folder in folders:
        try:
            entries = files(read(folder))
        except ValueError:
            continue
        for name, entry in entries.items():
            if name not in found and wanted.get(name) and entry.get("sha256") == wanted[name]:
                found[name] = entry
    return found
