"""The one way a number or a date is written for a reader: pages, map, charts, emails, API text.

Rules (docs/architecture.md, PRODUCT.md "Honesty rules"):
- Round, never truncate: half away from zero, on the decimal the value was written with
  (413.85 -> 413.9, 2.5 -> 3), to the precision the measure declares (`measures.MeasureInfo
  .precision`). Python's round() and Django's number_format do not do this (banker's rounding,
  and number_format cuts the digits), so nothing else in the project formats figures.
- No data is not zero: `number(None)` is the empty string, and callers say "no data".
- U.S. punctuation (17,278.5) in English and in Spanish (drugatlas/formats/es), in Python and in
  the page script, which reads `conventions()` from the page instead of the browser's locale.
- Dates carry their precision ("day", "month", "year"): a law known only to the year is
  "2021", never "2021-01-01".

Pure Python (no Django), so the pipeline, the views and the emails can all use it.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)


def rounded(value: float | int | Decimal, decimals: int = 0) -> Decimal:
    """`value` rounded half away from zero to `decimals` digits after the point.

    A float is taken as the shortest decimal that reads back as it (repr), so 0.285 rounds
    to 0.29 as a reader expects, not to 0.28 as its binary value would.
    """
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif not isinstance(value, Decimal):
        value = Decimal(value)
    exponent = Decimal(1).scaleb(-decimals)
    try:
        result = value.quantize(exponent, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits for the context: huge numbers, keep as is
        result = value
    return result + 0 if result else abs(result)  # -0.0 reads as 0


def rounded_number(value: float | int | None, decimals: int = 0) -> float | int | None:
    """The rounded value as a JSON number: an int when decimals is 0, else a float."""
    if value is None:
        return None
    r = rounded(value, decimals)
    return int(r) if decimals <= 0 else float(r)


def number(value: float | int | Decimal | None, decimals: int = 0, grouping: bool = True) -> str:
    """A figure as a reader sees it: rounded, with thousands separators. None -> ""."""
    if value is None:
        return ""
    text = f"{rounded(value, decimals):,.{max(decimals, 0)}f}" if grouping else \
        f"{rounded(value, decimals):.{max(decimals, 0)}f}"
    if (DECIMAL_SEPARATOR, THOUSAND_SEPARATOR) != (".", ","):
        text = text.translate(str.maketrans({",": THOUSAND_SEPARATOR, ".": DECIMAL_SEPARATOR}))
    return text


def number_up_to(value: float | int | Decimal | None, decimals: int) -> str:
    """At most `decimals` digits after the point, trailing zeros dropped: 2.5 -> "2.5", 3 -> "3"."""
    text = number(value, decimals)
    if DECIMAL_SEPARATOR in text:
        text = text.rstrip("0").rstrip(DECIMAL_SEPARATOR)
    return "0" if text in ("-0", "") and value is not None else text


def measure_decimals(slug: str) -> int:
    """The precision a measure declares (0 for a slug this project does not know)."""
    from drugatlas import measures

    info = measures.BY_SLUG.get(slug)
    return info.precision if info else 0


def figure(value: float | int | None, measure: str) -> str:
    """A measure's value at the measure's precision: figure(413.8, "drug_arrest_rate") == "414"."""
    return number(value, measure_decimals(measure))


def percent(value: float | None, decimals: int = 0) -> str:
    """'98.9' -> '99%' (no space, as in the English and U.S. Spanish pages)."""
    return "" if value is None else number(value, decimals) + "%"


def change_percent(old: float | None, new: float | None, decimals: int = 0) -> Decimal | None:
    """Percent change from old to new, rounded; None where it cannot be computed."""
    if old in (None, 0) or new is None:
        return None
    return rounded((Decimal(repr(float(new))) - Decimal(repr(float(old))))
                   / abs(Decimal(repr(float(old)))) * 100, decimals)


def date_text(value: dt.date | None, precision: str = DAY) -> str:
    """A date as precisely as it is known: "2021", "2021-07" or "2021-07-15"; None -> ""."""
    if value is None:
        return ""
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    if precision != DAY:
        raise ValueError(f"unknown date precision {precision!r}; one of {', '.join(PRECISIONS)}")
    return value.isoformat()


def month_text(value: dt.date) -> str:
    """"February 2025" in the reader's language (Django's month names: this one needs Django)."""
    from django.utils.formats import date_format

    return date_format(value, "F Y")


def time_text(value: dt.datetime) -> str:
    """A time of day on the 24-hour clock, as the pages write it: "14:05"."""
    return f"{value.hour:02d}:{value.minute:02d}"


MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}


def date_words(value: dt.date | None, precision: str = DAY, language: str = "en") -> str:
    """A date in words, as precisely as it is known, for emails and sentences: "2021",
    "July 2021", "July 9, 2021"; in Spanish "2021", "julio de 2021", "9 de julio de 2021".
    None -> ""."""
    if value is None:
        return ""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r}; one of {', '.join(PRECISIONS)}")
    spanish = (language or "en").lower().startswith("es")
    month = MONTH_NAMES["es" if spanish else "en"][value.month - 1]
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{month} de {value.year}" if spanish else f"{month} {value.year}"
    return (f"{value.day} de {month} de {value.year}" if spanish
            else f"{month} {value.day}, {value.year}")


def parse_date_text(text: str) -> tuple[dt.date, str]:
    """"2021" -> (2021-01-01, "year"); "2021-07" -> (2021-07-01, "month"); a full date -> day.

    The inverse of date_text, for readers of research files and the bundle.
    """
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 1, 1), YEAR
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return dt.date(int(text[:4]), int(text[5:]), 1), MONTH
    return strict_date(text), DAY


def strict_date(text: str) -> dt.date:
    """A date written exactly YYYY-MM-DD (Python 3.11's fromisoformat also takes "20220101"
    and "2022-W01-1", which this project documents nowhere); ValueError otherwise."""
    if not (len(text) == 10 and text[4] == "-" and text[7] == "-"
            and text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit()):
        raise ValueError(f"not a date written YYYY-MM-DD: {text[:20]!r}")
    return dt.date.fromisoformat(text)


def conventions() -> dict:
    """What the page script needs to write numbers exactly as the server does."""
    return {"decimal": DECIMAL_SEPARATOR, "group": THOUSAND_SEPARATOR, "rounding": "half-away"}
