"""The home map's layers: what each shows, where its numbers come from, how it is classed.

Two kinds of layer:
- law layers (possession, paraphernalia, decriminalization, good_samaritan,
  overdose_prevention_centers, adult_use_marijuana) show each state's LawStatus on an "as of"
  date; statuses and labels come from drugatlas.laws_vocabulary.
- rate layers (arrests, overdose) show one year of an Observation measure; legend breaks come
  from every year of the measure, so a colour means the same rate in every year.
- the "Consequences of a conviction" family: one law layer per question of the collateral-
  consequences research (laws_vocabulary.CONSEQUENCE_TOPICS), and "consequences", which counts
  how many of four consequences a first possession conviction carries in each state, read
  against the state's possession class (the felony-only ones apply where possession can be a
  felony). A question with no source found is drawn and counted as unknown, never as "no".

`REGISTRY` is the one list of layers, states' and counties' (each says its `geography`);
`LAYERS` is the home map's, `COUNTY_LAYERS` the county pages'. Values, laws and bills are
looked up in drugatlas.atlas.queries; this module classes and words them.

`build(layer, year=..., as_of=...)` returns a MapData: one Row per state (always 51: a state
with nothing to show is a "No data" row, never a zero), and the legend with counts.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drugatlas import clock, formatting
from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text
from drugatlas.measures import LOW_COVERAGE_PERCENT
from drugatlas.atlas import cache
from drugatlas.atlas.profile import flag_words
from drugatlas.atlas import queries
from drugatlas.atlas.models import Bill, Jurisdiction

from . import classify
from .consequences import consequences_layer
from .mapdata import Layer, MapData, Row, SourceLink, _link_label, status_label  # noqa: F401 (re-exported)


STATE, COUNTY = "state", "county"
COUNTY_BIN_MEASURE = queries.COUNTY_BIN_MEASURE

# The one registry of map layers: the home map's state layers, then the county pages' layers.
# A slug names one layer per geography ("arrests" of states and of counties differ in what
# they divide by, so each is declared with its own measures and words).
REGISTRY: tuple[Layer, ...] = (
    Layer("possession", gettext_lazy("Drug possession law"), "law",
          gettext_lazy("How the lowest-level possession of a controlled substance other than "
                       "marijuana (smallest amount, first offense) is classed."),
          topic="possession"),
    Layer("paraphernalia", gettext_lazy("Drug paraphernalia law"), "law",
          gettext_lazy("How possession of drug paraphernalia is classed under state law."),
          topic="paraphernalia"),
    Layer("decriminalization", gettext_lazy("Decriminalization legislation"), "law",
          gettext_lazy("Whether a decriminalization law was enacted or in effect on the date, "
                       "else the furthest stage reached by a state bill or ballot measure with "
                       "an action in the two years up to the date. A bill enacted as something "
                       "other than a decriminalization law counts as advanced; a repealed law "
                       "no longer counts. Each state's bills are listed in its notes."),
          topic="decriminalization"),
    Layer("arrests", gettext_lazy("Drug arrests per 100,000 residents covered"), "rate",
          gettext_lazy("Drug arrests reported to the FBI, divided by the population of the "
                       "reporting agencies' jurisdictions. Where those agencies cover under half "
                       "of the state's residents the state is hatched: the rate may not "
                       "represent the state."),
          measures=("drug_arrest_rate",), ramp="yellow_green_blue",
          unit=gettext_lazy("per 100,000 covered")),
    Layer("overdose", gettext_lazy("Overdose deaths per 100,000"), "rate",
          gettext_lazy("Age-adjusted drug overdose death rates (NCHS final data) for the years "
                       "they are published for most states; for later years, crude provisional "
                       "rates: reported 12-month deaths ending December divided by the Census "
                       "population. Crude and age-adjusted rates are not comparable, so a year's "
                       "map shows one kind for every state, named in its title."),
          measures=("overdose_death_rate_age_adjusted", "overdose_death_rate_crude"),
          unit=gettext_lazy("per 100,000")),
    Layer("race_ratio", gettext_lazy("Black/white ratio of marijuana possession arrests"),
          "rate",
          gettext_lazy("Black residents' marijuana possession arrest rate divided by white "
                       "residents' (News21 from FBI UCR and Census data, 1990–2013). Years in "
                       "which a state reported almost no arrests have no ratio; states News21 "
                       "left out have no data."),
          measures=("marijuana_possession_black_white_ratio",), ramp="orange_red",
          unit=gettext_lazy("times the white rate")),
    Layer("good_samaritan", gettext_lazy("911 Good Samaritan law"), "law",
          gettext_lazy("Whether state law protects people who call 911 for an overdose from "
                       "some drug charges."),
          topic="good_samaritan"),
    Layer("overdose_prevention_centers", gettext_lazy("Overdose prevention centers"), "law",
          gettext_lazy("Whether supervised consumption sites are authorized by state law or "
                       "operate without one."),
          topic="overdose_prevention_centers"),
    Layer("adult_use_marijuana", gettext_lazy("Adult-use marijuana"), "law",
          gettext_lazy("Whether marijuana is legal for adults' use under state law."),
          topic="adult_use_marijuana"),
    # Consequences of a conviction (collateral-consequences research).
    Layer("consequences", gettext_lazy("Consequences of a first possession conviction"), "law",
          gettext_lazy("How many of four consequences a first conviction for possessing a small "
                       "amount carries: losing food assistance (SNAP) and cash assistance "
                       "(TANF), a lifetime or a conditional ban; a suspended driver's license; "
                       "losing the vote. The benefit bans and the loss of the vote follow a "
                       "felony, so they count only where possession can be a felony (the "
                       "possession class is read on the same date). Voting follows the state's "
                       "rule for felonies; a few states exempt simple possession. A part with no "
                       "source found is listed and the count reads “at least”."),
          ramp="orange_red", group=gettext_lazy("Consequences of a conviction")),
    Layer("snap_drug_felony_ban", gettext_lazy("Food assistance (SNAP) after a drug felony"),
          "law", gettext_lazy("Whether the state applies the federal lifetime ban on food "
                              "assistance for a drug felony, applies it with conditions "
                              "(treatment, testing, a waiting period), or opted out."),
          topic="snap_drug_felony_ban", group=gettext_lazy("Consequences of a conviction")),
    Layer("tanf_drug_felony_ban", gettext_lazy("Cash assistance (TANF) after a drug felony"),
          "law", gettext_lazy("Whether the state applies the federal lifetime ban on cash "
                              "assistance for a drug felony, applies it with conditions, or "
                              "opted out."),
          topic="tanf_drug_felony_ban", group=gettext_lazy("Consequences of a conviction")),
    Layer("license_suspension_drug", gettext_lazy("Driver's license and drug convictions"),
          "law", gettext_lazy("Whether state law still suspends the driver's license of a person "
                              "convicted of a drug offense unrelated to driving (mandatory "
                              "adult suspension; in some states only for some offenses)."),
          topic="license_suspension_drug", group=gettext_lazy("Consequences of a conviction")),
    Layer("felony_voting", gettext_lazy("Voting after a felony conviction"), "law",
          gettext_lazy("When a person convicted of a felony can vote again: never loses the "
                       "vote, on release from prison, after parole and probation, after the "
                       "sentence with further conditions, or never for some convictions."),
          topic="felony_voting", group=gettext_lazy("Consequences of a conviction")),
    Layer("possession_record_relief", gettext_lazy("Clearing a possession conviction"), "law",
          gettext_lazy("How a first conviction for possession can be cleared from a person's "
                       "record: automatically, on petition to a court or agency, only in "
                       "limited cases, or not at all."),
          topic="possession_record_relief", group=gettext_lazy("Consequences of a conviction")),
    # County layers (drugatlas/atlas/views/counties.py); also listed on /sources/.
    Layer("overdose", gettext_lazy("Overdose death rate (model-based range)"), "rate",
          gettext_lazy("NCHS publishes each county only as one of 16 ranges (under 2, "
                       "2–3.9, … 30 or more per 100,000), so we show the range, never "
                       "a single number. County estimates stop in 2016."),
          measures=(COUNTY_BIN_MEASURE,), geography=COUNTY,
          counts=gettext_lazy("Drug-poisoning deaths of the county's residents, as estimated "
                              "by a CDC/NCHS small-area model (1999–2016)."),
          divides_by=gettext_lazy("The county's residents, age-adjusted to the 2000 U.S. "
                                  "standard population.")),
    Layer("arrests", gettext_lazy("Drug arrests per 100,000 residents (crude)"), "rate",
          gettext_lazy("Arrests are counted where they happen, not where the arrested "
                       "people live, and a person arrested twice counts twice."),
          # The crude rate the pipeline stores, shown with its count and population.
          measures=(queries.COUNTY_ARREST_RATE, queries.COUNTY_ARRESTS,
                    queries.COUNTY_POPULATION),
          ramp="yellow_green_blue", geography=COUNTY,
          counts=gettext_lazy("Drug arrests made by the county's agencies, from the FBI's "
                              "county-level arrest files as processed by ICPSR/NACJD, which "
                              "estimate (impute) arrests for agencies that did not report: "
                              "estimates, not reported counts."),
          divides_by=gettext_lazy("The county's Census population of the same year: a crude "
                                  "rate, computed only where the count and the population are "
                                  "for the same county and year.")),
)


def layers_of(geography: str) -> dict[str, Layer]:
    """The registry's layers of one geography, by slug, in declaration order."""
    return {layer.slug: layer for layer in REGISTRY if layer.geography == geography}


