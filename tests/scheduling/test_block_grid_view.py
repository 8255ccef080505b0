"""The grid page's view model (scheduling/block/grid_view.py), pure: groups and their order,
each half-day's colour, call night on the PM cell and post-call on the next AM, absences
masked for readers who may not see why, weekends, holidays and today, filters and legend."""

from __future__ import annotations

from datetime import date

from residency.scheduling.block.grid import FACULTY_GROUP, Grid, GridRow
from residency.scheduling.block.grid_view import (
    AWAY,
    Filters,
    GridView,
    grid_view,
    rotation_css,
    rotations_by_abbreviation,
)

MON, TUE, WED, SAT = date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 14)
ROTATIONS = rotations_by_abbreviation(
    [
        (1, "WARD", "Wards", "#F4A6A6", "#000000"),
        (2, "ELEC", "Elective", "#1F5F8B", "#FFFFFF"),
        (3, "NF", "Nights", "#A9B4E8", "#000000"),  # in the program, on no row
    ]
)
GRID = Grid(
    10,
    MON,
    SAT,
    (
        GridRow("r1", "Ada", 1, {MON: ("WARD", "WARD")}, frozenset({MON}), {WED: "vacation"}),
        GridRow("r2", "Ben", 2, {TUE: ("ELEC", "")}),
        GridRow("f1", "Dr Cole", FACULTY_GROUP, {MON: ("", "ELEC")}),
    ),
)


def _view(filters: Filters | None = None, own: str | None = None) -> GridView:
    return grid_view(GRID, ROTATIONS, {TUE: "Some Day"}, WED, filters or Filters(), own)


def test_rows_are_grouped_with_each_half_days_colour_calls_and_post_call() -> None:
    view = _view()
    assert [(g.label, [r.person_key for r in g.rows]) for g in view.groups] == [
        ("PGY-1", ["r1"]),
        ("PGY-2", ["r2"]),
        ("Faculty", ["f1"]),
    ]
    ada = view.groups[0].rows[0]
    assert len(ada.cells) == 12  # six days, AM and PM
    monday_am, monday_pm, tuesday_am = ada.cells[0], ada.cells[1], ada.cells[2]
    assert (monday_am.abbreviation, monday_am.rotation) == ("WARD", ROTATIONS["WARD"])
    assert ROTATIONS["WARD"].css_class == "rot-1"
    assert (monday_am.call, monday_pm.call) == (False, True)  # the night is the PM cell's
    assert (tuesday_am.post_call, ada.cells[3].post_call) == (True, False)
    assert ada.cells[4].absence == "vacation" and ada.cells[5].absence == "vacation"
    assert [c.day for c in view.columns if c.shaded] == [TUE, SAT]  # a holiday, a Saturday
    assert [c.day for c in view.columns if c.today] == [WED]
    assert [r.abbreviation for r in view.legend] == ["ELEC", "WARD"]  # NF is on no row


def test_absences_show_their_type_only_to_whoever_may_see_it() -> None:
    as_r2 = _view(own="r2").groups[0].rows[0]
    assert as_r2.cells[4].absence == AWAY
    as_r1 = _view(own="r1").groups[0].rows[0]
    assert as_r1.cells[4].absence == "vacation"


def test_filters_keep_rows_by_pgy_service_and_person_and_the_legend_follows() -> None:
    def kept(**filters: str) -> list[str]:
        view = _view(Filters(**filters))
        return [r.person_key for g in view.groups for r in g.rows]

    assert kept(pgy="2") == ["r2"]
    assert kept(pgy="faculty") == ["f1"]
    assert kept(service="ELEC") == ["r2", "f1"]
    assert kept(person="r1") == ["r1"]
    assert kept(pgy="1", service="ELEC") == []
    narrowed = _view(Filters(person="r1"))
    assert [r.abbreviation for r in narrowed.legend] == ["WARD"]
    # The filter form still offers the whole block's choices.
    assert [value for value, _ in narrowed.pgy_choices] == ["1", "2", "faculty"]
    assert [r.abbreviation for r in narrowed.services] == ["ELEC", "WARD"]


def test_the_colour_stylesheet_has_one_class_per_rotation() -> None:
    assert rotation_css(ROTATIONS).splitlines() == [
        ".rot-1 { background-color: #F4A6A6; color: #000000; }",
        ".rot-2 { background-color: #1F5F8B; color: #FFFFFF; }",
        ".rot-3 { background-color: #A9B4E8; color: #000000; }",
    ]
