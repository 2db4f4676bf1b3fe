"""A state's profile as the page says it: headline sentences, labels, yearly trends, law
history, bills.

The facts come from drugatlas.atlas.queries (`place_facts`); this module words and formats
them. The state page renders the result and its JSON twin serializes it. Every figure carries
its period, flags and source, so the page can say the year, the caveat and where the number
came from.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from drugatlas import clock
from drugatlas import formatting
from drugatlas import laws_vocabulary as vocab
from drugatlas import measures as measure_list
from drugatlas.atlas import consequences, queries
from drugatlas.atlas.models import Bill, Jurisdiction, LawStatus
from drugatlas.atlas.queries import (NATION_FIPS, Observations, PlaceFacts, SourceRef,  # noqa: F401
                                     Value, basis_key, year_of)

# Words for flags, as a reader should see them next to a number (translated when used).
FLAG_WORDS = {
    "provisional": _noop("provisional"),
    "predicted": _noop("predicted (adjusted for reporting delay)"),
    "suppressed": _noop("suppressed by the publisher"),
    "low_coverage": _noop("low coverage: reporting agencies cover under half the population"),
    "no_reporting": _noop("no agency reported"),
    "estimated": _noop("estimated"),
    "imputed": _noop("includes estimates for agencies that did not report"),
    "binned": _noop("published only as a range"),
    "partial": _noop("incomplete, as the publisher notes"),
    "no_breakdown": _noop("the publisher gave a total but no possession/sale split"),
    "not_published": _noop("not in the publisher's table for this year"),
    "no_coverage": _noop("the reporting agencies serve no resident population, so no rate"),
    "little_reporting": _noop("the state reported almost no arrests that year: no ratio"),
    "limited_data": _noop("no figures published: the publisher notes only limited data were "
                          "available"),
}
# Flags that say why a value is missing (the others qualify a value that is there).
MISSING_FLAGS = ("suppressed", "no_reporting", "no_breakdown", "not_published", "no_coverage",
                 "little_reporting", "limited_data")

ARREST_MEASURES = ("drug_arrests", "drug_arrest_rate", "arrest_coverage_share",
                   "arrest_population_covered", "drug_arrests_possession", "drug_arrests_sale")
DRUG_CLASSES = ("opioids", "synthetic_opioids", "heroin", "natural_semisynthetic_opioids",
                "methadone", "cocaine", "psychostimulants")
OVERDOSE_MEASURES = ("overdose_deaths", "overdose_death_rate_age_adjusted",
                     "overdose_death_rate_crude", "overdose_deaths_12mo_provisional",
                     *(f"overdose_deaths_12mo_{c}" for c in DRUG_CLASSES))
# Race: News21 marijuana-possession rates by race (states, 1990-2013), drug arrest counts by
# race (Connecticut's state police; the nation from FBI Table 43A, 2004-2024).
NEWS21_MEASURES = ("marijuana_possession_arrest_rate_white",
                   "marijuana_possession_arrest_rate_black",
                   "marijuana_possession_black_white_ratio")
RACE_COUNT_MEASURES = ("drug_arrests_white", "drug_arrests_black", "drug_arrests_american_indian",
                       "drug_arrests_asian", "drug_arrests_pacific_islander",
                       "drug_arrests_asian_pacific_islander")
# The nation's non-Hispanic Black share of residents (NCHS's Census populations, 1999-2017).
BLACK_POPULATION_MEASURES = ("population_non_hispanic_black",
                             "population_share_non_hispanic_black")
RACE_MEASURES = (*NEWS21_MEASURES, *RACE_COUNT_MEASURES, "drug_arrests_race_total",
                 "drug_arrests_race_population_covered", *BLACK_POPULATION_MEASURES)
# ICPSR's state sums for years FBI Table 69 covers: their own series, their own chart.
ICPSR_SUM_MEASURES = ("drug_arrests_icpsr_sum", "drug_arrests_possession_icpsr_sum",
                      "drug_arrests_sale_icpsr_sum")
PROFILE_MEASURES = ("population", *ARREST_MEASURES, *ICPSR_SUM_MEASURES, *OVERDOSE_MEASURES,
                    *RACE_MEASURES)

# Topics whose changes are drawn on each trend chart.
# (Decriminalization is left off: its dates repeat the possession law's.)
ARREST_CHART_TOPICS = ("possession", "paraphernalia", "adult_use_marijuana")
OVERDOSE_CHART_TOPICS = ("possession", "good_samaritan", "overdose_prevention_centers")


def status_words(topic: str, status: str) -> str:
    """A law status as its map legend says it, in the reader's language."""
    try:
        return _(vocab.label(topic, status))
    except KeyError:  # a status outside the vocabulary: show it rather than hide the record
        return status.replace("_", " ").capitalize()


