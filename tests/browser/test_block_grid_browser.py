"""The block grid in the browser: the published Block 10 drawn with its legend, every cell
reached by the keyboard alone in reading order, and no console error on the way."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.block_program import BLOCK, YEAR
from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import publish

GRID = f"/blocks/{BLOCK}?year={YEAR}"


@pytest.fixture(scope="module")
def published(site: Site) -> int:
    """Block 10 of the served program, generated (the first schedule that keeps every rule)
    and published."""
    with unit_of_work(site.engine) as session:
        run_id = claim_block(session, GenerateRequest(YEAR, BLOCK, 5, first_feasible=True))
    execute_run(run_id, site.engine)
    with unit_of_work(site.engine) as session:
        publish(session, run_id)
    return run_id


def test_the_keyboard_walks_the_grid_cell_by_cell(page: Page, site: Site, published: int) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.RESIDENT, person_key="r2"))
    page.goto(GRID)
    expect(page.get_by_role("note")).to_contain_text("Published schedule")
    expect(page.get_by_role("heading", name="Legend")).to_be_visible()
    cells = page.locator("table.block-grid td.cell")
    first, second = cells.nth(0), cells.nth(1)
    first.focus()
    page.keyboard.press("Tab")
    expect(second).to_be_focused()  # AM, then PM of the same day: reading order
    assert first.get_attribute("data-day") == second.get_attribute("data-day")
    assert (first.get_attribute("data-session"), second.get_attribute("data-session")) == (
        "AM",
        "PM",
    )


def test_a_refused_cell_edit_is_saved_with_an_override_reason(
    page: Page, site: Site, published: int
) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.goto(GRID)
    day = _a_weekday_morning_off_the_ward(page, "r3")
    page.locator(f'tr[data-person="r3"] td.cell[data-session="AM"][data-day="{day}"] a').click()
    page.get_by_label("Rotation").select_option("WARD")  # r3 is not eligible for the ward
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#rotation-error")).to_contain_text("Eligibility")
    expect(page.get_by_label("Rotation")).to_have_value("WARD")  # what was chosen is kept
    page.get_by_label("Override reason").fill("covering the ward for a sick colleague; PD agreed")
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("status")).to_contain_text("override reason")
    cell = page.locator(f'tr[data-person="r3"] td.cell[data-session="AM"][data-day="{day}"]')
    expect(cell).to_contain_text("WARD")


def _a_weekday_morning_off_the_ward(page: Page, person: str) -> str:
    """The first weekday morning the person is not on the ward, whatever the solve put there
    (the first feasible schedule differs from run to run: an elective, the clinic, nothing)."""
    cells = page.locator(f'tr[data-person="{person}"] td.cell[data-session="AM"]')
    for day, text in cells.evaluate_all("cells => cells.map(c => [c.dataset.day, c.innerText])"):
        if date.fromisoformat(day).weekday() < 5 and "WARD" not in text:
            return str(day)
    raise AssertionError(f"{person} is on the ward every weekday morning of the block")
