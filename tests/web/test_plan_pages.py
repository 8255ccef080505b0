"""The annual plan page, `/plan`, through the TestClient (reads: SQLite only): residents by PGY
and the 13 blocks as the database holds them, a split block as two halves, each cell's
rotation in its colour; each resident's curriculum counts against their PGY's minimum and
maximum; a draft (`?run=ID`) with its own entries; staff only."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR
from fixtures.pages import cookie_of
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.people.models import Person
from residency.rotations.models import CurriculumRequirement, RotationTemplate
from residency.rotations.repository import rotation_ids_by_abbreviation
from residency.scheduling import repository as repo
from residency.scheduling.models import (
    AssignmentSource,
    RotationPlanEntry,
    RunKind,
    RunStatus,
)
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.lifecycle import new_run

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # reads only
PAGE = f"/plan?year={YEAR}"
EMPTY = "\N{EN DASH}"  # what a half-block with nothing planned shows
# PGY -> rotation -> (minimum, maximum) half-blocks for the test's curriculum.
CURRICULUM = {1: {"WARD": (2, 4), "CLIN": (2, 6)}, 2: {"ELEC": (4, 8)}, 3: {"WARD": (0, 0)}}
_ROW = re.compile(r'<tr data-person="([^"]+)">(.*?)</tr>', re.S)
_PLAN_CELL = re.compile(r'<td class="plan-cell([^"]*)"(?: colspan="(\d)")?>([^<]*)</td>')
_COUNT = re.compile(r'<td class="count (\w+)" data-rotation="([^"]+)">(.*?)</td>', re.S)


def plan_rows(page: str) -> dict[str, list[tuple[set[str], int, str]]]:
    """Resident key -> the grid's cells: (classes, half-blocks spanned, abbreviation)."""
    grid = page.split('<table class="plan-grid">', 1)[1].split("</table>", 1)[0]
    return {
        key: [
            (set(classes.split()), int(span or 1), html.unescape(text))
            for classes, span, text in _PLAN_CELL.findall(body)
        ]
        for key, body in _ROW.findall(grid)
    }


def halves_of(cells: list[tuple[set[str], int, str]]) -> list[str]:
    """The 26 half-blocks a row's cells show ("" for nothing planned)."""
    return [("" if text == EMPTY else text) for _, span, text in cells for _ in range(span)]


