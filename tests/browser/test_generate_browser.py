"""Generate in the browser: a coordinator starts a first-feasible run of Block 10 from
/generate, lands on its page, watches it end from the event stream (the page is updated in
place, never reloaded) and publishes it; no console error on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.block_program import BLOCK, YEAR
from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.models import RunKind
from residency.scheduling.runs.versions import published, scope_of


def test_a_coordinator_generates_watches_and_publishes_a_block(page: Page, site: Site) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.get_by_role("navigation").get_by_role("link", name="Generate", exact=True).click()
    expect(page.get_by_role("heading", name="Generate a schedule")).to_be_visible()
    page.get_by_label("Academic year (its first year)").fill(str(YEAR))
    page.get_by_label("Block (1 to 13; a block only)").fill(str(BLOCK))
    page.get_by_label("Time limit in seconds").fill("5")
    page.get_by_label("stop at the first schedule that keeps every hard rule").check()
    with page.expect_response(re.compile(r"/runs/\d+$")) as landed:
        page.get_by_role("button", name="Start").click()
    # The run was still queued or running when its page was served: the script follows it.
    assert "data-events=" in landed.value.text()
    page.evaluate("window.keptSinceLanding = true")  # a reload would lose it
    expect(page.get_by_role("heading", name="Result")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.keptSinceLanding === true")
    expect(page.get_by_role("heading", name="Against the published version")).to_be_visible()
    run_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("published")
    with unit_of_work(site.engine) as session:
        pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK))
        assert pointer is not None and pointer.run_id == run_id