LAYERS: dict[str, Layer] = layers_of(STATE)  # the home map
COUNTY_LAYERS: dict[str, Layer] = layers_of(COUNTY)  # a state's county pages
DEFAULT_LAYER = "possession"

# Colours per topic (keys are vocabulary statuses); topics not listed use a sequential ramp.
LAW_COLOURS = {
    "possession": classify.CRIMINAL_CLASS_COLOURS,
    "paraphernalia": classify.CRIMINAL_CLASS_COLOURS,
    "good_samaritan": classify.YES_NO_COLOURS,
    "adult_use_marijuana": classify.YES_NO_COLOURS,
    "overdose_prevention_centers": {"authorized": "#2166ac", "operating": "#92c5de",
                                    "none": "#fdb863"},
    # Consequences: blue where the conviction costs nothing, darker orange to red as it costs more.
    "snap_drug_felony_ban": classify.BAN_COLOURS,
    "tanf_drug_felony_ban": classify.BAN_COLOURS,
    "license_suspension_drug": {"no": "#2166ac", "yes": "#b2182b"},
    "felony_voting": {"never_lose": "#2166ac", "restored_on_release": "#fdb863",
                      "restored_after_parole_probation": "#f4a582",
                      "restored_after_sentence_plus": "#d6604d",
                      "permanent_for_some": "#8c1d04"},
    "possession_record_relief": {"automatic": "#2166ac", "petition": "#92c5de",
                                 "limited": "#fdb863", "none": "#8c1d04"},
}

