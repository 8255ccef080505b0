"""Administration in Chromium: an administrator opens Admin from the header, makes a
coordinator's account and sees its one-time password once (the list and the account page do
not show it again, and it signs in to the first-login password change), then finds the
creation in the audit log filtered by its action."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.browser import Account, Site
from residency.auth.models import Role

NEW_EMAIL = "browser-chief@example.org"


def test_an_admin_creates_an_account_and_finds_it_in_the_audit_log(page: Page, site: Site) -> None:
    admin = site.account(Role.ADMIN)
    page.goto("/login")
    sign_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))

    page.get_by_label("E-mail").fill(NEW_EMAIL)
    page.get_by_label("Name").fill("Browser Chief")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="Account created")).to_be_visible()
    shown = page.locator("#one-time-password")
    expect(shown).to_have_text(re.compile(r"^\S{20}$"))
    password = shown.inner_text()

    page.get_by_role("link", name="Every account").click()
    expect(page.get_by_role("link", name=NEW_EMAIL)).to_be_visible()
    assert password not in page.content()
    page.get_by_role("link", name=NEW_EMAIL).click()
    expect(page.get_by_label("Role")).to_have_value("coordinator")
    assert password not in page.content()

    page.goto("/admin/audit")
    page.get_by_label("Action").fill("user.create")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?.*action=user\.create"))
    row = page.locator("table.audit-log > tbody > tr", has_text=NEW_EMAIL)
    expect(row).to_have_count(1)
    expect(row.locator("td.action")).to_have_text("user.create")
    assert password not in page.content()

    page.context.clear_cookies()
    page.goto("/login")
    sign_in(page, Account(NEW_EMAIL, password))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
