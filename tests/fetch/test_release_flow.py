"""The operator's commands end to end against the local publisher: `data fetch`, `data build
--raw`, `data diff` and `data load`, and what a failing publisher leaves untouched."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from local_publisher import VSRR, serve

from drugatlas import clock, formatting
from drugatlas.atlas.models import DataRelease, Observation
from drugatlas.fetch import manifest
from drugatlas.pipeline import bundle, diff

DEATHS = "overdose_deaths_12mo_provisional"
VSRR_SOURCE = "nchs-vsrr-provisional-overdose"


def _bundle_fingerprint(folder=None) -> dict[str, str]:
    folder = folder or settings.BUNDLE_DIR
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command("data", *args, stdout=out, verbosity=0, **options)
    return out.getvalue()


# A publisher that fails ------------------------------------------------------------------------

FAILURES = {
    "500": ("later", {"fail_first": 99}, {"retries": 1, "backoff": 0.01},
            ["answered HTTP 500 Internal Server Error (2 attempts)", "seems to be down"]),
    "timeout": ("later", {"delay": 2.0}, {"timeout": 0.3, "retries": 0},
                ["did not answer within 0.3 s (1 attempt)"]),
    "renamed column": ("renamed", {}, {},
                       [f"{VSRR.file}, row 0, column 'Indicator': missing column(s)"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_publisher_leaves_bundle_and_database_untouched(
        case, publisher, base_raw, releases, tmp_path, monkeypatch):
    release, route, options, expected = FAILURES[case]
    monkeypatch.setenv("DRUGATLAS_FETCH_BASE_URL", publisher.url)
    serve(publisher, releases[release], **route)
    before = (_bundle_fingerprint(), Observation.objects.count(), DataRelease.objects.count())
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("data", "fetch", "vsrr", dest=tmp_path / "raw" / "1", stdout=out,
                     verbosity=0, **options)

    assert "data fetch failed for vsrr" in str(error.value)
    assert "the bundle and the database were not touched" in str(error.value)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("vsrr: "))
    for part in expected:
        assert part in line, f"{part!r} not in {line!r}"
    assert (_bundle_fingerprint(), Observation.objects.count(),
            DataRelease.objects.count()) == before


def test_fetch_command_says_what_it_fetched_and_what_comes_next(publisher, base_raw, releases,
                                                                tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGATLAS_FETCH_BASE_URL", publisher.url)
    serve(publisher, releases["later"])
    dest = tmp_path / "raw" / "1"
    out = _run("fetch", "vsrr", "fbi_cde", dest=dest)
    assert f"vsrr: updated: {VSRR.metadata.file}: downloaded" in out
    assert f"; {VSRR.file}: downloaded ({len(releases['later'].rows_csv):,} bytes, release of " \
           "2025-08-13)" in out
    assert "fbi_cde: by hand: fbi-cde-national-drug-arrests/arrests_national_drug.csv is not " \
           "fetched" in out
    assert f"next: drugatlas data build --raw {dest} && drugatlas data diff" in out


def test_only_fetch_takes_source_names():
    with pytest.raises(CommandError, match="data build takes no source names"):
        call_command("data", "build", "vsrr", verbosity=0)


def test_a_renamed_column_stops_the_build_naming_file_row_and_column(base_raw, releases,
                                                                     tmp_path):
    folder = tmp_path / "fetched"
    target = folder / VSRR.file
    target.parent.mkdir(parents=True)
    target.write_bytes(releases["renamed"].rows_csv)
    manifest.write(folder, {"format": manifest.FORMAT, "fetched_at": "2025-09-14T06:00:00Z",
                            "files": {VSRR.file: {
                                "status": "downloaded", "retrieved_at": "2025-09-14T06:00:00Z",
                                "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}}})
    bundle_copy = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, bundle_copy)
    before = _bundle_fingerprint(bundle_copy)

    with pytest.raises(CommandError) as error:
        call_command("data", "build", raw=folder, bundle=bundle_copy, verbosity=0)

    message = str(error.value)
    assert "nothing was changed" in message
    assert f"{target}, row 0, column 'Indicator': missing column(s) 'Indicator'" in message
    assert _bundle_fingerprint(bundle_copy) == before


# Diff and load against the loaded release, on the committed bundle ------------------------------

@pytest.fixture(scope="module")
def revised_bundle(tmp_path_factory):
    """The committed bundle with Ohio's reported overdose deaths for 2024-12 raised by half."""
    folder = tmp_path_factory.mktemp("revised") / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, folder)
    rows = list(bundle.read_table(folder, "observations"))
    ohio = next(r for r in rows if (r["measure"], r["jurisdiction"], r["period"]) ==
                (DEATHS, "39", "2024-12"))
    ohio["value"] = bundle.fmt_number(float(ohio["value"]) * 1.5)
    (folder / "observations.csv").write_bytes(bundle.table_bytes("observations", rows))
    bundle.rehash(folder)  # sizes and hashes agree, as a build writes them
    return folder