def bill_status_words(status: str) -> str:
    try:
        return _(vocab.bill_status_label(status))
    except KeyError:
        return status.replace("_", " ").capitalize()


# How a series was counted, in words (the basis itself: queries.basis_key).
BASIS_WORDS = {
    "fbi-cius-table69": _noop("FBI Table 69, agencies that reported"),
    "fbi-cde-arrests-national-drug": _noop("FBI national file (Crime Data Explorer)"),
    "icpsr-state-1986-2008": _noop("ICPSR county files"),
    "icpsr-state-2010-2016": _noop("ICPSR county files plus statewide agencies"),
    "icpsr-state-sums": _noop("ICPSR county-level sums"),
    "nchs-final": _noop("NCHS final death data"),
    "nchs-vsrr": _noop("NCHS provisional counts (VSRR)"),
}
# Words for the flags in queries.BASIS_QUALIFIER_FLAGS.
BASIS_QUALIFIERS = {"imputed": _noop("with estimates for agencies that did not report"),
                    "provisional": _noop("provisional")}


def basis_words(key: str, publisher: str = "") -> str:
    family, *qualifiers = key.split("+")
    words = _(BASIS_WORDS[family]) if family in BASIS_WORDS else (publisher or family)
    return ", ".join([words, *(_(BASIS_QUALIFIERS[q]) for q in qualifiers)])


def flag_words(flags: list[str]) -> list[str]:
    return [_(FLAG_WORDS[f]) if f in FLAG_WORDS else f.replace("_", " ") for f in flags]


def missing_words(flags: list[str], publisher: str) -> str:
    """Why a value is missing, in words that name the source checked: "not in the publisher's
    table for this year; source checked: Federal Bureau of ...". Never an invented
    reason: with no flag it says only that the source gives no value."""
    reasons = flag_words([f for f in flags if f in MISSING_FLAGS]) or [
        _("the source gives no value")]
    return _("%(reasons)s; source checked: %(source)s") % {"reasons": "; ".join(reasons),
                                                   "source": publisher}


@dataclass
class Figure:
    """One observation as the page shows it."""

    measure: str
    label: str
    period: str
    value: float | None
    flags: list[str]
    flag_words: list[str]
    source: SourceRef

    @classmethod
    def of(cls, obs: Value) -> "Figure":
        flags = obs.flag_list()
        return cls(obs.measure_id, measure_list.get(obs.measure_id).label
                   if obs.measure_id in measure_list.BY_SLUG else obs.measure_id,
                   obs.period, obs.value, flags, flag_words(flags), SourceRef.of(obs.source))


@dataclass
class Statement:
    """A summary sentence with the figures it quotes (for source links and problem reports)."""

    key: str
    text: str
    figures: list[Figure]
    notes: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[SourceRef]:
        return list({f.source.id: f.source for f in self.figures}.values())


def observations(place: Jurisdiction, slugs=PROFILE_MEASURES) -> Observations:
    """A place's yearly observations of the profile's measures (drugatlas.atlas.queries)."""
    return queries.Observations(place, slugs)


def n(value: float | None, decimals: int = 0) -> str:
    """A number as the reader sees it: rounded half away from zero, grouped (formatting.py)."""
    return formatting.number(value, decimals)


def fig(obs: Value | None) -> str:
    """An observation's value at its measure's declared precision."""
    return formatting.figure(obs.value, obs.measure_id) if obs else ""


def fig_with_unit(obs: Value | None) -> str:
    """As fig(), with "%" on a share ("96%"), where a table cell has no room for the words."""
    if obs is None or obs.value is None:
        return fig(obs)
    info = measure_list.get(obs.measure_id)
    if info and info.unit == "percent":
        return formatting.percent(obs.value, formatting.measure_decimals(obs.measure_id))
    return fig(obs)


