"""A resident's own page in the browser at a phone's size: reached from the dashboard, the
hours chart drawn with its 80-hour line, and nothing wider than the screen (the day table
and the plan scroll inside their own boxes, never the page)."""

from __future__ import annotations

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

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def block_published(site: Site) -> None:
    """Block 10 published (as the grid's and on-call's browser tests do: whichever module runs
    first publishes, the others keep it). Which schedule the solver found is not assumed."""
    scope = scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK)
    with unit_of_work(site.engine) as session:
        done = published(session, scope) is not None
    if not done:
        with unit_of_work(site.engine) as session:
            run_id = claim_block(session, GenerateRequest(YEAR, BLOCK, 5, first_feasible=True))
        execute_run(run_id, site.engine)
        with unit_of_work(site.engine) as session:
            publish(session, run_id)


def test_a_resident_opens_their_page_on_a_phone_and_sees_the_hours_chart(
    page: Page, site: Site, block_published: None
) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/login")
    sign_in(page, site.account(Role.RESIDENT, person_key="r4"))  # r4: no other test's
    page.get_by_role("link", name="Your schedule and hours").click()
    expect(page).to_have_url(f"{site.base_url}/people/r4")
    expect(page.get_by_role("heading", name="Resident r4", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=f"Hours per week, block {BLOCK}")).to_be_visible()
    chart = page.get_by_role("img", name=f"Hours per week in block {BLOCK} against the 80-hour")
    expect(chart).to_be_visible()
    limit = page.locator("svg.hours-chart line.limit")
    expect(limit).to_have_attribute("data-hours", "80")
    box = limit.bounding_box()
    assert box is not None and box["width"] > 200, "the line spans the chart"
    expect(page.locator("svg.hours-chart .limit-label")).to_have_text("80 h limit")
    expect(page.locator("svg.hours-chart rect.bar")).to_have_count(4)
    expect(page.locator("table.hours-table tbody tr")).to_have_count(4)
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
    )
    assert max(wide[:2]) <= wide[2], f"the page is wider than the phone: {wide}"
