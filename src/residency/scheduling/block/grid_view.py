"""What the block grid page draws, from a block's `Grid` and the rotations' colours: the day
columns (weekends, holidays and today marked), each person's half-day cells with their
colour, call nights and post-call days, absences (their type only where the reader may see
it), the rows the filters keep, grouped by PGY then faculty, and the legend of the rotations
shown. Pure: no database, no request; pages.py reads the data and renders this."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from residency.scheduling.block.grid import FACULTY_GROUP, Grid, GridRow

AWAY = "absent"  # what a reader who may not see why someone is away sees (as the API)
FACULTY_FILTER = "faculty"  # the PGY filter's value for the faculty group


@dataclass(frozen=True)
class Rotation:
    """A rotation as the grid shows it: its CSS class carries the fill and the text colour."""

    abbreviation: str
    name: str
    fill: str  # #RRGGBB
    text: str  # #000000 or #FFFFFF, whichever reads better on the fill
    css_class: str  # rot-<n>: abbreviations may hold characters a class name may not


@dataclass(frozen=True)
class DayColumn:
    day: date
    weekend: bool
    holiday: str | None  # the holiday's name
    today: bool

    @property
    def shaded(self) -> bool:
        return self.weekend or self.holiday is not None


@dataclass(frozen=True)
class Cell:
    day: date
    session: str  # AM or PM
    abbreviation: str  # "" for an empty half-day
    rotation: Rotation | None
    call: bool  # the person is on call this night (marked on the PM cell)
    post_call: bool  # the day after a call night (marked on the AM cell)
    absence: str | None  # the absence type, AWAY, or None


@dataclass(frozen=True)
class PersonRow:
    person_key: str
    name: str
    cells: tuple[Cell, ...]  # day by day, AM then PM


@dataclass(frozen=True)
class Group:
    label: str  # PGY-1 ... or Faculty
    rows: tuple[PersonRow, ...]


@dataclass(frozen=True)
class Filters:
    pgy: str = ""  # "1", "2"..., FACULTY_FILTER, or "" for everyone
    service: str = ""  # a rotation's abbreviation: people on it some half-day of the block
    person: str = ""  # a person's key

    @property
    def active(self) -> bool:
        return bool(self.pgy or self.service or self.person)


@dataclass(frozen=True)
class GridView:
    columns: tuple[DayColumn, ...]
    groups: tuple[Group, ...]
    legend: tuple[Rotation, ...]  # the rotations on the rows shown, by abbreviation
    # For the filter form's choices: every group, person and rotation of the whole block.
    pgy_choices: tuple[tuple[str, str], ...]  # (value, label)
    people: tuple[tuple[str, str], ...]  # (key, name)
    services: tuple[Rotation, ...]

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def rotations_by_abbreviation(
    colours: list[tuple[int, str, str, str, str]],
) -> dict[str, Rotation]:
    """(id, abbreviation, name, fill, text) of each template -> the grid's Rotation."""
    return {
        abbreviation: Rotation(abbreviation, name, fill, text, f"rot-{template_id}")
        for template_id, abbreviation, name, fill, text in colours
    }


def rotation_css(rotations: dict[str, Rotation]) -> str:
    """The stylesheet of the rotations' colours: the pages' CSP allows no inline style."""
    lines = [
        f".{r.css_class} {{ background-color: {r.fill}; color: {r.text}; }}"
        for r in sorted(rotations.values(), key=lambda r: r.css_class)
    ]
    return "\n".join(lines) + "\n"


def css_version(css: str) -> str:
    """A short hash of the colours' stylesheet, so its address changes when a colour does."""
    return hashlib.sha256(css.encode()).hexdigest()[:12]


def grid_view(
    grid: Grid,
    rotations: dict[str, Rotation],
    holidays: dict[date, str],
    today: date,
    filters: Filters,
    own_key: str | None,
) -> GridView:
    """`own_key` None: the reader may see every absence's type; else only their own."""
    columns = tuple(
        DayColumn(day, day.weekday() >= 5, holidays.get(day), day == today) for day in grid.days
    )
    kept = [row for row in grid.rows if _kept(row, filters)]
    groups = tuple(
        Group(_label(group), tuple(_person_row(grid, row, rotations, own_key) for row in rows))
        for group, rows in groupby(kept, key=lambda r: r.group)
    )
    shown = {a for row in kept for a in _abbreviations(row)}
    everywhere = {a for row in grid.rows for a in _abbreviations(row)}
    return GridView(
        columns=columns,
        groups=groups,
        legend=tuple(rotations[a] for a in sorted(shown & rotations.keys())),
        pgy_choices=tuple(
            (_filter_value(group), _label(group))
            for group in sorted({row.group for row in grid.rows})
        ),
        people=tuple((row.person_key, row.name) for row in grid.rows),
        services=tuple(rotations[a] for a in sorted(everywhere & rotations.keys())),
    )


def _abbreviations(row: GridRow) -> set[str]:
    return {a for am_pm in row.cells.values() for a in am_pm if a}


def _kept(row: GridRow, filters: Filters) -> bool:
    if filters.pgy and _filter_value(row.group) != filters.pgy:
        return False
    if filters.service and filters.service not in _abbreviations(row):
        return False
    return not filters.person or row.person_key == filters.person


def _label(group: int) -> str:
    return "Faculty" if group == FACULTY_GROUP else f"PGY-{group}"


def _filter_value(group: int) -> str:
    return FACULTY_FILTER if group == FACULTY_GROUP else str(group)


def _person_row(
    grid: Grid, row: GridRow, rotations: dict[str, Rotation], own_key: str | None
) -> PersonRow:
    reasons_open = own_key is None or own_key == row.person_key
    cells = []
    for day in grid.days:
        am, pm = row.cells.get(day, ("", ""))
        away = row.absences.get(day)
        absence = away if away is None or reasons_open else AWAY
        post_call = row.post_call(day, grid.start)
        for session, abbreviation in (("AM", am), ("PM", pm)):
            cells.append(
                Cell(
                    day,
                    session,
                    abbreviation,
                    rotations.get(abbreviation),
                    call=session == "PM" and day in row.calls,
                    post_call=session == "AM" and post_call,
                    absence=absence,
                )
            )
    return PersonRow(row.person_key, row.name, tuple(cells))
