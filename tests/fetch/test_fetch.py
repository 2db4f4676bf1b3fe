"""`data fetch` against the local publisher: what lands in the folder and its manifest, what is
not downloaded again, and what happens when the publisher is down or sends something else."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest
from local_publisher import VSRR, VSRR_METADATA, VSRR_ROWS, Route, serve

from drugatlas.fetch import catalogue, manifest, run

METADATA_FILE = VSRR.metadata.file


def _fetch(publisher, dest, names=("vsrr",), **settings):
    return run.fetch(list(names), dest, publisher.settings(**settings))


def _source(report, reader):
    return next(s for s in report.sources if s.reader == reader)


def test_first_fetch_downloads_each_file_with_its_manifest(publisher, base_raw, releases,
                                                           tmp_path):
    serve(publisher, releases["current"])
    dest = tmp_path / "raw" / "first"
    report = _fetch(publisher, dest)

    assert _source(report, "vsrr").status == "updated" and not report.failures
    assert (dest / VSRR.file).read_bytes() == releases["current"].rows_csv
    assert json.loads((dest / METADATA_FILE).read_text())["id"] == "xkb8-kh2a"
    entry = manifest.read(dest)["files"][VSRR.file]
    assert entry["url"] == "https://data.cdc.gov/api/views/xkb8-kh2a/rows.csv?accessType=DOWNLOAD"
    assert entry["fetched_from"] == publisher.url + VSRR_ROWS
    assert entry["status"] == "downloaded" and entry["retrieved_at"] == entry["checked_at"]
    assert entry["etag"].startswith('"r') and entry["last_modified"].endswith("GMT")
    assert entry["sha256"] == hashlib.sha256(releases["current"].rows_csv).hexdigest()
    assert entry["bytes"] == len(releases["current"].rows_csv)
    assert entry["release"] == "2025-07-16T13:56:32Z"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["first"], "no partial folder left"


def test_an_unchanged_release_is_not_downloaded_again(publisher, base_raw, releases, tmp_path):
    serve(publisher, releases["current"])
    first = _fetch(publisher, tmp_path / "raw" / "1")
    second = _fetch(publisher, tmp_path / "raw" / "2")

    assert _source(second, "vsrr").status == "unchanged"
    assert len(publisher.asked(VSRR_ROWS)) == 1, "the rows were asked for once"
    assert publisher.asked(VSRR_METADATA)[1]["If-None-Match"].startswith('"m')
    files = manifest.read(tmp_path / "raw" / "2")["files"]
    assert files[VSRR.file]["status"] == "same_release"
    assert files[METADATA_FILE]["status"] == "not_modified"
    assert files[VSRR.file]["retrieved_at"] == \
        manifest.read(first.folder)["files"][VSRR.file]["retrieved_at"]
    assert (tmp_path / "raw" / "2" / VSRR.file).read_bytes() == releases["current"].rows_csv


def test_rows_unchanged_under_new_metadata_are_answered_304(publisher, base_raw, releases,
                                                            tmp_path):
    serve(publisher, releases["current"])
    _fetch(publisher, tmp_path / "raw" / "1")
    publisher.routes[VSRR_METADATA] = Route(releases["later"].metadata, "application/json",
                                            etag='"new-metadata"')
    report = _fetch(publisher, tmp_path / "raw" / "2")

    assert _source(report, "vsrr").status == "unchanged"
    assert publisher.asked(VSRR_ROWS)[1]["If-None-Match"] == publisher.routes[VSRR_ROWS].etag
    rows = manifest.read(tmp_path / "raw" / "2")["files"][VSRR.file]
    assert rows["status"] == "not_modified" and rows["release"] == "2025-08-13T13:56:32Z"


def test_a_new_release_is_downloaded(publisher, base_raw, releases, tmp_path):
    serve(publisher, releases["current"])
    _fetch(publisher, tmp_path / "raw" / "1")
    serve(publisher, releases["later"])
    report = _fetch(publisher, tmp_path / "raw" / "2")

    assert _source(report, "vsrr").status == "updated"
    assert (tmp_path / "raw" / "2" / VSRR.file).read_bytes() == releases["later"].rows_csv
    assert manifest.read(tmp_path / "raw" / "2")["files"][VSRR.file]["release"] == \
        "2025-08-13T13:56:32Z"


def test_a_publisher_answering_500_keeps_the_previous_copy(publisher, base_raw, releases,
                                                           tmp_path):
    serve(publisher, releases["current"])
    _fetch(publisher, tmp_path / "raw" / "1")
    serve(publisher, releases["later"], fail_first=99)
    report = _fetch(publisher, tmp_path / "raw" / "2", attempts=2)

    vsrr = _source(report, "vsrr")
    assert vsrr.failed and vsrr.status == "failed"
    assert "answered HTTP 500" in vsrr.message and "2 attempts" in vsrr.message
    assert "seems to be down" in vsrr.message and "stays in use" in vsrr.message
    assert len(publisher.asked(VSRR_ROWS)) == 1 + 2
    files = manifest.read(tmp_path / "raw" / "2")["files"]
    assert files[VSRR.file]["status"] == files[METADATA_FILE]["status"] == "kept_previous"
    assert (tmp_path / "raw" / "2" / VSRR.file).read_bytes() == releases["current"].rows_csv
    assert manifest.read(tmp_path / "raw" / "2")["sources"]["vsrr"]["status"] == "failed"


def test_a_publisher_that_does_not_answer_in_time_fails_without_an_earlier_copy(
        publisher, base_raw, releases, tmp_path):
    serve(publisher, releases["current"], delay=2.0)
    report = _fetch(publisher, tmp_path / "raw" / "1", timeout=0.3, attempts=1)

    vsrr = _source(report, "vsrr")
    assert vsrr.failed and "did not answer within 0.3 s" in vsrr.message
    assert "with no earlier fetch, a build reads the raw folder's copy" in vsrr.message
    assert not (tmp_path / "raw" / "1" / VSRR.file).exists()
    assert manifest.files(manifest.read(tmp_path / "raw" / "1")) == {}


def test_an_answer_broken_off_leaves_no_partial_file(publisher, base_raw, releases, tmp_path):
    serve(publisher, releases["current"], truncate=True)
    report = _fetch(publisher, tmp_path / "raw" / "1")

    vsrr = _source(report, "vsrr")
    assert vsrr.failed and "broke off the answer (IncompleteRead" in vsrr.message
    assert not list((tmp_path / "raw" / "1").glob(".part-*"))
    assert not (tmp_path / "raw" / "1" / VSRR.file).exists()


def test_a_row_cut_short_is_rejected_whatever_the_reader_raises(publisher, base_raw, releases,
                                                                tmp_path):
    lines = releases["later"].rows_csv.split(b"\n")
    lines[1] = lines[1].split(b",")[0] + b",2015"  # a row of two fields under twelve columns
    serve(publisher, replace(releases["later"], rows_csv=b"\n".join(lines)))
    report = _fetch(publisher, tmp_path / "raw" / "1")

    assert _source(report, "vsrr").status == "rejected"
    assert (tmp_path / "raw" / "1" / manifest.REJECTED_DIR / VSRR.file).is_file()
    assert not (tmp_path / "raw" / "1" / VSRR.file).exists()


def test_an_html_error_page_is_not_taken_for_the_file(publisher, base_raw, releases, tmp_path):
    serve(publisher, releases["current"])
    publisher.routes[VSRR_ROWS] = Route(b"<!DOCTYPE html><html><body>Down for maintenance"
                                        b"</body></html>", "text/html; charset=utf-8")
    report = _fetch(publisher, tmp_path / "raw" / "1")

    vsrr = _source(report, "vsrr")
    assert vsrr.status == "rejected"
    assert "answered a web page (HTML), not the expected CSV file" in vsrr.message
    assert not (tmp_path / "raw" / "1" / VSRR.file).exists()
    assert (tmp_path / "raw" / "1" / manifest.REJECTED_DIR / VSRR.file).is_file()


def test_a_renamed_column_is_rejected_naming_file_row_and_column(publisher, base_raw, releases,
                                                                 tmp_path):
    serve(publisher, releases["current"])
    _fetch(publisher, tmp_path / "raw" / "1")
    serve(publisher, releases["renamed"])
    report = _fetch(publisher, tmp_path / "raw" / "2")

    vsrr = _source(report, "vsrr")
    assert vsrr.status == "rejected"
    assert f"{VSRR.file}, row 0, column 'Indicator': missing column(s) 'Indicator'" in \
        vsrr.message
    folder = tmp_path / "raw" / "2"
    assert (folder / VSRR.file).read_bytes() == releases["current"].rows_csv
    assert (folder / manifest.REJECTED_DIR / VSRR.file).read_bytes() == \
        releases["renamed"].rows_csv


def test_a_new_code_is_rejected_naming_its_row(publisher, base_raw, releases, tmp_path):
    text = releases["later"].rows_csv.decode()
    header, first, rest = text.split("\n", 2)
    new_code = first.replace("Cocaine (T40.5)", "Xylazine (T42.7)")
    assert new_code != first
    serve(publisher, replace(releases["later"],
                             rows_csv=f"{header}\n{new_code}\n{rest}".encode()))
    report = _fetch(publisher, tmp_path / "raw" / "1")

    vsrr = _source(report, "vsrr")
    assert vsrr.status == "rejected"
    assert f"{VSRR.file}, row 1, column 'Indicator': unknown indicator 'Xylazine (T42.7)'" in \
        vsrr.message


def test_census_files_in_latin_1_are_stored_as_utf_8(publisher, base_raw, tmp_path):
    entry = catalogue.ENTRIES["census"]
    for download in entry.downloads:
        path = "/" + download.url.split("/", 3)[3]
        text = (base_raw / download.file).read_text(encoding="utf-8-sig")
        publisher.routes[path] = Route(text.encode("latin-1"))
    report = _fetch(publisher, tmp_path / "raw" / "1", names=["census"])

    assert _source(report, "census").status == "updated", _source(report, "census").message
    files = manifest.read(tmp_path / "raw" / "1")["files"]
    county = next(d for d in entry.downloads if "co-est2022" in d.file)
    stored = (tmp_path / "raw" / "1" / county.file).read_text(encoding="utf-8")
    assert stored == (base_raw / county.file).read_text(encoding="utf-8-sig")
    assert files[county.file]["transcoded_from"] == "latin-1"
    assert files[county.file]["published_sha256"] != files[county.file]["sha256"]


def test_sources_not_asked_for_are_carried_from_the_previous_fetch(publisher, base_raw,
                                                                   releases, tmp_path):
    serve(publisher, releases["current"])
    _fetch(publisher, tmp_path / "raw" / "1")
    report = _fetch(publisher, tmp_path / "raw" / "2", names=["fbi_table69"])

    assert _source(report, "vsrr").status == "carried"
    assert manifest.read(tmp_path / "raw" / "2")["files"][VSRR.file]["status"] == "carried"
    assert (tmp_path / "raw" / "2" / VSRR.file).read_bytes() == releases["current"].rows_csv


def test_sources_without_a_machine_endpoint_say_where_the_file_goes(publisher, base_raw,
                                                                    tmp_path):
    report = _fetch(publisher, tmp_path / "raw" / "1", names=["fbi_table69", "icpsr", "laws"])

    table69 = _source(report, "fbi_table69")
    assert table69.status == "by_hand" and not table69.failed
    assert "fbi-cius-table69-arrests-by-state/raw/table69_<YEAR>.xlsx" in table69.message
    assert "cde.ucr.cjis.gov" in table69.message and "signed links" in table69.message
    assert "sign-in" in _source(report, "icpsr").message
    assert _source(report, "laws").status == "project"
    assert publisher.requests == []


def test_unknown_source_names_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match="unknown source.*vsr; choose from census, nchs, nchs_final, vsrr"):
        run.fetch(["vsr"], tmp_path / "x", run.http.Settings())


def test_fetch_never_writes_into_an_existing_folder(tmp_path):
    (tmp_path / "raw").mkdir()
    with pytest.raises(ValueError, match="already exists"):
        run.fetch(["vsrr"], tmp_path / "raw", run.http.Settings())


def test_default_folder_is_dated_and_never_reused(tmp_path):
    from drugatlas import clock

    with clock.frozen(clock.dt.date(2025, 9, 14)):
        first = run.default_folder(tmp_path)
        first.mkdir(parents=True)
        assert first == tmp_path / "raw" / "2025-09-14"
        assert run.default_folder(tmp_path) == tmp_path / "raw" / "2025-09-14-2"


def test_every_reader_has_a_catalogue_entry():
    from drugatlas.sources import registry

    assert tuple(catalogue.ENTRIES) == registry.READERS
    for entry in catalogue.entries():
        assert entry.downloads or entry.by_hand or entry.project, entry.reader


def test_operations_doc_says_where_every_source_comes_from():
    from django.conf import settings

    text = (settings.PROJECT_DIR / "docs" / "operations.md").read_text()
    for entry in catalogue.entries():
        assert f"`{entry.reader}`" in text, entry.reader
        for item in entry.by_hand:
            assert item.file.split("/")[0] in text, item.file
