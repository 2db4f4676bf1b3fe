"""The legal-status vocabulary: per topic, the allowed statuses, their labels and legend order.

This is the one place that knows which statuses a law topic may take. The laws reader
normalizes the research files' free text into these values (keeping the raw text in each
record's note), the pipeline validates against them, and maps and pages take their labels
and legend order from here. Labels are English; ``gettext_noop`` marks them for translation
without importing Django, so readers stay pure Python.
"""
from __future__ import annotations

from dataclasses import dataclass

UNKNOWN = "unknown"


def gettext_noop(text: str) -> str:
    """Mark a label for makemessages (its default keywords include gettext_noop)."""
    return text


@dataclass(frozen=True)
class Status:
    value: str
    label: str


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    statuses: tuple[Status, ...]  # display and legend order; "unknown" last where allowed

    def values(self) -> tuple[str, ...]:
        return tuple(s.value for s in self.statuses)


def _statuses(*pairs: tuple[str, str]) -> tuple[Status, ...]:
    return tuple(Status(value, label) for value, label in pairs)


# A period or question with no dated source: plain words about what the atlas holds, never
# "unknown" as a value (the machine value stays UNKNOWN; unknown_text says it for a reader).
UNKNOWN_LABEL = gettext_noop("Not in this atlas for this date")
BEFORE_LABEL = gettext_noop("Law before %(date)s not in this atlas")
# A class whose date is only the one a source shows it on ("attested"): the date is when the
# atlas confirms it, never when it began (docs/codebook.md, "Dating").
ATTESTED_LABEL = gettext_noop("start date not recorded; confirmed as of %(date)s")
ATTESTED_CLASS_LABEL = gettext_noop("class confirmed as of %(date)s; earlier years not in this "
                                    "atlas")


def _yes_no(yes: str, no: str) -> tuple[Status, ...]:
    return _statuses(("yes", yes), ("no", no), (UNKNOWN, UNKNOWN_LABEL))


# Lowest-level possession and paraphernalia: the DPA map's legend, in the DPA's order.
CRIMINAL_CLASSES = _statuses(
    ("not_criminalized", gettext_noop("Not criminalized")),
    ("misdemeanor", gettext_noop("Misdemeanor")),
    ("both", gettext_noop("Both misdemeanor & felony")),
    ("felony", gettext_noop("Felony")),
    (UNKNOWN, UNKNOWN_LABEL),
)

TOPICS: dict[str, Topic] = {t.slug: t for t in (
    Topic("possession", gettext_noop("Drug possession"), CRIMINAL_CLASSES),
    Topic("paraphernalia", gettext_noop("Drug paraphernalia"), CRIMINAL_CLASSES),
    Topic("good_samaritan", gettext_noop("911 Good Samaritan law"), _yes_no(
        gettext_noop("Good Samaritan law in force"), gettext_noop("No Good Samaritan law"))),
    Topic("naloxone", gettext_noop("Naloxone access"), _yes_no(
        gettext_noop("Naloxone access law"), gettext_noop("No naloxone access law"))),
    Topic("test_strips", gettext_noop("Fentanyl test strips"), _statuses(
        ("legal", gettext_noop("Legal")),
        ("not_legal", gettext_noop("Not legal (paraphernalia)")),
        (UNKNOWN, UNKNOWN_LABEL),
    )),
    Topic("syringe_services", gettext_noop("Syringe services programs"), _yes_no(
        gettext_noop("Authorized by state law"), gettext_noop("No state authorization"))),
    Topic("overdose_prevention_centers", gettext_noop("Overdose prevention centers"), _statuses(
        ("authorized", gettext_noop("Authorized by state law")),
        ("operating", gettext_noop("Operating without state law")),
        ("none", gettext_noop("None")),
        (UNKNOWN, UNKNOWN_LABEL),
    )),
    Topic("adult_use_marijuana", gettext_noop("Adult-use marijuana"), _yes_no(
        gettext_noop("Legal for adults"), gettext_noop("Not legal for adults"))),
    # The state-level layer for decriminalization laws (bills and ballot measures).
    Topic("decriminalization", gettext_noop("Drug decriminalization"), _statuses(
        ("none", gettext_noop("No decriminalization law")),
        ("introduced", gettext_noop("Bill introduced")),
        ("advanced", gettext_noop("Bill advanced")),
        ("enacted", gettext_noop("Enacted, not yet in effect")),
        ("in_effect", gettext_noop("In effect")),
    )),
)}

# A bill's or ballot measure's stage, in the order a bill moves through them.
BILL_STATUSES = _statuses(
    ("announced", gettext_noop("Announced")),
    ("introduced", gettext_noop("Introduced")),
    ("advanced", gettext_noop("Advanced")),
    ("enacted", gettext_noop("Enacted")),
    ("in_effect", gettext_noop("In effect")),
    ("failed", gettext_noop("Failed")),
    ("repealed", gettext_noop("Repealed")),
)
BILL_STATUS_VALUES = tuple(s.value for s in BILL_STATUSES)

# How sure a research file is of a row; the research files never write "unknown" themselves.
CONFIDENCE_LEVELS = _statuses(
    ("high", gettext_noop("High")),
    ("medium", gettext_noop("Medium")),
    ("low", gettext_noop("Low")),
    (UNKNOWN, UNKNOWN_LABEL),
)
CONFIDENCE = tuple(s.value for s in CONFIDENCE_LEVELS)
RESEARCH_CONFIDENCE = tuple(c for c in CONFIDENCE if c != UNKNOWN)