@pytest.mark.django_db
def test_diff_json_and_a_load_refused_for_a_large_revision(revised_bundle):
    changes = json.loads(_run("diff", bundle=revised_bundle, json=True))
    assert changes["old"]["version"] == DataRelease.objects.latest().version
    # The one value changed is the only change: the loaded release reads back as its bundle.
    assert changes["totals"] == {"added": 0, "revised": 1, "filled": 0, "removed": 0,
                                 "relabelled": 0, "flagged": 1,
                                 "laws": {"added": 0, "changed": 0, "removed": 0},
                                 "bills": {"added": 0, "changed": 0, "removed": 0}}
    [item] = diff.flagged(changes)
    assert (item["source"], item["measure"], item["place"], item["period"], item["relative"]) \
        == (VSRR_SOURCE, DEATHS, "39", "2024-12", 0.5)
    value_before = Observation.objects.get(measure=DEATHS, jurisdiction="39", period="2024-12")
    releases_before = DataRelease.objects.count()

    with pytest.raises(CommandError) as error:
        call_command("data", "load", bundle=revised_bundle, verbosity=0)

    message = str(error.value)
    assert message.startswith("data load refused, nothing was changed: 1 revision(s) beyond 10%")
    assert "Ohio 2024-12" in message and "--accept-revisions" in message
    assert Observation.objects.get(pk=value_before.pk).value == value_before.value
    assert DataRelease.objects.count() == releases_before


# End to end on the real raw files: a later VSRR release reaches the API --------------------------

@pytest.fixture(scope="module")
def later_release(publisher_server, releases, raw_dir, tmp_path_factory):
    """`data fetch vsrr` from the local publisher serving a later release, then `data build
    --raw` into a copy of the committed bundle."""
    root = tmp_path_factory.mktemp("later")
    serve(publisher_server, releases["later"])
    fetched, built = root / "raw" / "2025-09-14", root / "bundle"
    with pytest.MonkeyPatch.context() as patch, clock.frozen(clock.dt.date(2025, 9, 14)):
        patch.setenv("DRUGATLAS_FETCH_BASE_URL", publisher_server.url)
        _run("fetch", "vsrr", dest=fetched)
    shutil.copytree(settings.BUNDLE_DIR, built)
    _run("build", raw=fetched, bundle=built)
    return fetched, built


@pytest.mark.rawdata
def test_a_bundle_built_from_a_fetch_dates_the_fetched_source(later_release, releases):
    _, built = later_release
    vsrr = next(s for s in bundle.read_table(built, "sources") if s["id"] == VSRR_SOURCE)
    assert vsrr["retrieved"] == "2025-09-14"
    assert vsrr["sha256"] == hashlib.sha256(releases["later"].rows_csv).hexdigest()
    census = next(s for s in bundle.read_table(built, "sources")
                  if s["id"] == "census-nst-est2024")
    assert census["retrieved"] == "2025-09-01", "files not fetched keep their own dates"


