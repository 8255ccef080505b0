"""A version of a block as a grid a chief can read: people as rows (residents by PGY, then
faculty), days as columns with the AM and PM rotation, call nights and absences marked.

The night before the block's first day belongs to the block before (its published version,
whichever version of this block is read): a call then makes the first day post-call here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from residency.calendar.academic_year import days
from residency.calendar.service import block_row
from residency.errors import InputError
from residency.people.repository import person_ids_by_key
from residency.scheduling import repository as repo
from residency.scheduling.repository import PUBLISHED, Version

FACULTY_GROUP = 99  # sorts after every PGY


@dataclass(frozen=True)
class GridRow:
    person_key: str
    name: str
    group: int  # the PGY, or FACULTY_GROUP
    cells: dict[date, tuple[str, str]]  # day -> (AM, PM) rotation abbreviations
    calls: frozenset[date] = field(default_factory=frozenset)
    absences: dict[date, str] = field(default_factory=dict)  # day -> absence type
    night_before: bool = False  # on call the night before the block's first day

    def post_call(self, day: date, first_day: date) -> bool:
        """The day after a call night (the block's first day after the block before's)."""
        if day == first_day and self.night_before:
            return True
        return day - timedelta(days=1) in self.calls


@dataclass(frozen=True)
class Grid:
    number: int
    start: date
    end: date
    rows: tuple[GridRow, ...]

    @property
    def days(self) -> list[date]:
        return list(days(self.start, self.end))


@dataclass
class _Rows:
    """The grid being filled: each person met (name, group), their cells, calls, absences."""

    levels: dict[int, int]
    names: dict[str, tuple[str, int]] = field(default_factory=dict)
    cells: dict[str, dict[date, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: ["", ""]))
    )
    calls: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))
    absences: dict[str, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))
    night_before: set[str] = field(default_factory=set)

    def meet(self, person_id: int, key: str, name: str) -> str:
        self.names[key] = (name, self.levels.get(person_id, FACULTY_GROUP))
        return key

    def row(self, key: str) -> GridRow:
        name, group = self.names[key]
        cells = {d: (am, pm) for d, (am, pm) in self.cells[key].items()}
        calls, away = frozenset(self.calls[key]), dict(self.absences[key])
        return GridRow(key, name, group, cells, calls, away, key in self.night_before)


def block_grid(
    session: Session, academic_year: int, number: int, version: Version, person: str | None = None
) -> Grid:
    """People scheduled, on call or away in the block (one person's row with `person`)."""
    block = block_row(session, academic_year, number)
    start, end = block.start_date, block.end_date
    found = _Rows(repo.resident_levels(session, academic_year))
    for person_id, key, name, day, half_day, rotation in repo.slot_cells_between(
        session, start, end, version
    ):
        found.cells[found.meet(person_id, key, name)][day][half_day != "AM"] = rotation
    for person_id, key, name, night in repo.call_nights_between(session, start, end, version):
        found.calls[found.meet(person_id, key, name)].add(night)
    eve = start - timedelta(days=1)
    for person_id, key, name, _ in repo.call_nights_between(session, eve, eve, PUBLISHED):
        found.night_before.add(found.meet(person_id, key, name))
    for absence in repo.absences_between(session, start, end):  # the same in every version
        who = absence.person
        away = found.absences[found.meet(who.id, who.key, who.name)]
        for day in days(max(absence.start_date, start), min(absence.end_date, end)):
            away.setdefault(day, absence.absence_type.value)
    if person is not None:
        _require_person(session, person)
        found.names.setdefault(person, (person, FACULTY_GROUP))  # known, nothing scheduled
    rows = [found.row(key) for key in found.names if person is None or key == person]
    rows.sort(key=lambda r: (r.group, r.person_key))
    return Grid(number, start, end, tuple(rows))


def _require_person(session: Session, key: str) -> None:
    if key not in person_ids_by_key(session):
        raise InputError(
            f"--person: {key!r} is not a person's key (`residency program export` lists them)",
            field="person",
        )
