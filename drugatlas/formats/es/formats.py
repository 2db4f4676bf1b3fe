"""Spanish as read in the United States: Django's Spanish formats, with U.S. number punctuation.

Django's "es" writes 17 278,5; Spanish-language readers in the U.S. (and in Mexico) read
17,278.5, as the English pages and the calculator's dollar figures already show it.
"""
from django.conf.locale.es.formats import *  # noqa: F401,F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
