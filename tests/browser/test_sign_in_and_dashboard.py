"""The first slice of the web app in Chromium: sign in (the first-login password change, a
wrong password, where sign-in goes on to), the keyboard alone, each role's dashboard, sign out.
The `page` fixture fails any test whose pages log a console error (conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from fixtures.browser import PASSWORD, Account, Site
from residency.auth.models import Role

NEW_PASSWORD = "Quiet-Fjord-Amber-42"
STAFF_HEADINGS = ("Current block", "Compliance alerts", "Runs in progress", "Blocks of 2025-2026")


def sign_in(page: Page, account: Account, password: str | None = None) -> None:
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password", exact=True).fill(password or account.password)
    page.get_by_role("button", name="Sign in").click()


def test_a_first_sign_in_changes_the_one_time_password(page: Page, site: Site) -> None:
    chief = site.account(Role.COORDINATOR, must_change=True)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, chief)
    expect(page).to_have_url(re.compile(r"/account/password$"))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Change password").click()
    new_field = page.get_by_label("New password", exact=True)
    expect(new_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new_password-error")).to_contain_text(
        "new_password: breaks the password policy: at least 12 characters (it has 5)"
    )
    expect(new_field).to_have_value("")  # a password is never sent back to the browser

    page.get_by_label("Current password").fill(PASSWORD)
    new_field.fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(f"{site.base_url}/")
    expect(page.get_by_role("status")).to_have_text(re.compile("Your password is changed"))
    expect(page.get_by_role("heading", name="Runs in progress")).to_be_visible()


def test_a_wrong_password_is_said_at_the_form_which_keeps_the_email(page: Page, site: Site) -> None:
    chief = site.account(Role.COORDINATOR)
    page.goto("/login")
    sign_in(page, chief, password="not-the-password")
    expect(page.get_by_role("alert")).to_have_text("email or password is wrong")
    expect(page.get_by_label("E-mail")).to_have_value(chief.email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")


def test_sign_in_goes_on_to_the_page_asked_for_and_never_to_another_site(
    page: Page, site: Site
) -> None:
    chief = site.account(Role.COORDINATOR)
    page.goto("/account/password")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Faccount%2Fpassword$"))
    sign_in(page, chief)
    expect(page).to_have_url(f"{site.base_url}/account/password")
    page.context.clear_cookies()
    page.goto("/login?next=https://evil.example/")
    sign_in(page, chief)
    expect(page).to_have_url(f"{site.base_url}/")


def test_the_keyboard_alone_signs_in(page: Page, site: Site) -> None:
    chief = site.account(Role.COORDINATOR)
    page.goto("/login")
    expect(page.get_by_label("E-mail")).to_be_focused()  # autofocus
    page.keyboard.type(chief.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(chief.password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Current block")).to_be_visible()


def test_each_role_sees_its_own_dashboard_and_signs_out(page: Page, site: Site) -> None:
    page.goto("/login")
    sign_in(page, site.account(Role.COORDINATOR))
    for heading in STAFF_HEADINGS:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        [
            "Dashboard",
            "Schedule",
            "On call",
            "Fairness",
            "Generate",
            "Plan",
            "Compliance",
            "Program",
            "Audit log",
        ]
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))  # the session has ended

    sign_in(page, site.account(Role.RESIDENT, person_key="r1"))
    expect(page.get_by_role("heading", name="Where to go")).to_be_visible()
    expect(page.get_by_role("link", name="Your schedule and hours")).to_have_attribute(
        "href", "/people/r1"
    )
    for heading in STAFF_HEADINGS:
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    expect(page.locator('a[href^="/runs/"], a[href^="/compliance/"]')).to_have_count(0)