# Words for the flags a value may carry, as a reader should see them.
# Flags said in the map's notes; low coverage is shown by hatching instead (profile words).
NOTE_FLAGS = ("provisional", "suppressed", "no_reporting", "estimated", "imputed", "partial",
              "no_breakdown", "not_published", "no_coverage", "little_reporting", "limited_data")


def _states() -> list[Jurisdiction]:
    return queries.states()


def flag_notes(flags) -> list[str]:
    return flag_words([f for f in flags if f in NOTE_FLAGS])


# --- Years and breaks of rate layers (cached until the data change) ----------------------

def _cached(name: str, layer: Layer, compute):
    return cache.remember(compute, name, layer.slug, per_language=False)  # numbers only


def years(layer: Layer) -> list[int]:
    """Years with at least one state value on a rate layer."""
    def compute():
        periods = queries.state_layer_periods(layer.measures)
        return sorted({int(p) for p in periods if len(p) == 4 and p.isdigit()})
    return _cached("layer-years", layer, compute)


def breaks(layer: Layer) -> list[float]:
    """Legend breaks from every state value of the layer's measures, all years."""
    return _cached("layer-breaks", layer, lambda: classify.nice_breaks(
        queries.state_layer_values(layer.measures)))


# --- Building a layer --------------------------------------------------------------------

