"""Cache keys that change whenever the data change.

Pages and API answers are cached under a key that includes the data version. A data load or
an editor's save bumps the version, so everything cached before is simply never read again.
"""
from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache

_KEY = "drugatlas:data-version"


def data_version() -> str:
    version = cache.get(_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        cache.add(_KEY, version, None)
        version = cache.get(_KEY, version)
    return version


def bump_data_version() -> str:
    version = uuid.uuid4().hex[:12]
    cache.set(_KEY, version, None)
    return version


def key(*parts) -> str:
    """A cache key for these parts under the current data version (hashed: URLs can be long)."""
    digest = hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"drugatlas:{data_version()}:{digest}"