def counts_of(page: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Resident key -> rotation -> (status, the cell's words)."""
    part = page.split('id="curriculum-title"', 1)[1]
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for key, body in _ROW.findall(part):
        found[key] = {
            rotation: (status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split()))
            for status, rotation, inner in _COUNT.findall(body)
        }
    return found


def _curriculum(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        ids = rotation_ids_by_abbreviation(session)
        for pgy, lines in CURRICULUM.items():
            for rotation, (low, high) in lines.items():
                session.add(
                    CurriculumRequirement(
                        pgy=pgy,
                        rotation_id=ids[rotation],
                        min_half_blocks=low,
                        max_half_blocks=high,
                    )
                )


def stored_halves(api: Api, version: Version) -> dict[str, list[str]]:
    """Resident key -> the 26 half-blocks' rotations of the version, read from the rows."""
    with unit_of_work(api.engine) as session:
        levels = repo.resident_levels(session, YEAR)
        people = repo.people_by_id(session, list(levels))
        halves = {people[pid].key: [""] * 26 for pid in levels}
        for entry in repo.year_plan_entries(session, YEAR, version):
            for half in (1, 2) if entry.block_half == 0 else (entry.block_half,):
                index = (entry.block_number - 1) * 2 + half - 1
                halves[entry.person.key][index] = entry.rotation.abbreviation
    return halves


def _get(api: Api, role: Role, path: str, status: int = 200) -> str:
    answer = api.client.get(path, headers=cookie_of(api, role), follow_redirects=False)
    assert answer.status_code == status, answer.text
    return answer.text


def _expected_counts(halves: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    pgy = {"r1": 1, "r2": 2, "r3": 2, "r4": 3}
    expected = {}
    for key, row in halves.items():
        done = Counter(row)
        lines = CURRICULUM[pgy[key]]
        expected[key] = {
            rotation: "below"
            if done[rotation] < low
            else "above"
            if done[rotation] > high
            else "within"
            for rotation, (low, high) in lines.items()
        }
    return expected


def test_the_plan_shows_each_residents_blocks_halves_colours_and_curriculum(api: Api) -> None:
    _curriculum(api)
    page = _get(api, Role.COORDINATOR, PAGE)
    assert "No plan is published for 2025 yet" in page
    rows = plan_rows(page)
    assert list(rows) == ["r1", "r2", "r3", "r4"]  # by PGY, then key
    assert {key: halves_of(cells) for key, cells in rows.items()} == stored_halves(api, PUBLISHED)
    assert '<th scope="rowgroup" colspan="27">PGY-2</th>' in page

    # The mini program's plan: r1 on the ward all of block 10 (one cell over both halves), r4
    # split between the elective and the ward (two cells), nothing elsewhere.
    r1, r4 = rows["r1"], rows["r4"]
    assert len(r1) == 13 and r1[BLOCK - 1][1:] == (2, "WARD")
    assert len(r4) == 14 and [c[1:] for c in r4[BLOCK - 1 : BLOCK + 1]] == [
        (1, "ELEC"),
        (1, "WARD"),
    ]
    with unit_of_work(api.engine) as session:
        ward = session.scalar(
            select(RotationTemplate.id).where(RotationTemplate.abbreviation == "WARD")
        )
    assert f"rot-{ward}" in r1[BLOCK - 1][0] and "empty" in r1[0][0]
    assert re.search(r'href="/blocks/colors\.css\?v=[0-9a-f]+"', page)
    assert '<span class="swatch rot-' in page and "Ward rotation" in page  # the legend

    counts = counts_of(page)
    expected = _expected_counts(stored_halves(api, PUBLISHED))
    assert {k: {r: s for r, (s, _) in v.items()} for k, v in counts.items()} == expected
    assert counts["r1"]["WARD"] == ("within", "1 (1 to 2)")
    assert counts["r1"]["CLIN"] == ("below", "0 (1 to 3) below")
    assert counts["r4"]["WARD"] == ("above", "0.5 (0 to 0) above")
    assert counts["r3"]["ELEC"] == ("below", "1 (2 to 4) below")
    assert _get(api, Role.ADMIN, PAGE) and "Plan</a>" in _get(api, Role.COORDINATOR, "/")


def test_a_runs_draft_shows_its_own_entries_and_only_staff_read_the_plan(api: Api) -> None:
    _curriculum(api)
    with unit_of_work(api.engine) as session:
        year = session.scalar(select(RotationPlanEntry.academic_year).limit(1))
        assert year == YEAR
        run = new_run(
            session, RunKind.ANNUAL_PLAN, YEAR, None, (repo.now().date(),) * 2, {}, "test"
        )
        run.status = RunStatus.SUCCEEDED
        r1 = session.scalar(select(Person.id).where(Person.key == "r1"))
        clinic = session.scalar(
            select(RotationTemplate.id).where(RotationTemplate.abbreviation == "CLIN")
        )
        session.add(
            RotationPlanEntry(
                person_id=r1,
                academic_year=YEAR,
                block_number=1,
                block_half=0,
                rotation_id=clinic,
                source=AssignmentSource.SOLVER,
                schedule_run_id=run.id,
            )
        )
        run_id = run.id
    draft = _get(api, Role.COORDINATOR, f"{PAGE}&run={run_id}")
    assert f'Draft of <a href="/runs/{run_id}">run {run_id}</a>, not published.' in draft
    shown = {key: halves_of(cells) for key, cells in plan_rows(draft).items()}
    assert shown == stored_halves(api, Version(run_id)) and shown["r1"][:2] == ["CLIN", "CLIN"]
    assert counts_of(draft)["r1"]["CLIN"] == ("within", "1 (1 to 3)")
    published_page = _get(api, Role.COORDINATOR, PAGE)
    assert halves_of(plan_rows(published_page)["r1"])[:2] == ["", ""]  # the draft's alone

    block_run = _get(api, Role.COORDINATOR, f"{PAGE}&run=999", status=404)
    assert "run" in block_run
    for role in (Role.RESIDENT, Role.FACULTY):
        refused = _get(api, role, f"{PAGE}&run={run_id}", status=403)
        assert "CLIN" not in refused
        assert 'href="/plan"' not in _get(api, role, "/")