def build(slug: str, *, year: int | None = None, as_of: dt.date | None = None) -> MapData:
    layer = LAYERS[slug]
    if slug == "decriminalization":
        return _decriminalization_layer(layer, as_of or clock.today())
    if slug == "consequences":
        return consequences_layer(layer, as_of or clock.today())
    if layer.is_law:
        return _law_layer(layer, as_of or clock.today())
    available = years(layer)
    return _rate_layer(layer, year or (available[-1] if available else None), available)


def _law_bins(layer: Layer) -> list[classify.Bin]:
    statuses = [(s.value, _(s.label)) for s in vocab.legend(layer.topic)]
    bins = classify.categorical_bins(statuses, colours=LAW_COLOURS.get(layer.topic),
                                     ramp=classify.STAGE_COLOURS)
    if layer.topic in SINCE_TOPICS:
        at = next(i for i, b in enumerate(bins) if b.key == "yes")
        bins[at:at + 1] = _since_bins()
    return bins


# Law layers where "yes" is split by when the law took effect, so the map says more than
# yes or no: (first year of the class or None, legend label). Keys are "yes:<year>".
SINCE_TOPICS = ("good_samaritan",)
SINCE_CLASSES = ((None, gettext_lazy("In force since before 2012")),
                 (2012, gettext_lazy("In force since 2012–2014")),
                 (2015, gettext_lazy("In force since 2015 or later")))


def _since_bins() -> list[classify.Bin]:
    bins = [classify.Bin(f"yes:{start or 0}", label, colour)
            for (start, label), colour in zip(SINCE_CLASSES, classify.SINCE_COLOURS)]
    return bins + [classify.Bin("yes:unrecorded", _("In force, start not recorded"),
                                classify.SINCE_UNRECORDED)]


def _since_key(law) -> str:
    """The "yes" bin of a law: by the year it took effect, or "start not recorded" where its
    date is only the one a source attests it on (docs/codebook.md, "Dating")."""
    if law.valid_from is None or law.date_basis == "attested":
        return "yes:unrecorded"
    starts = [start or 0 for start, _label in SINCE_CLASSES]
    return f"yes:{max(s for s in starts if s <= law.valid_from.year)}"


