"""The compliance page in the browser: a coordinator reaches it from the navigation, uploads a
duty-hours CSV with a 30-hour call through the file input, and sees the finding with its
rule, person and citation; a file with a bad row gets the parser's message at the field."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.browser import Site
from residency.auth.models import Role

CSV = "person_id,pgy,start,end,kind\n"
LONG_CALL = CSV + "r9,2,2026-03-09T07:00,2026-03-10T13:00,in_house_call\n"  # 30 h: over 24


def test_a_coordinator_uploads_a_csv_and_sees_the_finding_with_its_citation(
    page: Page, site: Site
) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compliance").click()
    expect(page).to_have_url(re.compile(r"/compliance/blocks/\d+$"))
    expect(page.get_by_role("heading", name="Every rule, closest to its limit")).to_be_visible()

    bad = {
        "name": "bad.csv",
        "mimeType": "text/csv",
        "buffer": (CSV + "r9,two,x,y,shift\n").encode(),
    }
    page.get_by_label("Duty-hours CSV", exact=True).set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#file-error")).to_have_text("file row 2: pgy 'two' is not a whole number")

    upload = {"name": "march.csv", "mimeType": "text/csv", "buffer": LONG_CALL.encode()}
    page.get_by_label("Duty-hours CSV", exact=True).set_input_files(upload)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="The check of march.csv")).to_be_visible()
    finding = page.locator('table[data-severity="violations"] tr.finding')
    expect(finding).to_have_count(1)
    expect(finding.locator("th")).to_have_text("ACGME-24PLUS4")
    expect(finding.locator("td.person")).to_have_text("r9")
    expect(finding.locator("td.citation")).to_have_text("ACGME CPR VI.F.3.a")
