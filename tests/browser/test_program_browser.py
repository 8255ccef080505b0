"""The program data pages in the browser: a coordinator opens a rotation template from the
navigation, types a bad Saturday shift into the duty pattern, sees the program file's message
beside the Saturday field with the typed text kept, fixes it and saves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.browser import Site
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.rotations import edits, repository

# A template of this test's own: no plan, curriculum or minimum uses it, so no solve of the
# session's shared database is changed by editing it.
SIMS = {
    "abbreviation": "SIMS",
    "name": "Simulation lab",
    "activity_type": "education",
    "eligible_pgy": [1, 2, 3],
    "residents_per_block": {"min": 0, "max": 4},
    "residents_per_half_day": {"min": 0, "max": 2},
    "duty_pattern": {"wed": ["13:00-17:00"]},
}


@pytest.fixture(scope="module")
def sims(site: Site) -> str:
    with unit_of_work(site.engine) as session:
        if not repository.templates_with_shifts(session, "SIMS"):
            edits.create_template(session, SIMS)
    return "SIMS"


def test_a_bad_saturday_shift_is_named_beside_its_field_then_fixed(
    page: Page, site: Site, sims: str
) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Program").click()
    page.get_by_role("link", name="Rotation templates").click()
    page.get_by_role("link", name=f"Edit {sims}").click()
    expect(page.get_by_role("heading", name=f"Edit {sims}")).to_be_visible()

    saturday = page.get_by_label("sat", exact=True)
    expect(saturday).to_have_value("")
    saturday.fill("25:00-07:00")
    page.get_by_role("button", name="Save").click()
    error = page.locator("[id='duty_pattern.sat-error']")
    expect(error).to_have_text("duty_pattern.sat: '25:00-07:00' has a clock time out of range")
    saturday = page.get_by_label("sat", exact=True)
    expect(saturday).to_have_value("25:00-07:00")  # what was typed is kept
    expect(saturday).to_have_attribute("aria-invalid", "true")
    expect(saturday).to_have_attribute("aria-describedby", "duty_pattern.sat-error")
    expect(page.get_by_label("wed", exact=True)).to_have_value("13:00-17:00")

    saturday.fill("08:00-12:00")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/program/rotations#SIMS$"))
    expect(page.get_by_role("status")).to_have_text("The rotation template is saved.")
    row = page.locator("tr[data-rotation='SIMS']")
    expect(row).to_contain_text("sat 08:00-12:00")
    expect(row.locator(".swatch")).to_have_text("SIMS")