def _law_layer(layer: Layer, as_of: dt.date) -> MapData:
    current = queries.state_laws_in_force(layer.topic, as_of)
    bins = _law_bins(layer)
    labels = {b.key: str(b.label) for b in bins}
    rows = []
    for place in _states():
        law = current.get(place.fips)
        if law is None:
            rows.append(Row(place.fips, place.abbr, place.name, classify.NO_DATA, _("No data"),
                            sources=[SourceLink(reverse("atlas:sources") + f"#layer-{layer.slug}",
                                                _("state law research checked"))]))
            continue
        status = law.status if law.status in labels or law.status == "yes" else classify.UNKNOWN
        key = _since_key(law) if layer.topic in SINCE_TOPICS and status == "yes" \
            else status if status in labels else classify.UNKNOWN
        # The statute page is the primary citation; the other pages are secondary.
        sources = [SourceLink(url, _link_label(url)) for url in law.secondary_citations()]
        if law.source and law.source.url and not sources and not law.statute_url:
            sources.append(SourceLink(law.source.url, law.source.publisher))
        notes = []
        consequence = layer.topic in vocab.CONSEQUENCE_TOPICS
        if law.confidence == "low":
            notes.append(_("confidence: %(c)s") % {"c": _(law.confidence)})
        if not law.valid_from or key == classify.UNKNOWN:
            period = _("as of %(date)s") % {"date": date_text(as_of)}
        elif law.date_basis == "attested":  # a source shows it then; when it began is not known
            period = law.attested_text()
        elif consequence:
            # The research knows these dates to the year at best (docs/codebook.md).
            period = _("since %(date)s") % {"date": law.valid_from.year}
        else:
            period = _("since %(date)s") % {"date": law.from_text()}
        # No dated source for the date: the row says which years the atlas lacks.
        label = law.status_text() if key == classify.UNKNOWN else labels[key]
        rows.append(Row(place.fips, place.abbr, place.name, key, label,
                        rank=vocab.rank(layer.topic, status) if key != classify.UNKNOWN else None,
                        period=period, notes=notes, sources=sources,
                        confidence=law.confidence, statute=law.statute, grade=law.grade,
                        max_penalty=law.max_penalty,
                        statute_link=SourceLink(law.statute_url, _link_label(law.statute_url))
                        if law.statute_url else None))
    title = f"{layer.title}, {_('as of %(date)s') % {'date': date_text(as_of)}}"
    return MapData(layer, rows, classify.legend(title, bins, [r.key for r in rows]),
                   as_of=as_of)


def _layer_sources(layer: Layer) -> list:
    """The sources of a rate layer's measures (for a state none of them covers in a year)."""
    found = {s.publisher: s for s in queries.state_layer_sources(layer.measures)}
    return list(found.values())


def _rate_layer(layer: Layer, year: int | None, available: list[int]) -> MapData:
    layer_breaks = breaks(layer)
    bins = classify.sequential_bins(layer_breaks, layer.ramp)
    period = str(year) if year else ""
    wanted = list(layer.measures)
    if layer.slug == "arrests":
        wanted.append("arrest_coverage_share")
    found = queries.state_values(wanted, period)
    states = _states()
    # One measure for the whole year: a crude rate beside an age-adjusted one would be read as
    # comparable. The preferred measure if it covers at least half the states, else the one
    # that covers the most.
    coverage = {m: sum(1 for p in states if (p.fips, m) in found
                       and found[(p.fips, m)].value is not None) for m in layer.measures}
    measure = next((m for m in layer.measures if coverage[m] * 2 >= len(states)),
                   max(layer.measures, key=lambda m: coverage[m]))
    rows = []
    used: set[str] = set()
    for place in states:
        value = found.get((place.fips, measure))
        chosen = value if value is not None and value.value is not None else None
        if chosen is None:
            # A row without a value still says why (suppressed, no agency reported).
            empty = found.get((place.fips, measure)) or next(
                (found[(place.fips, m)] for m in layer.measures if (place.fips, m) in found), None)
            notes = flag_notes(empty.flag_list()) if empty else []
            # The source checked, so a reader can see for themselves that it has no value.
            sources = [SourceLink(empty.source.url, empty.source.publisher)] if empty else \
                [SourceLink(s.url, s.publisher) for s in _layer_sources(layer)]
            rows.append(Row(place.fips, place.abbr, place.name, classify.NO_DATA, _("No data"),
                            period=period, notes=notes or [_("the source gives no value")],
                            sources=sources))
            continue
        used.add(chosen.measure_id)
        flags = chosen.flag_list()
        notes = []
        if chosen.measure_id == "overdose_death_rate_age_adjusted":
            notes.append(_("age-adjusted"))
        elif chosen.measure_id == "overdose_death_rate_crude":
            notes.append(_("crude"))
        notes += flag_notes(flags)
        hatched = False
        if layer.slug == "arrests":
            share_obs = found.get((place.fips, "arrest_coverage_share"))
            share = share_obs.value if share_obs else None
            hatched = "low_coverage" in flags or (share is not None and share < LOW_COVERAGE_PERCENT)
            if share is not None:
                notes.append(_("agencies cover %(share)s%% of residents")
                             % {"share": formatting.figure(share, "arrest_coverage_share")})
            if hatched:
                notes.append(_("low coverage: under half of residents"))
        src = chosen.source
        rows.append(Row(place.fips, place.abbr, place.name,
                        classify.bin_key(chosen.value, layer_breaks),
                        formatting.figure(chosen.value, chosen.measure_id), value=chosen.value, period=period,
                        notes=notes, sources=[SourceLink(src.url, src.publisher)],
                        hatched=hatched))
    title = f"{layer.title}, {year}" if year else str(layer.title)
    kinds = {"overdose_death_rate_age_adjusted": _("age-adjusted"),
             "overdose_death_rate_crude": _("crude, provisional")}
    if measure in kinds and used:
        title += f" ({kinds[measure]})"  # the year's one kind of rate
    legend = classify.legend(title, bins, [r.key for r in rows],
                             low_coverage=sum(r.hatched for r in rows))
    return MapData(layer, rows, legend, year=year, years=available)