@pytest.mark.rawdata
@pytest.mark.django_db
def test_diff_shows_the_new_month_and_the_revision(later_release, releases):
    _, built = later_release
    later = releases["later"]
    changes = json.loads(_run("diff", bundle=built, json=True))
    vsrr = next(s for s in changes["sources"] if s["id"] == VSRR_SOURCE)
    summary = vsrr["summary"]
    assert summary["new_periods"] == [later.later_period]
    assert summary["newest_period"]["new"] == later.later_period
    assert summary["states_updated"] == 51
    deaths = next(m for m in vsrr["measures"] if m["measure"] == DEATHS)
    assert [(r["place"], r["period"], r["relative"], r["flagged"]) for r in deaths["revised"]] \
        == [("39", "2024-12", 0.25, True)]
    assert vsrr["changed_fields"]["retrieved"][1] == "2025-09-14"
    crude = next(s for s in changes["sources"] if any(
        m["measure"] == "overdose_death_rate_crude" for m in s["measures"]))
    assert crude, "the crude rate derived from the revised December count is revised too"

    text = diff.render_text(changes)
    assert f"through {later.later_period} (was 2025-02): 1 new period(s) ({later.later_period}), " \
           "51 states updated" in text
    assert "Ohio 2024-12" in text and "+25.0%" in text


def _published(csv_bytes: bytes, state: str, period: str) -> float:
    """The reported 12-month count of `state` for `period` in a VSRR file as published."""
    year, month = period.split("-")
    name = clock.dt.date(2000, int(month), 1).strftime("%B")
    row = next(r for r in csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")))
               if (r["State"], r["Indicator"], r["Year"], r["Month"])
               == (state, "Number of Drug Overdose Deaths", year, name))
    return float(row["Data Value"])


def _follow(client, email: str, states: list[str], language: str):
    """Sign up and confirm through the site, as a person does; the outbox emptied."""
    client.post("/updates/", {"email": email, "states": states, "topics": ["data"],
                              "language": language, "consent": "on", "website": ""})
    link = re.search(r"https://atlas\.example\.org/updates/confirm/([^/\s]+)/",
                     mail.outbox[-1].body)
    client.post("/updates/confirm/", {"token": link.group(1)})
    mail.outbox.clear()


