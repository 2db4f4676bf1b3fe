"""Reading a calendar year out of a publisher's file, with an error that says where."""
from __future__ import annotations

from .records import SourceError

# Wide enough for every series in the atlas (the earliest, NY DCJS, starts in 1970); a value
# outside it is a shifted column or a typo, not a year.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_year(file, row: int, column: str, value) -> int:
    """The year in ``value`` ("2016", " 2016 ", "2016.0"); anything else is a SourceError."""
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise SourceError(file, f"not a year: {value!r}", row, column)
    return int(text)
