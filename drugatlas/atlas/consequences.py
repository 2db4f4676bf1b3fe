"""What a drug conviction costs a person, state by state, from the consequence law records.

The one place that reads the five questions of the collateral-consequences research
(laws_vocabulary.CONSEQUENCE_TOPICS) together with the possession class: the map's combined
layer, the state page's "After a conviction" section and the national counts all ask here.

Four of the questions are consequences a conviction carries (food assistance, cash assistance,
the driver's license, the vote); the fifth says how the record can be cleared. The benefit bans
and the loss of the vote follow a *felony*, so for a first possession conviction they apply only
where possession can be a felony ("felony" or "both"). A question with no source found is
"unknown": it is never counted as "no".
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from drugatlas import laws_vocabulary as vocab
from drugatlas.atlas.models import Jurisdiction, LawStatus

FELONY_CLASSES = ("felony", "both")
NOT_FELONY_CLASSES = ("misdemeanor", "not_criminalized")
RELIEF = "possession_record_relief"

# Part states.
IMPOSED, NOT_IMPOSED, UNKNOWN, NOT_APPLICABLE = "imposed", "not_imposed", "unknown", "n/a"


@dataclass(frozen=True)
class Part:
    topic: str
    short: str  # what is lost, in a few words (translated when shown)
    imposed: tuple[str, ...]  # the statuses that take it away
    felony_only: bool  # follows a felony conviction only


PARTS = (
    Part("snap_drug_felony_ban", _noop("food assistance (SNAP)"), ("full_ban", "modified_ban"),
         True),
    Part("tanf_drug_felony_ban", _noop("cash assistance (TANF)"), ("full_ban", "modified_ban"),
         True),
    Part("license_suspension_drug", _noop("the driver's license"), ("yes",), False),
    Part("felony_voting", _noop("the vote"),
         ("restored_on_release", "restored_after_parole_probation",
          "restored_after_sentence_plus", "permanent_for_some"), True),
)
QUESTIONS = (*(p.topic for p in PARTS), RELIEF)

# What each answer means for a person, in plain words (the state page's statements).
STATEMENTS = {
    ("snap_drug_felony_ban", "full_ban"): _noop(
        "A drug felony conviction bars a person from food assistance (SNAP) for life: the state "
        "applies the federal ban."),
    ("snap_drug_felony_ban", "modified_ban"): _noop(
        "A drug felony conviction limits food assistance (SNAP): a person gets it only on the "
        "state's conditions, such as treatment, drug tests or a waiting period."),
    ("snap_drug_felony_ban", "no_ban"): _noop(
        "A drug felony conviction does not cost food assistance (SNAP): the state opted out of "
        "the federal ban."),
    ("tanf_drug_felony_ban", "full_ban"): _noop(
        "A drug felony conviction bars a person from cash assistance (TANF) for life: the state "
        "applies the federal ban."),
    ("tanf_drug_felony_ban", "modified_ban"): _noop(
        "A drug felony conviction limits cash assistance (TANF): a person gets it only on the "
        "state's conditions, such as treatment, drug tests or a waiting period."),
    ("tanf_drug_felony_ban", "no_ban"): _noop(
        "A drug felony conviction does not cost cash assistance (TANF): the state opted out of "
        "the federal ban."),
    ("license_suspension_drug", "yes"): _noop(
        "A drug conviction suspends the person's driver's license, even when the offense had "
        "nothing to do with driving."),
    ("license_suspension_drug", "no"): _noop(
        "A drug conviction does not by law suspend the driver's license when the offense had "
        "nothing to do with driving."),
    ("felony_voting", "never_lose"): _noop(
        "A felony conviction does not cost the vote: people keep it even in prison."),
    ("felony_voting", "restored_on_release"): _noop(
        "A felony conviction takes the vote while the person is in prison; it comes back on "
        "release."),
    ("felony_voting", "restored_after_parole_probation"): _noop(
        "A felony conviction takes the vote until prison, parole and probation are all over."),
    ("felony_voting", "restored_after_sentence_plus"): _noop(
        "A felony conviction takes the vote until the whole sentence is over, and longer where "
        "further conditions apply (such as a court order after a second felony)."),
    ("felony_voting", "permanent_for_some"): _noop(
        "Some felony convictions take the vote for good unless the state restores it (by pardon "
        "or on application); the state's list says which felonies do."),
    (RELIEF, "automatic"): _noop(
        "A first possession conviction is cleared from the record automatically after a "
        "waiting period, without a petition."),
    (RELIEF, "petition"): _noop(
        "A first possession conviction can be cleared (expunged or sealed) on petition to a "
        "court or agency."),
    (RELIEF, "limited"): _noop(
        "A first possession conviction can be cleared only in limited cases, such as after a "
        "diversion program, for misdemeanors only, or after a pardon."),
    (RELIEF, "none"): _noop(
        "There is no way to clear a first possession conviction from the record beyond setting "
        "it aside; the record stays public."),
}
NO_SOURCE = _noop("We found no source for %(state)s on this question yet.")


@dataclass
class PartResult:
    part: Part
    law: LawStatus | None
    state: str  # IMPOSED, NOT_IMPOSED, UNKNOWN or NOT_APPLICABLE

    def words(self) -> str:
        """"food assistance (SNAP): modified ban (eligible on conditions)", in the reader's
        language."""
        what = _(self.part.short)
        if self.state == NOT_APPLICABLE:
            return _("%(what)s: does not apply (possession is not a felony)") % {"what": what}
        status = self.law.status if self.law else vocab.UNKNOWN
        return f"{what}: {_(vocab.label(self.part.topic, status)).lower()}"


@dataclass
class StateConsequences:
    place: Jurisdiction
    possession: LawStatus | None
    parts: list[PartResult]
    laws: dict[str, LawStatus] = field(default_factory=dict)  # by topic, the five questions

    @property
    def count(self) -> int:
        return sum(p.state == IMPOSED for p in self.parts)

    @property
    def unknown(self) -> list[PartResult]:
        return [p for p in self.parts if p.state == UNKNOWN]

    @property
    def has_data(self) -> bool:
        return bool(self.laws)


def _part_state(part: Part, law: LawStatus | None, possession: str) -> str:
    status = law.status if law else vocab.UNKNOWN
    if part.felony_only and possession in NOT_FELONY_CLASSES:
        return NOT_APPLICABLE
    if status == vocab.UNKNOWN:
        return UNKNOWN
    if status not in part.imposed:
        return NOT_IMPOSED
    if part.felony_only and possession not in FELONY_CLASSES:
        return UNKNOWN  # the rule bites, but whether possession is a felony is not known
    return IMPOSED


def _in_force(topics, as_of: dt.date, **filters) -> dict[tuple[str, str], LawStatus]:
    """(jurisdiction FIPS, topic) -> the interval in force (the one that began last)."""
    found: dict[tuple[str, str], LawStatus] = {}
    laws = LawStatus.objects.as_of(as_of).filter(topic__in=topics, **filters)
    for law in sorted(laws.select_related("source"), key=lambda x: x.valid_from or dt.date.min):
        found[(law.jurisdiction_id, law.topic)] = law
    return found


def for_states(as_of: dt.date, places=None) -> list[StateConsequences]:
    """Every state's (or the given places') consequences in force on the date, by name."""
    if places is None:
        places = list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("name"))
    fips = [p.fips for p in places]
    laws = _in_force(("possession", *QUESTIONS), as_of, jurisdiction_id__in=fips)
    out = []
    for place in places:
        possession = laws.get((place.fips, "possession"))
        mine = {t: laws[(place.fips, t)] for t in QUESTIONS if (place.fips, t) in laws}
        klass = possession.status if possession else vocab.UNKNOWN
        parts = [PartResult(p, mine.get(p.topic), _part_state(p, mine.get(p.topic), klass))
                 for p in PARTS]
        out.append(StateConsequences(place, possession, parts, mine))
    return out


def for_state(place: Jurisdiction, as_of: dt.date) -> StateConsequences:
    return for_states(as_of, [place])[0]


def statement(topic: str, law: LawStatus | None, state_name: str) -> str:
    """What the answer means for a person, in plain words and the reader's language."""
    status = law.status if law else vocab.UNKNOWN
    text = STATEMENTS.get((topic, status))
    return _(text) if text else _(NO_SOURCE) % {"state": state_name}


def national_counts(as_of: dt.date) -> dict:
    """Across the states (DC counted): per question, states per answer in legend order; and
    states by how many of the four consequences a first possession conviction carries."""
    states = for_states(as_of)
    questions = []
    for topic in QUESTIONS:
        counts = Counter((s.laws[topic].status if topic in s.laws else vocab.UNKNOWN)
                         for s in states)
        questions.append({
            "topic": topic, "label": _(vocab.topic(topic).label),
            "layer": reverse("atlas:home") + f"?layer={topic}",
            "answers": [{"status": st.value, "label": _(st.label), "count": counts[st.value]}
                        for st in vocab.legend(topic) if counts[st.value]]})
    combined = Counter(s.count for s in states if s.has_data)
    at_least = sum(1 for s in states if s.has_data and s.unknown)
    return {"total": len(states), "questions": questions,
            "combined": [{"count": n, "states": combined[n]} for n in range(len(PARTS) + 1)],
            "parts": len(PARTS), "at_least": at_least, "as_of": as_of}
