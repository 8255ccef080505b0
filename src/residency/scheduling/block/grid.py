"""A version of a block as a grid a chief can read: people as rows (residents by PGY, then
faculty), days as columns with the AM and PM rotation, call nights marked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from residency.calendar.academic_year import days
from residency.calendar.service import block_row
from residency.errors import InputError
from residency.people.repository import person_ids_by_key
from residency.scheduling import repository as repo
from residency.scheduling.repository import Version

FACULTY_GROUP = 99  # sorts after every PGY


@dataclass(frozen=True)
class GridRow:
    person_key: str
    name: str
    group: int  # the PGY, or FACULTY_GROUP
    cells: dict[date, tuple[str, str]]  # day -> (AM, PM) rotation abbreviations
    calls: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Grid:
    number: int
    start: date
    end: date
    rows: tuple[GridRow, ...]

    @property
    def days(self) -> list[date]:
        return list(days(self.start, self.end))


def block_grid(
    session: Session, academic_year: int, number: int, version: Version, person: str | None = None
) -> Grid:
    block = block_row(session, academic_year, number)
    start, end = block.start_date, block.end_date
    levels = repo.resident_levels(session, academic_year)
    cells: dict[str, dict[date, list[str]]] = defaultdict(lambda: defaultdict(lambda: ["", ""]))
    names: dict[str, tuple[str, int]] = {}
    for row in repo.assignments_between(session, start, end, version):
        key = row.person.key
        names[key] = (row.person.name, levels.get(row.person_id, FACULTY_GROUP))
        cells[key][row.half_day.date][0 if row.half_day.session == "AM" else 1] = (
            row.rotation.abbreviation
        )
    calls: dict[str, set[date]] = defaultdict(set)
    for call in repo.calls_between(session, start, end, version):
        names[call.person.key] = (call.person.name, levels.get(call.person_id, FACULTY_GROUP))
        calls[call.person.key].add(call.date)
    if person is not None and person not in person_ids_by_key(session):
        raise InputError(
            f"--person: {person!r} is not a person's key (`residency program export` lists them)"
        )
    if person is not None and person not in names:
        names[person] = (person, FACULTY_GROUP)  # known, but nothing scheduled
    rows = [
        GridRow(
            key,
            name,
            group,
            {d: (am, pm) for d, (am, pm) in cells[key].items()},
            frozenset(calls[key]),
        )
        for key, (name, group) in names.items()
        if person is None or key == person
    ]
    rows.sort(key=lambda r: (r.group, r.person_key))
    return Grid(number, start, end, tuple(rows))
