"""Looking up a place by the code a reader types: the one place that knows how."""
from __future__ import annotations

from drugatlas.atlas.models import Jurisdiction


def find_state(code: str) -> Jurisdiction | None:
    """A state or DC by USPS code, any case, surrounding spaces ignored; None for anything else."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        return None
    return Jurisdiction.objects.filter(abbr=code, kind=Jurisdiction.STATE).first()
