"""Who is on call in the browser: reached from the navigation, another day picked with the form,
tonight's person shown, and printed without the header, the form or any button."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.block_program import BLOCK, YEAR
from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling import repository as repo
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import RunKind
from residency.scheduling.runs.execute import execute_run
from residency.scheduling.runs.versions import publish, published, scope_of

FRIDAY = date(2026, 3, 20)  # a call night of block 10


@pytest.fixture(scope="module")
def friday_on_call(site: Site) -> str:
    """Block 10 published (as the grid's browser test also does: whichever module runs first
    publishes, the other keeps it) and the name of Friday's resident on call."""
    scope = scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK)
    with unit_of_work(site.engine) as session:
        done = published(session, scope) is not None
    if not done:
        with unit_of_work(site.engine) as session:
            run_id = claim_block(session, GenerateRequest(YEAR, BLOCK, 5, first_feasible=True))
        execute_run(run_id, site.engine)
        with unit_of_work(site.engine) as session:
            publish(session, run_id)
    with unit_of_work(site.engine) as session:
        (call,) = repo.calls_between(session, FRIDAY, FRIDAY)
        return call.person.name


def test_on_call_is_found_picked_by_day_and_printed_bare(
    page: Page, site: Site, friday_on_call: str
) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.FACULTY, person_key="f2"))  # f2: no other test's
    page.get_by_role("navigation", name="Main").get_by_role("link", name="On call").click()
    expect(page.get_by_role("heading", name="Who is on call", exact=True)).to_be_visible()
    page.get_by_label("Day").fill(FRIDAY.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site.base_url}/on-call?day={FRIDAY.isoformat()}")
    tonight = page.locator("section.tonight")
    expect(tonight.get_by_role("heading")).to_have_text("Tonight, Friday 20 March 2026")
    expect(tonight.locator('[data-service="CALL"] dd')).to_contain_text(friday_on_call)
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("form.on-call-day")).to_be_hidden()
    for button in page.locator("button").all():
        expect(button).to_be_hidden()
    expect(page.locator("table.on-call-week")).to_be_visible()
    assert (
        page.locator("table.on-call-week td").first.evaluate("cell => getComputedStyle(cell).color")
        == "rgb(0, 0, 0)"
    )
