"""Settings for bench/scale.py's servers: the site's own, with the cache chosen by the bench.

BENCH_CACHE=none serves every request uncached (Django's dummy cache), so repeated requests
measure the uncached cost; otherwise a file cache in BENCH_CACHE_DIR, empty at each start.
"""
import os

from drugatlas.settings import *  # noqa: F403
from drugatlas.settings import CACHES

if os.environ.get("BENCH_CACHE") == "none":
    CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif os.environ.get("BENCH_CACHE_DIR"):
    CACHES = {**CACHES, "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["BENCH_CACHE_DIR"], "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20000}}}