def in_text(place: Jurisdiction) -> str:
    """The place's name as it reads inside a sentence."""
    if place.fips == NATION_FIPS:
        return _("the United States")
    return _("the District of Columbia") if place.abbr == "DC" else place.name


def arrest_statement(place: Jurisdiction, obs: Observations) -> Statement | None:
    year = obs.latest_year("drug_arrests")
    if year is None:
        return None
    arrests = obs.get("drug_arrests", year)
    rate, share = obs.get("drug_arrest_rate", year), obs.get("arrest_coverage_share", year)
    covered = obs.get("arrest_population_covered", year)
    figures = [Figure.of(o) for o in (arrests, rate, share, covered) if o is not None]
    values = {"year": year, "state": in_text(place), "arrests": fig(arrests)}
    if share and share.value is not None:
        values["who"] = _("agencies covering %(share)s%% of the residents of %(state)s") % {
            "share": fig(share), "state": in_text(place)}
    elif covered and covered.value:
        values["who"] = _("agencies covering %(people)s residents of %(state)s") % {
            "people": fig(covered), "state": in_text(place)}
    else:
        values["who"] = _("reporting agencies in %(state)s") % {"state": in_text(place)}
    if rate and rate.value is not None:
        text = _("In %(year)s, %(who)s reported %(arrests)s drug arrests: %(rate)s per 100,000 "
                 "residents covered.") % {**values, "rate": fig(rate)}
    else:
        text = _("In %(year)s, %(who)s reported %(arrests)s drug arrests.") % values
    notes = _flag_notes(figures)
    for later in sorted(y for y, o in obs.by_measure["drug_arrests"].items()
                        if y > year and o.value is None):
        o = obs.get("drug_arrests", later)
        notes.append(_("No data for %(year)s: %(why)s") % {
            "year": later, "why": missing_words(o.flag_list(), o.source.publisher)})
    return Statement("arrests", text, figures, notes)


def overdose_final_statement(place: Jurisdiction, obs: Observations) -> Statement | None:
    year = obs.latest_year("overdose_death_rate_age_adjusted", final_only=True)
    if year is None:
        return None
    rate, deaths = obs.get("overdose_death_rate_age_adjusted", year), obs.get("overdose_deaths", year)
    figures = [Figure.of(o) for o in (deaths, rate) if o is not None]
    values = {"year": year, "state": in_text(place), "rate": fig(rate)}
    if deaths and deaths.value is not None:
        text = _("In %(year)s, %(deaths)s residents of %(state)s died of a drug overdose: an "
                 "age-adjusted rate of %(rate)s per 100,000 (final data).") % {
            **values, "deaths": fig(deaths)}
    else:
        text = _("In %(year)s, the age-adjusted overdose death rate of %(state)s was %(rate)s "
                 "per 100,000 (final data).") % values
    return Statement("overdose_final", text, figures, _flag_notes(figures))


def overdose_provisional_statement(place: Jurisdiction, obs: Observations) -> Statement | None:
    year = obs.latest_year("overdose_death_rate_crude")
    deaths_year = obs.latest_year("overdose_deaths_12mo_provisional")
    year = year or deaths_year
    if year is None:
        return None
    rate, deaths = obs.get("overdose_death_rate_crude", year), obs.get(
        "overdose_deaths_12mo_provisional", year)
    figures = [Figure.of(o) for o in (deaths, rate) if o is not None]
    values = {"year": year, "state": in_text(place)}
    if deaths and deaths.value is not None and rate and rate.value is not None:
        # VSRR counts deaths where they occurred; final NCHS data count residents.
        text = _("In the 12 months ending December %(year)s, %(deaths)s overdose deaths in "
                 "%(state)s were reported (provisional): a crude rate of %(rate)s per 100,000 "
                 "residents, not age-adjusted.") % {**values, "deaths": fig(deaths),
                                                    "rate": fig(rate)}
    elif deaths and deaths.value is not None:
        text = _("In the 12 months ending December %(year)s, %(deaths)s overdose deaths in "
                 "%(state)s were reported (provisional).") % {
            **values, "deaths": fig(deaths)}
    else:
        return None
    notes = [w for w in _flag_notes(figures) if w != _(FLAG_WORDS["provisional"])]
    return Statement("overdose_provisional", text, figures, notes)


