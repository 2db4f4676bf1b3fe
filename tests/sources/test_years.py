"""Reading years out of publishers' cells."""
from __future__ import annotations

import pytest

from drugatlas.sources.records import SourceError
from drugatlas.sources.years import parse_year


@pytest.mark.parametrize("value, year", [("2016", 2016), (" 1970 ", 1970), ("2016.0", 2016),
                                         (2019, 2019)])
def test_years_as_publishers_write_them(value, year):
    assert parse_year("f.csv", 1, "year", value) == year


@pytest.mark.parametrize("value", ["", None, "20l6", "2016.5", "-2016", "16", "1066", "9999"])
def test_anything_else_names_row_and_column(value):
    with pytest.raises(SourceError, match="not a year") as err:
        parse_year("f.csv", 7, "Year", value)
    assert (err.value.file, err.value.row, err.value.column) == ("f.csv", 7, "Year")
