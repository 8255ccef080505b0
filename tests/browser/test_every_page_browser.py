"""Every page for every role in Chromium (issue 14, "what each must and must not see"): each
role signs in once, in a context of its own, and opens every GET page of the page matrix
(tests/web/test_page_matrix.py PAGES, with its EXAMPLES). A page the role may open answers
200 with its main heading and no "Forbidden"; a page it may not open shows the 403 page; every
signed-in page's navigation has exactly the links the role may open, in the header's order;
and no page logs a console error (the `page` fixture fails the test on one).

The site's database is shared by every browser module of the process, so what exists depends
on which tests ran before: a page of a record that may not exist (a run, an absence) answers 404
"Not Found" to a role that may open it, which counts as allowed. A resident (r3) and a
faculty member (f3) also open their own person page and are refused r1's (r1, r2, r4 and f2
have other browser tests' accounts)."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_sign_in_and_dashboard import sign_in

from fixtures.browser import Site
from residency.auth.models import Role
from residency.web.navigation import NAV

# The page matrix lives with the TestClient page tests, which pytest puts on the path only when
# it collects them: this module runs alone too.
sys.path.append(str(Path(__file__).parents[1] / "web"))
from test_page_matrix import EXAMPLES, PAGES
from test_route_matrix import PUBLIC, STAFF

PERSON_OF = {Role.RESIDENT: "r3", Role.FACULTY: "f3"}
# Not pages with a heading: sign-out is a POST, the program file's export a download, the
# grid's colours a stylesheet (their contents are other tests').
NOT_PAGES = frozenset({"/logout", "/program/file/export", "/blocks/colors.css"})
# Addresses of records the shared database may not hold (EXAMPLES: run 1, absence 1,
# curriculum requirement 1, staffing rule 1).
MAY_BE_MISSING = frozenset(
    {
        "/runs/{run_id}",
        "/program/absences/{absence_id}",
        "/program/curriculum/{entry_id}",
        "/program/staffing/{entry_id}",
    }
)
# The matrix's example is the API fixture resident's own page (r1); here it is another's.
OTHERS_PAGE = "/people/{key}"
NO_HEADING = "(no visible main heading)"
SEEN = f"""() => {{
    const heading = document.querySelector("main h1");
    const shown = heading && heading.checkVisibility() ? heading.innerText.trim() : "{NO_HEADING}";
    const nav = document.querySelectorAll('nav[aria-label="Main"] a');
    return [shown, Array.from(nav, link => link.getAttribute("href"))];
}}"""


def _visits() -> list[tuple[str, str, str | frozenset[Role]]]:
    """(route, address, who may open it) of every GET page."""
    return [
        (route, EXAMPLES.get(route, route), STAFF if route == OTHERS_PAGE else access)
        for (method, route), access in PAGES.items()
        if method == "GET" and route not in NOT_PAGES
    ]


def _may_open(role: Role, access: str | frozenset[Role]) -> bool:
    return access == PUBLIC or role in access


def _nav_of(role: Role) -> list[str]:
    return [link.href for link in NAV if _may_open(role, PAGES[("GET", link.href)])]


def _shown(page: Page, address: str) -> tuple[int, str, list[str]]:
    """The status, the main heading and the navigation's links of the page at `address`, drawn
    by the browser (read in one round trip)."""
    response = page.goto(address, wait_until="domcontentloaded")
    assert response is not None, address
    heading, links = page.evaluate(SEEN)
    return response.status, heading, links


def _fetched(page: Page, address: str) -> tuple[int, str, list[str]]:
    """The same of a page fetched with the context's cookies but not drawn: a refused page is
    the one error page, and fetching it costs a fraction of drawing it."""
    response = page.request.get(address)
    text = response.text()
    main = text.split("<main", 1)[-1]
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S)
    nav = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', text, re.S)
    links = re.findall(r'href="([^"]*)"', nav.group(1)) if nav else []
    shown = html.unescape(heading.group(1)).strip() if heading else NO_HEADING
    return response.status, shown, links


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_page_shows_or_refuses_as_the_role_may(page: Page, site: Site, role: Role) -> None:
    page.goto("/login")
    sign_in(page, site.account(role, person_key=PERSON_OF.get(role)))
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    wrong = [
        problem
        for route, address, access in _visits()
        for problem in _problems(page, role, route, address, access)
    ]
    if role in PERSON_OF:
        own = f"/people/{PERSON_OF[role]}"
        status, heading, _ = _shown(page, own)
        if status != 200 or heading in ("Forbidden", NO_HEADING):
            wrong.append(f"their own page {own}: {status} {heading!r}")
    assert wrong == [], f"what a {role.value} sees"


def _problems(
    page: Page, role: Role, route: str, address: str, access: str | frozenset[Role]
) -> list[str]:
    if not _may_open(role, access):
        status, heading, links = _fetched(page, address)
        refused = (status, heading) == (403, "Forbidden")
        problems = [] if refused else [f"{address}: {status} {heading!r}, not the 403 page"]
    else:
        status, heading, links = _shown(page, address)
        if status == 404 and route in MAY_BE_MISSING:
            # Drawn for nobody, so without navigation: web/page_errors.py knows who is signed
            # in only for a 403.
            return [] if heading == "Not Found" else [f"{address}: 404 with {heading!r}"]
        opened = status == 200 and heading not in ("Forbidden", NO_HEADING)
        problems = [] if opened else [f"{address}: {status} {heading!r}"]
    nav = _nav_of(role)
    if access != PUBLIC and links != nav:  # a public page is drawn for nobody: no navigation
        problems.append(f"{address}: navigation {links}, not {nav}")
    return problems
