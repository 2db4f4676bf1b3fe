"""Where each reader's files come from: the publisher's machine endpoint, or a person.

One entry per reader of drugatlas.sources.registry, by the reader's name (`drugatlas data fetch
vsrr`). File paths are the readers' own (SourceInfo.file), so a fetched file lands where the
reader looks for it. An address is fetched only where the publisher serves the very file the
reader reads at a stable address; everything else says why not and where the file goes.
"""
from __future__ import annotations

from dataclasses import dataclass

from drugatlas.sources import census, ct, fbi_cde, fbi_table69, icpsr, laws, news21, nchs, ny_dcjs
from drugatlas.sources import consequences, costs, fbi_table43a, nchs_final, vsrr


@dataclass(frozen=True)
class Download:
    """A file the publisher serves at a stable address."""

    file: str  # where it goes, relative to the raw folder (the reader's SourceInfo.file)
    url: str  # the publisher's official download address
    kind: str = "csv"  # csv | json: what the answer must be
    # Text the publisher writes in another encoding than UTF-8 is stored as UTF-8 (the readers
    # read UTF-8); the manifest records that, and the sha256 of the bytes as published.
    fallback_encoding: str = ""
    # Socrata dataset: its metadata says when the rows last changed, so an unchanged release
    # is recognised before the (large) rows are asked for.
    metadata: Download | None = None


@dataclass(frozen=True)
class ByHand:
    """A file with no stable machine endpoint: a person downloads it and puts it in place."""

    file: str  # where it goes, relative to the raw folder
    where: str  # where to get it
    why: str
    then: str = ""  # what else to do once the file is in place


@dataclass(frozen=True)
class Entry:
    reader: str
    downloads: tuple[Download, ...] = ()
    by_hand: tuple[ByHand, ...] = ()
    project: str = ""  # research this project keeps itself: nothing to fetch (says where)

    @property
    def fetchable(self) -> bool:
        return bool(self.downloads)


def socrata(host: str, dataset: str, file: str) -> Download:
    """A Socrata dataset's CSV export, with its metadata record stored beside it as <id>.json."""
    folder = file.rsplit("/", 1)[0]
    metadata = Download(f"{folder}/{dataset}.json", f"https://{host}/api/views/{dataset}.json",
                        kind="json")
    return Download(file, f"https://{host}/api/views/{dataset}/rows.csv?accessType=DOWNLOAD",
                    metadata=metadata)


def _census(source) -> Download:
    # The Census Bureau's own files are Latin-1 (county names such as "Doña Ana").
    return Download(source.file, source.url, fallback_encoding="latin-1")


CDE_DOWNLOADS = "https://cde.ucr.cjis.gov/LATEST/webapp/#/pages/downloads"

ENTRIES: dict[str, Entry] = {e.reader: e for e in (
    Entry("census", downloads=tuple(_census(s) for s in (
        census.NST_2019, census.NST_2024, census.CO_2019, census.CO_2022))),
    Entry("nchs", downloads=(
        socrata("data.cdc.gov", "xbxb-epbu", nchs.STATE_FINAL.file),
        socrata("data.cdc.gov", "489q-934x", nchs.QUARTERLY.file),
    ), by_hand=(
        ByHand(nchs.SOSMAP.file,
               "CDC/NCHS \"Drug Overdose Mortality by State\", "
               "https://www.cdc.gov/nchs/state-stats/deaths/drug-overdose.html (Download Data)",
               "the page offers its table only through a download button, and the atlas uses "
               "it for 2018 only, a closed year"),
        ByHand(nchs.COUNTY.file,
               "data.cdc.gov, \"NCHS - Drug Poisoning Mortality by County: United States\" "
               "(edition 1999-2016)",
               "the dataset id of the 1999-2016 edition is not verified (see its PROVENANCE.md), "
               "so no address is asked for it"),
    )),
    Entry("nchs_final", by_hand=tuple(ByHand(
        source.file, source.url,
        "NCHS publishes these final rates in data briefs, Health E-Stats pages and the "
        "SOS map's page, not as a file at a stable address") for source in nchs_final.SOURCES)),
    Entry("vsrr", downloads=(socrata("data.cdc.gov", "xkb8-kh2a", vsrr.SOURCE.file),)),
    Entry("fbi_table69", by_hand=(ByHand(
        f"{fbi_table69.FOLDER}/raw/table69_<YEAR>.xlsx",
        f"FBI Crime Data Explorer, Documents & Downloads, \"Persons Arrested\" ({CDE_DOWNLOADS})",
        "the FBI publishes Table 69 as Excel inside a zip the Crime Data Explorer hands out "
        "through short-lived signed links, not at a stable address",
        then="add the year to YEARS in drugatlas/sources/fbi_table69.py"),)),
    Entry("icpsr", by_hand=tuple(ByHand(
        f"{folder.name}/county/ucr_county_drug_arrests_<YEAR>.csv",
        "ICPSR/NACJD, \"Uniform Crime Reporting Program Data: County-Level Detailed Arrest and "
        "Offense Data\" (https://www.icpsr.umich.edu/web/NACJD/)",
        "ICPSR serves its studies only after sign-in and agreement to its terms, and the files "
        "here are extracts made from them (see PROVENANCE.md)") for folder in icpsr.FOLDERS)),
    Entry("fbi_cde", by_hand=(ByHand(
        fbi_cde.SOURCE.file, fbi_cde.SOURCE.url,
        "arrests_national_drug.csv (1994-2016) is a bulk file of the retired Crime Data "
        "Explorer; the current CDE API (api.usa.gov/crime/fbi/cde, with an api.data.gov key) "
        "answers monthly JSON in another layout, which no reader reads"),)),
    Entry("fbi_table43a", by_hand=(ByHand(
        f"{fbi_table43a.FOLDER}/raw/table43A_<YEAR>.xls",
        f"FBI Crime in the United States, Table 43A, each year ({CDE_DOWNLOADS})",
        "the FBI publishes Table 43A as Excel inside the yearly CIUS download, not at a stable "
        "address", then="add the year to YEARS in drugatlas/sources/fbi_table43a.py"),)),
    Entry("ct", by_hand=(ByHand(
        ct.SOURCE.file, ct.SOURCE.url,
        "an extract this project made from seven yearly data.ct.gov tables (see "
        "PROVENANCE.md), not a file the state publishes"),)),
    Entry("ny_dcjs", downloads=(socrata("data.ny.gov", "rikd-mt35", ny_dcjs.SOURCE.file),)),
    Entry("news21", by_hand=(ByHand(
        news21.SOURCE.file, news21.SOURCE.url,
        "a flattened copy of the chart data of a 2015 story; the site is not updated"),)),
    Entry("laws", project=f"{laws.FOLDER}/ (the project's legal research: edit it there)"),
    Entry("costs", project=f"{costs.FILE} (the project's research: edit it there)"),
    Entry("consequences",
          project=f"{consequences.FILE} (the project's legal research: edit it there)"),
)}


def entries(names: list[str] | tuple[str, ...] = ()) -> list[Entry]:
    """The entries for the given reader names (all when none); ValueError names unknown ones."""
    unknown = [n for n in names if n not in ENTRIES]
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(ENTRIES)}")
    return [ENTRIES[n] for n in (names or ENTRIES)]
