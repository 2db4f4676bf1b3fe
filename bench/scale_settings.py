"""Settings for bench/scale.py's servers: the site's own, except with BENCH_CACHE=none.

BENCH_CACHE=none gives every cache alias Django's dummy cache, so every request does the whole
work and repeated requests measure the uncached cost; otherwise the site's caches as configured.
"""
import os

from drugatlas.settings import *  # noqa: F403
from drugatlas.settings import CACHES

if os.environ.get("BENCH_CACHE") == "none":
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
              for alias in CACHES}
