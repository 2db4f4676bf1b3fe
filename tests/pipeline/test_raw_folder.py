"""A fetch folder read over the raw folder: fetched files win, the rest come from the raw
folder, provenance is checked, and errors name the real file."""
from __future__ import annotations

import hashlib

import pytest

from drugatlas.fetch import manifest
from drugatlas.pipeline import raw_folder
from drugatlas.sources.records import SourceError, SourceInfo


@pytest.fixture
def folders(tmp_path):
    base = tmp_path / "base"
    (base / "cdc").mkdir(parents=True)
    (base / "cdc" / "v.csv").write_text("old\n")
    (base / "laws").mkdir()
    (base / "laws" / "l.csv").write_text("research\n")
    fetched = tmp_path / "fetched"
    (fetched / "cdc").mkdir(parents=True)
    (fetched / "cdc" / "v.csv").write_text("new\n")
    manifest.write(fetched, {"format": 1, "fetched_at": "2025-09-14T06:00:00Z", "files": {
        "cdc/v.csv": {"status": "downloaded", "retrieved_at": "2025-09-14T06:00:00Z",
                      "sha256": hashlib.sha256(b"new\n").hexdigest()}}})
    return base, fetched


def test_a_plain_raw_folder_is_read_as_is(folders):
    base, _ = folders
    with raw_folder.opened(base) as raw:
        assert raw.path == base and raw.retrieved == {}


def test_fetched_files_are_read_over_the_raw_folder(folders):
    base, fetched = folders
    with raw_folder.opened(fetched, base) as raw:
        assert (raw.path / "cdc" / "v.csv").read_text() == "new\n"
        assert (raw.path / "laws" / "l.csv").read_text() == "research\n"
        assert not (raw.path / manifest.NAME).exists()
        source = SourceInfo("s", "CDC", "t", "u", "cdc/v.csv", "", retrieved="2025-07-17")
        assert raw.dated(source).retrieved == "2025-09-14"
        other = SourceInfo("l", "us", "t", "", "laws/l.csv", "", retrieved="2025-01-01")
        assert raw.dated(other).retrieved == "2025-01-01"
    assert (base / "cdc" / "v.csv").read_text() == "old\n", "the raw folder is never written"


def test_a_fetched_file_changed_after_the_fetch_is_refused(folders):
    base, fetched = folders
    (fetched / "cdc" / "v.csv").write_text("edited\n")
    with pytest.raises(ValueError, match=r"cdc/v.csv is not the file that was fetched"):
        with raw_folder.opened(fetched, base):
            pass


def test_without_the_raw_folder_the_build_says_where_it_looked(folders, tmp_path):
    _, fetched = folders
    with pytest.raises(FileNotFoundError, match="set DRUGATLAS_RAW_DIR"):
        with raw_folder.opened(fetched, tmp_path / "absent"):
            pass


def test_a_reader_error_names_the_real_file(folders):
    base, fetched = folders
    with pytest.raises(SourceError) as error:
        with raw_folder.opened(fetched, base) as raw:
            raise SourceError(raw.path / "cdc" / "v.csv", "missing column(s) 'Indicator'", 0,
                              "Indicator")
    assert str(error.value).startswith(f"{fetched / 'cdc' / 'v.csv'}, row 0, column 'Indicator'")