def overdose_latest_statement(place: Jurisdiction, obs: Observations) -> Statement | None:
    """The newest provisional 12-month count, when it ends after the last December shown
    (VSRR adds a month at a time: a state page shows each new month as it is loaded)."""
    latest, before = queries.newest_month_and_year_before(place, "overdose_deaths_12mo_provisional")
    if latest is None:
        return None
    figures = [Figure.of(o) for o in (latest, before) if o is not None]
    values = {"period": formatting.date_text(*formatting.parse_date_text(latest.period)),
              "deaths": formatting.number(latest.value), "state": in_text(place)}
    change = formatting.change_percent(before.value if before else None, latest.value)
    if change is None:
        text = _("In the 12 months to %(period)s, the latest provisional count, %(deaths)s "
                 "overdose deaths in %(state)s were reported.") % values
    elif change == 0:
        text = _("In the 12 months to %(period)s, the latest provisional count, %(deaths)s "
                 "overdose deaths in %(state)s were reported, as many as a year earlier.") % values
    else:
        text = (_("In the 12 months to %(period)s, the latest provisional count, %(deaths)s "
                  "overdose deaths in %(state)s were reported, %(percent)s more than a year "
                  "earlier.") if change > 0 else
                _("In the 12 months to %(period)s, the latest provisional count, %(deaths)s "
                  "overdose deaths in %(state)s were reported, %(percent)s fewer than a year "
                  "earlier.")) % {**values, "percent": formatting.percent(abs(change))}
    notes = [w for w in _flag_notes(figures) if w != _(FLAG_WORDS["provisional"])]
    return Statement("overdose_latest", text, figures, notes)


def race_statements(place: Jurisdiction, obs: Observations) -> list[Statement]:
    """The Black/white gap where the data allow it, with the years covered said plainly."""
    out = []
    ratio_years = [y for y, o in obs.by_measure.get("marijuana_possession_black_white_ratio",
                                                    {}).items() if o.value is not None]
    if ratio_years and place.fips != NATION_FIPS:
        year = max(ratio_years)
        ratio = obs.get("marijuana_possession_black_white_ratio", year)
        black = obs.get("marijuana_possession_arrest_rate_black", year)
        white = obs.get("marijuana_possession_arrest_rate_white", year)
        figures = [Figure.of(o) for o in (ratio, black, white) if o is not None]
        covered = sorted(obs.by_measure.get("marijuana_possession_arrest_rate_black", {}))
        text = _("In %(year)s, Black residents of %(state)s were arrested for marijuana "
                 "possession at %(ratio)s times the rate of white residents: %(black)s and "
                 "%(white)s arrests per 100,000 residents of each group.") % {
            "year": year, "state": in_text(place), "ratio": fig(ratio), "black": fig(black),
            "white": fig(white)}
        notes = [_("Rates by race from News21 for %(first)s–%(last)s (race was not tracked "
                   "before 1990; the series stops in 2013), not adjusted for reporting coverage")
                 % {"first": covered[0], "last": covered[-1]}]
        little = sorted(obs.flagged("marijuana_possession_arrest_rate", "little_reporting")
                        | obs.flagged("marijuana_possession_black_white_ratio",
                                      "little_reporting"))
        if little:
            notes.append(_("no ratio for %(years)s: the state reported almost no arrests")
                         % {"years": ", ".join(map(str, little))})
        out.append(Statement("race", text, figures, notes))
    black_years = [y for y, o in obs.by_measure.get("drug_arrests_black", {}).items()
                   if o.value is not None]
    if black_years:
        year = max(black_years)
        black, white = obs.get("drug_arrests_black", year), obs.get("drug_arrests_white", year)
        total = obs.get("drug_arrests_race_total", year)
        figures = [Figure.of(o) for o in (black, white, total) if o is not None]
        if total and total.value:
            text = _("In %(year)s, the agencies that reported arrests by race to the FBI "
                     "recorded %(total)s drug arrests: %(black)s of Black people (%(bshare)s) "
                     "and %(white)s of white people (%(wshare)s).") % {
                "year": year, "total": fig(total), "black": fig(black), "white": fig(white),
                "bshare": formatting.percent(black.value / total.value * 100),
                "wshare": formatting.percent(white.value / total.value * 100)}
        else:
            text = _("In %(year)s, police in %(state)s reported %(black)s drug arrests of Black "
                     "people and %(white)s of white people.") % {
                "year": year, "state": in_text(place), "black": fig(black),
                "white": fig(white) if white else _("no data")}
        years = sorted(black_years)
        notes = [_("Arrest counts by race for %(first)s–%(last)s; not every year has a value")
                 % {"first": years[0], "last": years[-1]}]
        notes += [w for w in _flag_notes(figures) if w not in notes]
        out.append(Statement("race_counts", text, figures, notes))
        population = black_population_statement(place, obs)
        if population:
            out.append(population)
    return out