@pytest.mark.rawdata
@pytest.mark.django_db
def test_a_fetched_release_goes_live_and_reaches_the_subscribers(later_release, releases, client,
                                                                 settings):
    """fetch vsrr -> build --raw -> diff -> load: the new month in the API and on the state
    page, the release on /changes/ and /sources/, one digest line per followed state, once.
    (The refusal without --accept-revisions is test_diff_json_and_a_load_refused_....)"""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"release-{uuid.uuid4().hex}"}}
    settings.SITE_URL = "https://atlas.example.org"
    fetched, built = later_release
    later = releases["later"]
    period = later.later_period
    year_earlier = f"{int(period[:4]) - 1}{period[4:]}"
    assert not Observation.objects.filter(measure=DEATHS, period=period).exists()
    _follow(client, "ana@example.org", ["OH"], "en")
    _follow(client, "beto@example.org", ["OH"], "es")
    _follow(client, "cy@example.org", ["TX"], "en")
    call_command("updates", "send", stdout=io.StringIO())
    assert not mail.outbox, "nothing is news before the load"

    assert "Nothing flagged." not in _run("diff", bundle=built)
    out = _run("load", bundle=built, raw=fetched, accept_revisions=True)
    assert out.startswith(f"loaded bundle {bundle.version(built)[:12]}")

    # The API and the state page have the new month.
    answer = client.get("/api/v1/observations", {"measure": DEATHS, "jurisdiction": "OH",
                                                 "start": period[:4]}).json()
    assert answer["data_version"] == bundle.version(built)[:12]
    export = client.get("/data/datapackage.json")
    assert json.loads(b"".join(export.streaming_content))["version"] == bundle.version(built)
    new_month = [r for r in answer["rows"] if r["period"] == period]
    ohio, ohio_before = (_published(later.rows_csv, "OH", p) for p in (period, year_earlier))
    assert [r["value"] for r in new_month] == [ohio]
    change = formatting.change_percent(ohio_before, ohio)
    more = "more" if change > 0 else "fewer"
    page = client.get("/states/oh/").content.decode()
    assert (f"In the 12 months to {period}, the latest provisional count, "
            f"{formatting.number(ohio)} overdose deaths in Ohio were reported, "
            f"{formatting.percent(abs(change))} {more} than a year earlier.") in page

    # The release record: the sources with their retrieval from the fetch's manifest.
    release = DataRelease.objects.latest()
    vsrr = next(s for s in release.sources if s["id"] == VSRR_SOURCE)
    fetched_entry = manifest.read(fetched)["files"][VSRR.file]
    assert (vsrr["retrieved_at"], vsrr["newest_period"], vsrr["release"]) == (
        fetched_entry["retrieved_at"], period, "2025-08-13T13:56:32Z")
    assert vsrr["retrieved_at"].startswith("2025-09-14T")
    census = next(s for s in release.sources if s["id"] == "census-nst-est2024")
    assert "retrieved_at" not in census and census["retrieved"] == "2025-09-01"
    [summary] = [s for s in release.changes["sources"] if s["id"] == VSRR_SOURCE]
    # (2024 is the crude rate of the calendar year, derived from the revised December count.)
    assert summary["summary"]["revised_periods"] == ["2024", "2024-12"]

    # /changes/ lists it in plain words with its source links, in English and Spanish.
    title = "VSRR Provisional Drug Overdose Death Counts (release of 2025-08-13)"
    assert vsrr["title"] == title
    html = client.get("/changes/").content.decode()
    assert f"{title} through {period}: 51 states updated; 1 earlier month revised" in html
    assert 'href="https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/' \
           'xkb8-kh2a"' in html and f'href="/sources/#source-{VSRR_SOURCE}"' in html
    spanish = client.get("/es/changes/").content.decode()
    assert f"{title} hasta {period}: 51 estados actualizados; 1 mes anterior revisado" in spanish
    data = client.get("/changes/", {"format": "json"}).json()
    assert data["releases"][0]["changes"][0]["id"] == VSRR_SOURCE

    # /sources/ shows the last retrieval and the newest period.
    sources = client.get("/sources/").content.decode()
    block = sources[sources.index(f'id="source-{VSRR_SOURCE}"'):]
    block = block[:block.index("</dl>")]
    assert f"<dt>Newest period</dt><dd>{period}</dd>" in block
    assert "<dt>Last retrieved</dt><dd>2025-09-14</dd>" in block

    # The next digest has one line about Ohio's new month, in each reader's language ...
    call_command("updates", "send", stdout=io.StringIO())
    trend = "up" if change > 0 else "down"
    tendencia = "más" if change > 0 else "menos"
    expected = {
        "ana@example.org": f"Ohio: overdose deaths in the 12 months to {period}: "
                           f"{formatting.number(ohio)}, {trend} "
                           f"{formatting.percent(abs(change))} on a year earlier",
        "beto@example.org": f"Ohio: muertes por sobredosis en los 12 meses hasta {period}: "
                            f"{formatting.number(ohio)}, {formatting.percent(abs(change))} "
                            f"{tendencia} que un año antes",
    }
    for address, line in expected.items():
        [message] = [m for m in mail.outbox if m.to == [address]]
        lines = [x for x in message.body.splitlines() if "Ohio:" in x]
        assert lines == [f"- {line}"], (address, lines)
        assert "https://atlas.example.org/states/OH/" in message.body
    [texas] = [m for m in mail.outbox if m.to == ["cy@example.org"]]
    assert "Ohio" not in texas.body and "Texas: overdose deaths in the 12 months to" in texas.body
    assert f"{title} through {period}: 51 states updated" in texas.body  # national news

    # ... and the digest after that none.
    mail.outbox.clear()
    call_command("updates", "send", stdout=io.StringIO())
    assert not mail.outbox