# What a drug conviction costs beyond the sentence (collateral-consequences/): one topic per
# question of the research file, with the file's own values. "unknown" means no source was
# found: it is never drawn or counted as the mildest value ("no ban"), and readers see it as
# "No source found". Kept apart from TOPICS (the law layers of the first map, the ones the
# possession story is told with); LawStatus takes both as its topics (LAW_TOPICS below).
# Legend order runs from the mildest consequence to the harshest, "unknown" last.
NO_SOURCE_LABEL = gettext_noop("No source found")
_BAN_STATUSES = _statuses(
    ("no_ban", gettext_noop("No ban (the state opted out)")),
    ("modified_ban", gettext_noop("Modified ban (eligible on conditions)")),
    ("full_ban", gettext_noop("Lifetime ban (federal default)")),
    (UNKNOWN, NO_SOURCE_LABEL),
)
CONSEQUENCE_TOPICS: dict[str, Topic] = {t.slug: t for t in (
    Topic("snap_drug_felony_ban", gettext_noop("Food assistance (SNAP) after a drug felony"),
          _BAN_STATUSES),
    Topic("tanf_drug_felony_ban", gettext_noop("Cash assistance (TANF) after a drug felony"),
          _BAN_STATUSES),
    Topic("license_suspension_drug",
          gettext_noop("Driver's license suspended for a drug offense"), _statuses(
              ("no", gettext_noop("No mandatory suspension")),
              ("yes", gettext_noop("License suspended for drug offenses")),
              (UNKNOWN, NO_SOURCE_LABEL),
          )),
    Topic("felony_voting", gettext_noop("Voting after a felony conviction"), _statuses(
        ("never_lose", gettext_noop("Never lost")),
        ("restored_on_release", gettext_noop("Restored on release from prison")),
        ("restored_after_parole_probation", gettext_noop("Restored after parole and probation")),
        ("restored_after_sentence_plus",
         gettext_noop("Restored after the sentence, with further conditions")),
        ("permanent_for_some", gettext_noop("Lost permanently for some convictions")),
        (UNKNOWN, NO_SOURCE_LABEL),
    )),
    Topic("possession_record_relief",
          gettext_noop("Clearing a first possession conviction"), _statuses(
              ("automatic", gettext_noop("Cleared automatically")),
              ("petition", gettext_noop("Cleared on petition")),
              ("limited", gettext_noop("Limited relief")),
              ("none", gettext_noop("No relief")),
              (UNKNOWN, NO_SOURCE_LABEL),
          )),
)}

# Every topic a LawStatus may hold: the law layers' and the consequences'.
LAW_TOPICS: dict[str, Topic] = {**TOPICS, **CONSEQUENCE_TOPICS}

# bills_pass3.csv's own status words, and the bill status (BILL_STATUSES) each is shown as.
# A bill in committee has been introduced and no further; a bill that passed both chambers but
# was not yet signed has advanced; a measure the voters approved is enacted; a veto, a death at
# the end of a session, a withdrawn initiative and a rejected measure all failed.
RESEARCH_BILL_STATUS = {
    "introduced": "introduced",
    "in_committee": "introduced",
    "passed_one_chamber": "advanced",
    "passed_both": "advanced",
    "enacted": "enacted",
    "approved_by_voters": "enacted",
    "vetoed": "failed",
    "died": "failed",
    "withdrawn": "failed",
    "rejected_by_voters": "failed",
}

# bills_pass3.csv's bill_type: what a bill would do to possession.
BILL_TYPES = _statuses(
    ("decriminalization", gettext_noop("Decriminalization")),
    ("defelonization", gettext_noop("Defelonization (felony to misdemeanor)")),
    ("recriminalization", gettext_noop("Recriminalization")),
    ("study", gettext_noop("Study")),
    ("narrow", gettext_noop("Narrow change (drug residue)")),
    ("proposal_not_introduced", gettext_noop("Proposal, never introduced")),
    ("unconfirmed", gettext_noop("Content not confirmed")),
)
BILL_TYPE_VALUES = tuple(s.value for s in BILL_TYPES)


def topic(slug: str) -> Topic:
    """A law topic or a consequence topic by slug; KeyError for any other."""
    found = TOPICS.get(slug) or CONSEQUENCE_TOPICS.get(slug)
    if found is None:
        raise KeyError(f"unknown law topic {slug!r}; known: "
                       f"{', '.join([*TOPICS, *CONSEQUENCE_TOPICS])}")
    return found


def is_valid(topic_slug: str, status: str) -> bool:
    return status in topic(topic_slug).values()


def label(topic_slug: str, status: str) -> str:
    """The English label of a status (look it up with gettext to translate)."""
    for s in topic(topic_slug).statuses:
        if s.value == status:
            return s.label
    raise KeyError(f"{status!r} is not a status of topic {topic_slug!r}")


def bill_status_label(status: str) -> str:
    for s in BILL_STATUSES:
        if s.value == status:
            return s.label
    raise KeyError(f"{status!r} is not a bill status")


def legend(topic_slug: str) -> tuple[Status, ...]:
    """A map legend's entries, in order; "unknown" (no colour on the scale) comes last."""
    return topic(topic_slug).statuses


def unknown_text(first_known: str = "") -> str:
    """What a reader sees for a period with no dated source, in their language: "Law before
    2017 not in this atlas" where the first dated source is known, else UNKNOWN_LABEL."""
    from django.utils.translation import gettext

    if first_known:
        return gettext(BEFORE_LABEL) % {"date": first_known}
    return gettext(UNKNOWN_LABEL)


def rank(topic_slug: str, status: str) -> int | None:
    """Position on the topic's scale (0 = first legend entry); None for unknown."""
    if status == UNKNOWN:
        return None
    values = topic(topic_slug).values()
    if status not in values:
        raise KeyError(f"{status!r} is not a status of topic {topic_slug!r}")
    return values.index(status)