def black_arrest_shares(obs: Observations) -> dict[int, float]:
    """The Black share of drug arrests with race recorded, in percent, by year."""
    shares = {}
    for year, black in obs.by_measure.get("drug_arrests_black", {}).items():
        total = obs.value("drug_arrests_race_total", year)
        if black.value is not None and total:
            shares[year] = black.value / total * 100
    return shares


BLACK_POPULATION_NOTE = _noop(
    "Shares compared for %(first)s–%(last)s, the years with both figures. The population "
    "share is of non-Hispanic Black residents (Census bridged-race estimates, as NCHS published "
    "them); the FBI counts Black arrestees of any ethnicity, so the population share is a "
    "slightly low comparison. White is not compared: the FBI's white arrestees include most "
    "Hispanic arrestees, and no population in these files matches that count")


def black_population_statement(place: Jurisdiction, obs: Observations) -> Statement | None:
    """The Black share of drug arrests beside the non-Hispanic Black share of residents, for
    the newest year both exist (the nation: Table 43A and NCHS's Census populations)."""
    shares = black_arrest_shares(obs)
    population = {y: o for y, o in obs.by_measure.get("population_share_non_hispanic_black",
                                                      {}).items() if o.value is not None}
    both = sorted(set(shares) & set(population))
    if not both:
        return None
    year = both[-1]
    share = population[year]
    figures = [Figure.of(o) for o in (obs.get("drug_arrests_black", year),
                                      obs.get("drug_arrests_race_total", year), share)]
    text = _("In %(year)s, Black people were %(arrests)s of the drug arrests with race recorded, "
             "and non-Hispanic Black residents %(people)s of the population of %(state)s.") % {
        "year": year, "arrests": formatting.percent(shares[year], 1),
        "people": formatting.percent(share.value, 1), "state": in_text(place)}
    notes = [_(BLACK_POPULATION_NOTE) % {"first": both[0], "last": both[-1]}]
    return Statement("race_population", text, figures, notes)


def _flag_notes(figures: list[Figure]) -> list[str]:
    words = [w for f in figures for w in f.flag_words]
    return list(dict.fromkeys(words))


# Comparison with the nation: the same year where both have one, else each its latest.
COMPARED = ("drug_arrest_rate", "arrest_coverage_share", "overdose_death_rate_age_adjusted",
            "overdose_death_rate_crude")
SAME_YEAR_WITHIN = 2  # years: an older common year is not worth hiding the state's latest


def comparison(obs: Observations, nation: Observations) -> list[dict]:
    rows = []
    for slug in COMPARED:
        years = obs.years_with_values(slug)
        if not years:
            continue
        nation_years = nation.years_with_values(slug)
        both = sorted(set(years) & set(nation_years))
        if both and both[-1] >= years[-1] - SAME_YEAR_WITHIN:
            state_year = nation_year = both[-1]
        else:
            state_year, nation_year = years[-1], (nation_years[-1] if nation_years else None)
        mine = obs.get(slug, state_year)
        ours = nation.get(slug, nation_year) if nation_year else None
        rows.append({"measure": slug, "label": _(measure_list.get(slug).label),
                     "same_year": state_year == nation_year,
                     "state_year": state_year, "nation_year": nation_year,
                     "state": Figure.of(mine), "nation": Figure.of(ours) if ours else None,
                     "state_text": fig_with_unit(mine),
                     "nation_text": fig_with_unit(ours) if ours else _("no data")})
    return rows