# --- Decriminalization legislation: laws in force, else the stage bills reached ------------

BILL_WINDOW = dt.timedelta(days=730)  # about one two-year legislative session
BILL_STAGE = {"introduced": "introduced", "advanced": "advanced", "enacted": "advanced",
              "in_effect": "advanced"}
STAGE_ORDER = ("none", "introduced", "advanced", "enacted", "in_effect")


def _bill_stages(as_of: dt.date) -> dict[str, list[tuple[str, Bill, str, dt.date]]]:
    """Per state FIPS: (stage, bill, latest status, its date, the date as known) of bills
    active in the window."""
    found: dict[str, list] = {}
    for bill in queries.state_bills():
        events = sorted((e for e in bill.events.all() if e.date and e.date <= as_of),
                        key=lambda e: (e.date, e.id))
        if not events or events[-1].date < as_of - BILL_WINDOW:
            continue
        latest = events[-1]
        reached = [BILL_STAGE[e.status] for e in events if e.status in BILL_STAGE]
        stage = "none" if latest.status == "repealed" or not reached else max(
            reached, key=STAGE_ORDER.index)
        found.setdefault(bill.jurisdiction_id, []).append(
            (stage, bill, latest.status, latest.date, latest.date_text()))
    return found


def _decriminalization_layer(layer: Layer, as_of: dt.date) -> MapData:
    laws = queries.state_laws_in_force(layer.topic, as_of, states_only=False)
    bills = _bill_stages(as_of)
    bins = _law_bins(layer)
    labels = {b.key: str(b.label) for b in bins}
    rows = []
    for place in _states():
        law = laws.get(place.fips)
        stage = law.status if law and law.status in STAGE_ORDER else "none"
        sources = [SourceLink(u, _link_label(u)) for u in law.citation_list()] if law else []
        notes = []
        for bill_stage, bill, status, date, when in sorted(bills.get(place.fips, []),
                                                           key=lambda b: b[3], reverse=True):
            if STAGE_ORDER.index(bill_stage) > STAGE_ORDER.index(stage):
                stage = bill_stage
            notes.append(f"{bill.number}: {_(vocab.bill_status_label(status)).lower()} {when}")
            sources += [SourceLink(u, _link_label(u)) for u in bill.citation_list()[:1]]
        period = (_("since %(date)s") % {"date": law.from_text()}
                  if law and law.valid_from and law.status == stage
                  else _("as of %(date)s") % {"date": date_text(as_of)})
        rows.append(Row(place.fips, place.abbr, place.name, stage, labels[stage],
                        rank=STAGE_ORDER.index(stage), period=period, notes=notes,
                        sources=sources, confidence=law.confidence if law else ""))
    title = f"{layer.title}, {_('as of %(date)s') % {'date': date_text(as_of)}}"
    return MapData(layer, rows, classify.legend(title, bins, [r.key for r in rows]), as_of=as_of)
