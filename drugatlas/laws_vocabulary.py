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


UNKNOWN_LABEL = gettext_noop("Unknown")


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

CONFIDENCE = ("high", "medium", "low", UNKNOWN)


def topic(slug: str) -> Topic:
    try:
        return TOPICS[slug]
    except KeyError:
        raise KeyError(f"unknown law topic {slug!r}; known: {', '.join(TOPICS)}") from None


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


def rank(topic_slug: str, status: str) -> int | None:
    """Position on the topic's scale (0 = first legend entry); None for unknown."""
    if status == UNKNOWN:
        return None
    values = topic(topic_slug).values()
    if status not in values:
        raise KeyError(f"{status!r} is not a status of topic {topic_slug!r}")
    return values.index(status)