def links(urls: list[str]) -> list[dict]:
    """Citation URLs with the site's name to show as link text."""
    return [{"url": u, "host": urlsplit(u).netloc.removeprefix("www.") or u} for u in urls]


def law_history(facts: PlaceFacts) -> list[dict]:
    """Each topic's dated intervals, oldest first, with citations and confidence."""
    order = {topic: i for i, (topic, _) in enumerate(LawStatus.TOPICS)}
    today = clock.today()
    topics: dict[str, list] = defaultdict(list)
    # The consequences of a conviction have their own section (after_conviction below).
    rows = [law for law in facts.laws if law.topic not in vocab.CONSEQUENCE_TOPICS]
    for law in sorted(rows, key=lambda r: (order.get(r.topic, 99), r.valid_from or dt.date.min)):
        in_force = queries.in_force(law, today)
        topics[law.topic].append({
            "status": law.status, "status_label": law.status_text(),
            "known": law.status != vocab.UNKNOWN,
            "attested": law.attested(),
            "attested_text": law.attested_text() if law.attested() else "",
            "attested_class_text": (law.attested_text(vocab.ATTESTED_CLASS_LABEL)
                                    if law.attested() else ""),
            "valid_from": law.valid_from.isoformat() if law.valid_from else None,
            "valid_to": law.valid_to.isoformat() if law.valid_to else None,
            # Dates as precisely as they are known: "2021", "2021-07" or "2021-07-09".
            "from_label": law.from_text(), "to_label": law.to_text(),
            "in_force": in_force, "statute": law.statute, "grade": law.grade,
            "max_penalty": law.max_penalty,
            "statute_link": links([law.statute_url])[0] if law.statute_url else None,
            "citations": links(law.secondary_citations()),
            "confidence": law.confidence, "note": law.note,
            "source": SourceRef.of(law.source) if law.source else None})
    return [{"topic": t, "label": _topic_label(t), "intervals": intervals,
             "changed": len(intervals) > 1}
            for t, intervals in topics.items()]


def _topic_label(slug: str) -> str:
    try:
        return _(vocab.topic(slug).label)
    except KeyError:
        return dict(LawStatus.TOPICS).get(slug, slug)


def after_conviction(facts: PlaceFacts) -> dict:
    """The "After a conviction" section: the possession class, then one plain statement per
    question with its sources, year and confidence, and what the conviction costs in all."""
    place = facts.place
    found = facts.consequences(clock.today())
    if not found.has_data:
        return {}
    questions = []
    for topic in consequences.QUESTIONS:
        law = found.laws.get(topic)
        known = bool(law) and law.status != vocab.UNKNOWN
        questions.append({
            "topic": topic, "label": _(vocab.topic(topic).label), "known": known,
            "status": law.status if law else vocab.UNKNOWN,
            "status_label": status_words(topic, law.status if law else vocab.UNKNOWN),
            "statement": consequences.statement(topic, law, place.name),
            "year": law.valid_from.year if known and law.valid_from else None,
            # "start date not recorded; confirmed as of 2026" where the year is only the one a
            # source speaks for, never "since 2026".
            "attested_text": law.attested_text() if known and law.attested() else "",
            "citations": links(law.citation_list()) if law else [],
            "confidence": law.confidence if known else "",
            "source": SourceRef.of(law.source) if law and law.source else None,
            "layer": reverse("atlas:home") + f"?layer={topic}"})
    possession = found.possession
    felony = bool(possession) and possession.status in consequences.FELONY_CLASSES
    return {
        "possession": status_words("possession", possession.status) if possession else "",
        "possession_status": possession.status if possession else "",
        "felony": felony,
        "questions": questions,
        "count": found.count, "parts": len(consequences.PARTS),
        "lost": [_(p.part.short) for p in found.parts if p.state == consequences.IMPOSED],
        "unknown": [_(p.part.short) for p in found.unknown],
    }


