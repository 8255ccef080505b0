"""A coordinator's whole path through the browser (issue 14's "done when"): sign in, record an
absence for a resident on the inpatient ward, repair Block 10 with minimal change from
/generate, watch the run, read the diff, publish; then a resident signs in and sees the
published change in the grid."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.block_program import BLOCK, YEAR
from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import RunKind
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import publish, published, scope_of

WARD_RESIDENTS = ("r1", "r2")  # on the ward all block (tests/fixtures/block_program.py PLAN)
GRID = f"/blocks/{BLOCK}?year={YEAR}"


@pytest.fixture
def block_10_published(site: Site) -> int:
    """The published revision of Block 10 the repair starts from (another module of this
    process may have published one already)."""
    scope = scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK)
    with unit_of_work(site.engine) as session:
        pointer = published(session, scope)
    if pointer is None:
        with unit_of_work(site.engine) as session:
            run_id = claim_block(session, GenerateRequest(YEAR, BLOCK, 5, first_feasible=True))
        execute_run(run_id, site.engine)
        with unit_of_work(site.engine) as session:
            publish(session, run_id)
    with unit_of_work(site.engine) as session:
        pointer = published(session, scope)
        assert pointer is not None
        return pointer.revision


def _cells(page: Page, person: str, day: date) -> list[str]:
    return [
        page.locator(
            f'tr[data-person="{person}"] td.cell[data-day="{day}"][data-session="{half}"]'
        ).inner_text()
        for half in ("AM", "PM")
    ]


def _a_ward_day(page: Page) -> tuple[str, date]:
    """The first weekday a ward resident works on the ward (what the published schedule holds
    differs from run to run)."""
    for person in WARD_RESIDENTS:
        cells = page.locator(f'tr[data-person="{person}"] td.cell[data-session="AM"]')
        for day, text in cells.evaluate_all("cs => cs.map(c => [c.dataset.day, c.innerText])"):
            if date.fromisoformat(day).weekday() < 5 and "WARD" in text:
                return person, date.fromisoformat(day)
    raise AssertionError("no ward resident works on the ward in the published Block 10")


def test_an_absence_is_repaired_with_minimal_change_published_and_seen_by_a_resident(
    page: Page, site: Site, block_10_published: int
) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.goto(GRID)
    resident, away = _a_ward_day(page)

    # The absence, from the program data pages.
    page.get_by_role("navigation").get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("link", name="Absences").first.click()
    page.get_by_role("link", name=re.compile("Record an absence", re.I)).click()
    page.get_by_label("Person").select_option(resident)
    page.get_by_label("Kind").select_option("medical")
    page.get_by_label("First day").fill(away.isoformat())
    page.get_by_label("Last day").fill(away.isoformat())
    page.get_by_label("not scheduled on these days").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("absence is saved")

    # The repair: minimal change to the published version, watched to its end.
    page.get_by_role("navigation").get_by_role("link", name="Generate", exact=True).click()
    page.get_by_label("Academic year (its first year)").fill(str(YEAR))
    page.get_by_label("Block (1 to 13; a block only)").fill(str(BLOCK))
    page.get_by_label("Time limit in seconds").fill("10")
    page.get_by_label("minimal change to the published version").check()
    with page.expect_response(re.compile(r"/runs/\d+$")) as landed:
        page.get_by_role("button", name="Start").click()
    assert "data-events=" in landed.value.text()  # served while queued or running: watched live
    expect(page.get_by_role("heading", name="Result")).to_be_visible(timeout=60_000)

    # The diff names the absent resident's day off the ward, and little else (minimal change).
    changes = page.locator("table.diff tbody tr").all_inner_texts()
    assert any(resident in row and away.isoformat() in row for row in changes), changes
    assert len(changes) < 10, changes
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("published")
    page.get_by_role("button", name="Sign out").click()

    # A resident sees the new revision: the absent resident off the ward, marked absent.
    sign_in(page, site.account(Role.RESIDENT, person_key="r3"))
    page.goto(GRID)
    expect(page.get_by_role("note")).to_contain_text(f"revision {block_10_published + 1}")
    assert all("WARD" not in text for text in _cells(page, resident, away))
    absent = page.locator(f'tr[data-person="{resident}"] td.cell.away[data-day="{away}"]')
    expect(absent).to_have_count(2)  # AM and PM
