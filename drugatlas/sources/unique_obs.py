"""An observation list that refuses a second value for the same place, measure and period."""
from __future__ import annotations

from pathlib import Path

from .records import Obs, SourceError


class UniqueObservations:
    """Collects one reader's observations; a repeated key is a SourceError naming both rows.

    A repeat means the publisher's file changed shape (a row doubled, a filter that no longer
    selects one row per place and year), so it is an error, never silently overwritten.
    """

    def __init__(self) -> None:
        self.items: list[Obs] = []
        self._first_row: dict[tuple[str, str, str], int | None] = {}

    def add(self, file: str | Path, obs: Obs, column: str | None = None) -> None:
        key = (obs.fips, obs.measure, obs.period)
        if key in self._first_row:
            raise SourceError(file, f"duplicate value for FIPS {obs.fips} / {obs.measure} / "
                                    f"{obs.period} (first at row {self._first_row[key]})",
                              obs.row, column)
        self._first_row[key] = obs.row
        self.items.append(obs)
