"""Translatable words for the codes that appear in alerts (law topics, statuses, bill statuses).

The words come from the one vocabulary (drugatlas/laws_vocabulary.py), the same the map
legends and the bill tracker use; an alert writes a status in lower case inside a sentence
("Drug possession: misdemeanor from 2025-07-01").
"""
from django.utils.translation import gettext

from drugatlas import laws_vocabulary as vocab


def law_topic(code: str) -> str:
    try:
        return gettext(vocab.topic(code).label)
    except KeyError:
        return code.replace("_", " ")


def law_status(topic: str, code: str) -> str:
    """A law's status in an alert, as the topic's legend says it."""
    try:
        return gettext(vocab.label(topic, code)).lower()
    except KeyError:
        return code.replace("_", " ")


def status(code: str) -> str:
    """A bill's status in an alert."""
    try:
        return gettext(vocab.bill_status_label(code)).lower()
    except KeyError:
        return code.replace("_", " ")
