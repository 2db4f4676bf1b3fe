"""The one formatter: half away from zero at the measure's precision; dates with precision."""
import datetime as dt
from decimal import Decimal

import pytest

from drugatlas import clock, formatting as fmt, measures


@pytest.mark.parametrize("value, decimals, text", [
    (413.8, 0, "414"), (413.5, 0, "414"), (412.5, 0, "413"), (46.25, 1, "46.3"),
    (46.35, 1, "46.4"), (0.285, 2, "0.29"), (-2.5, 0, "-3"), (-0.04, 1, "0.0"),
    (98.9, 0, "99"), (17278.5, 1, "17,278.5"), (1234567, 0, "1,234,567"), (0, 0, "0"),
])
def test_number_rounds_half_away_from_zero(value, decimals, text):
    assert fmt.number(value, decimals) == text


def test_no_data_is_not_zero():
    assert fmt.number(None) == "" and fmt.figure(None, "drug_arrests") == ""
    assert fmt.rounded_number(None) is None


def test_measure_precision():
    assert fmt.figure(413.8, "drug_arrest_rate") == "414"
    assert fmt.figure(46.25, "overdose_death_rate_crude") == "46.3"
    assert fmt.figure(98.9, "arrest_coverage_share") == "99"
    assert fmt.figure(58697, "drug_arrests") == "58,697"
    assert all(isinstance(m.precision, int) for m in measures.MEASURES)
    assert fmt.rounded_number(46.25, 1) == 46.3 and fmt.rounded_number(413.5, 0) == 414


def test_percent_and_change():
    assert fmt.percent(98.9) == "99%"
    assert fmt.change_percent(100, 82) == Decimal("-18")
    assert fmt.change_percent(0, 5) is None


@pytest.mark.parametrize("text, date, precision", [
    ("2021", dt.date(2021, 1, 1), "year"), ("2021-07", dt.date(2021, 7, 1), "month"),
    ("2021-07-15", dt.date(2021, 7, 15), "day"),
])
def test_dates_keep_their_precision(text, date, precision):
    assert fmt.parse_date_text(text) == (date, precision)
    assert fmt.date_text(date, precision) == text


@pytest.mark.parametrize("text", ["20220101", "2022-W01-1", "", "2022-1-1", "2022-01-01T00:00"])
def test_strict_date_refuses_other_iso_forms(text):
    with pytest.raises(ValueError):
        fmt.strict_date(text)


def test_clock_can_be_set():
    with clock.frozen(dt.date(2016, 1, 1)):
        assert clock.today() == dt.date(2016, 1, 1)
        with clock.frozen(dt.date(2020, 2, 29)):
            assert clock.today() == dt.date(2020, 2, 29)
        assert clock.today() == dt.date(2016, 1, 1)
    assert clock.today() == dt.datetime.now(dt.timezone.utc).date()


@pytest.mark.parametrize("precision, english, spanish", [
    ("year", "2021", "2021"),
    ("month", "July 2021", "julio de 2021"),
    ("day", "July 9, 2021", "9 de julio de 2021"),
])
def test_date_words_as_precisely_as_known(precision, english, spanish):
    day = dt.date(2021, 7, 9)
    assert fmt.date_words(day, precision, "en") == english
    assert fmt.date_words(day, precision, "es") == spanish
    assert fmt.date_words(None, precision) == ""
