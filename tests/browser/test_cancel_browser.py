"""Cancel in the browser: a coordinator starts an optimising run of Block 10 with a 60-second
limit (the mini program's solver keeps improving its schedule to the limit, far from a proven
optimum: an honest long solve, no test executor), watches its first figures arrive from the
event stream, presses Cancel and sees the run end cancelled with its best schedule kept as a
draft, all on the page it landed on (never reloaded)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.block_program import BLOCK, YEAR
from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.models import RunStatus
from residency.scheduling.runs.versions import get_run

LIMIT_S = 60  # the solve's own limit: cancelling is what ends it within the test's seconds
FIRST_FIGURES_MS = 20_000  # bounds on waiting, not performance claims
STOPPED_MS = 20_000


def test_a_coordinator_cancels_a_running_generation(page: Page, site: Site) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.goto("/generate")
    page.get_by_label("Academic year (its first year)").fill(str(YEAR))
    page.get_by_label("Block (1 to 13; a block only)").fill(str(BLOCK))
    page.get_by_label("Time limit in seconds").fill(str(LIMIT_S))
    expect(
        page.get_by_label("stop at the first schedule that keeps every hard rule")
    ).not_to_be_checked()
    with page.expect_response(re.compile(r"/runs/\d+$")) as landed:
        page.get_by_role("button", name="Start").click()
    assert "data-events=" in landed.value.text()  # still live when served
    run_id = int(page.url.rsplit("/", 1)[1])
    page.evaluate("window.keptSinceLanding = true")  # a reload would lose it

    objective = page.locator('#run [data-field="objective"]')
    expect(objective).to_have_text(re.compile(r"^\d+(\.\d+)?$"), timeout=FIRST_FIGURES_MS)
    expect(page.locator('#run [data-field="stage"]')).not_to_have_text(
        "waiting for the first solution"
    )
    expect(page.locator("#run polyline.objective")).to_have_attribute("points", re.compile(r"\d"))
    page.get_by_role("button", name="Cancel the run").click()

    status = page.locator('#run [data-field="status"]')
    expect(status).to_have_text("cancelled", timeout=STOPPED_MS)
    expect(page.locator('#run [data-field="message"]')).to_contain_text(
        "the best schedule found by then is kept as a draft"
    )
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_role("link", name="See the draft in the grid")).to_be_visible()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()
    assert page.evaluate("window.keptSinceLanding === true")
    assert page.url.endswith(f"/runs/{run_id}")
    with unit_of_work(site.engine) as session:
        run = get_run(session, run_id)
        assert run.status == RunStatus.CANCELLED and run.cancel_requested_at is not None
        assert run.metrics["has_schedule"] is True
        assert run.metrics["wall_s"] < LIMIT_S / 2  # stopped by the cancel, not its limit