def law_marks(history: list[dict], topics: tuple[str, ...]) -> list[tuple[dt.date, str, str]]:
    """(date, label, date as known) for each change of status on the given topics."""
    marks = []
    for topic in history:
        if topic["topic"] not in topics:
            continue
        for i, interval in enumerate(topic["intervals"]):
            # The first date a source attests a class after an unknown period is not a change
            # of the law: only a known class that follows a known one (or nothing) is marked.
            before = topic["intervals"][i - 1] if i else None
            if interval["valid_from"] and interval["known"] and (before is None
                                                                 or before["known"]):
                marks.append((dt.date.fromisoformat(interval["valid_from"]),
                              f"{topic['label']}: {interval['status_label']}",
                              interval.get("from_label", "")))
    return marks


def bills(facts: PlaceFacts) -> list[dict]:
    out = []
    for bill in facts.bills:
        out.append({
            "key": bill.key, "url": _bill_url(bill), "number": bill.number, "session": bill.session,
            "title": bill.title,
            "summary": bill.summary, "status": bill.status,
            "status_label": bill_status_words(bill.status),
            "status_date": bill.status_date_text() or None,
            "citations": links(bill.citation_list()), "confidence": bill.confidence,
            "note": bill.note,
            "events": [{"date": e.date_text() or None, "action": e.action,
                        "status": e.status, "status_label": bill_status_words(e.status),
                        "url": e.url} for e in bill.events.all()]})
    return out


def _bill_url(bill: Bill) -> str:
    try:
        return bill.get_absolute_url()
    except NoReverseMatch:  # the legislation pages are not installed
        return ""


def build(place: Jurisdiction) -> dict:
    """Everything the state page shows, as JSON-ready data (charts are drawn from `trends`)."""
    facts = queries.place_facts(place, PROFILE_MEASURES)
    obs = facts.observations
    nation = queries.nation()
    nation_obs = observations(nation) if nation and nation != place else None
    statements = [s for s in (overdose_final_statement(place, obs),
                              overdose_provisional_statement(place, obs),
                              overdose_latest_statement(place, obs),
                              arrest_statement(place, obs)) if s]
    race = race_statements(place, obs)
    history = law_history(facts)
    return {
        "jurisdiction": {"fips": place.fips, "abbr": place.abbr, "name": place.name},
        "statements": [asdict(s) | {"sources": [asdict(r) for r in s.sources]}
                       for s in statements],
        "race": [asdict(s) | {"sources": [asdict(r) for r in s.sources]} for s in race],
        "comparison": _plain(comparison(obs, nation_obs)) if nation_obs else [],
        "laws": _plain(history),
        "bills": bills(facts),
        "after_conviction": _plain(after_conviction(facts)),
        "trends": {slug: {str(y): v for y, v in obs.series(slug).items()}
                   for slug in PROFILE_MEASURES if slug != "population" and obs.series(slug)},
        "trend_flags": {slug: {str(y): o.flag_list() for y, o in sorted(years.items())
                               if o.flag_list()}
                        for slug, years in obs.by_measure.items() if slug != "population"},
        # How each value was counted: a chart breaks its line where this changes.
        "trend_basis": {slug: {str(y): basis_words(o.basis,
                                                   o.source.publisher)
                               for y, o in sorted(years.items()) if o.value is not None}
                        for slug, years in obs.by_measure.items() if slug != "population"},
        # Why each missing value is missing, naming the source checked.
        "missing": {slug: {str(y): missing_words(o.flag_list(), o.source.publisher)
                           for y, o in sorted(years.items()) if o.value is None}
                    for slug, years in obs.by_measure.items() if slug != "population"},
        "trend_sources": {slug: sorted({o.source_id for o in years.values()})
                          for slug, years in obs.by_measure.items()},
        "sources": [asdict(s) for s in obs.sources(*PROFILE_MEASURES)] + _law_sources(history)
        + _consequence_sources(facts),
    }


def _consequence_sources(facts: PlaceFacts) -> list[dict]:
    found = {law.source.id: law.source for law in facts.laws
             if law.topic in vocab.CONSEQUENCE_TOPICS and law.source}
    return [asdict(SourceRef.of(s)) for _, s in sorted(found.items())]


def _law_sources(history: list[dict]) -> list[dict]:
    found = {i["source"].id: i["source"] for t in history for i in t["intervals"] if i["source"]}
    return [asdict(s) for _, s in sorted(found.items())]


def _plain(value):
    """Dataclasses inside lists and dicts, turned into dicts for JSON."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value
