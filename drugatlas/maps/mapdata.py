"""The shapes of a map's data, shared by the layer builders (maps/layers.py for most layers,
maps/consequences.py for the count of consequences): a layer's declaration, its rows and the
legend, and the words a row uses for a law class or a source link."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text

from . import classify


@dataclass(frozen=True)
class Layer:
    slug: str
    title: object  # a lazy translation
    kind: str  # "law" or "rate"
    method: object  # what counts, what a rate divides by
    topic: str = ""  # law layers: the LawStatus topic
    measures: tuple[str, ...] = ()  # rate layers: preferred measure first, then the fallback
    ramp: str = "orange_red"
    unit: object = ""
    group: object = ""  # the heading the layer is listed under ("" = the main layers)
    geography: str = "state"  # "state" (the home map) or "county" (a state's county pages)
    counts: object = ""  # county layers: what counts, in words (also on /sources/)
    divides_by: object = ""  # county layers: what the rate divides by

    @property
    def is_law(self) -> bool:
        return self.kind == "law"

    @property
    def label(self) -> object:
        return self.title


@dataclass(frozen=True)
class SourceLink:
    url: str
    label: str


@dataclass
class Row:
    fips: str
    abbr: str
    name: str
    key: str  # legend bin key
    text: str  # the value or class in words, e.g. "Misdemeanor" or "581.2"
    value: float | None = None  # rate layers: for sorting
    rank: int | None = None  # law layers: position on the scale, for sorting
    period: str = ""  # "2019", or for laws "since 2024-09-01"
    notes: list[str] = field(default_factory=list)  # caveats in words
    sources: list[SourceLink] = field(default_factory=list)
    hatched: bool = False
    confidence: str = ""
    # Law layers: the statute that sets the class (the primary citation), its grade in the
    # statute's words, its maximum penalty and the page where its text was seen.
    statute: str = ""
    grade: str = ""
    max_penalty: str = ""
    statute_link: SourceLink | None = None

    @property
    def statute_text(self) -> str:
        """"ORS 475.752 (Class A misdemeanor; up to 364 days)": the statute in one line."""
        detail = "; ".join(p for p in (self.grade, self.max_penalty) if p)
        return f"{self.statute} ({detail})" if self.statute and detail else self.statute

    @property
    def has_data(self) -> bool:
        return self.key != classify.NO_DATA


@dataclass
class MapData:
    layer: Layer
    rows: list[Row]
    legend: classify.Legend
    year: int | None = None  # rate layers
    as_of: dt.date | None = None  # law layers
    years: list[int] = field(default_factory=list)  # rate layers: years with data
    hatch_label: str = ""  # what hatching means on this map, where some row is hatched

    @property
    def when(self) -> str:
        return str(self.year) if self.year else date_text(self.as_of) if self.as_of else ""


def _link_label(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def status_label(topic: str, status: str) -> str:
    """A status as the topic's legend says it, in the reader's language."""
    try:
        return _(vocab.label(topic, status))
    except KeyError:
        return status.replace("_", " ")
