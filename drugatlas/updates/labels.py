"""Translatable words for the codes that appear in alerts (law topics, classes, bill statuses)."""
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from drugatlas import laws_vocabulary as vocab

LAW_TOPICS = {
    "possession": _("Drug possession"),
    "paraphernalia": _("Drug paraphernalia"),
    "good_samaritan": _("911 Good Samaritan law"),
    "naloxone": _("Naloxone access"),
    "test_strips": _("Fentanyl test strips"),
    "syringe_services": _("Syringe services programs"),
    "overdose_prevention_centers": _("Overdose prevention centers"),
    "adult_use_marijuana": _("Adult-use marijuana"),
    "decriminalization": _("Drug decriminalization"),
}

STATUSES = {
    # law classes
    "not_criminalized": _("not criminalized"),
    "misdemeanor": _("misdemeanor"),
    "both": _("both misdemeanor and felony"),
    "felony": _("felony"),
    "unknown": _("unknown"),
    "legal": _("legal"),
    "yes": _("yes"),
    "no": _("no"),
    # bill statuses
    "announced": _("announced"),
    "introduced": _("introduced"),
    "advanced": _("advanced"),
    "enacted": _("enacted"),
    "in_effect": _("in effect"),
    "failed": _("failed"),
    "repealed": _("repealed"),
}


def law_topic(code: str) -> str:
    if code in vocab.CONSEQUENCE_TOPICS:  # the consequences of a conviction: the question
        return gettext(vocab.topic(code).label)
    return str(LAW_TOPICS.get(code, code.replace("_", " ")))


def law_status(topic: str, code: str) -> str:
    """A law's status in an alert: a consequence's answer as its legend says it."""
    if topic in vocab.CONSEQUENCE_TOPICS:
        try:
            return gettext(vocab.label(topic, code)).lower()
        except KeyError:
            pass
    return status(code)


def status(code: str) -> str:
    return str(STATUSES.get(code, code.replace("_", " ")))
