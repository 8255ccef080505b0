"""Browser tests: Playwright for Python driving Debian's Chromium (the package's own browser
download does not work here) against the app served by uvicorn, the server `residency serve`
runs, on a free port of 127.0.0.1 (docs/web.md, "Browser tests").

- One server and one database for the whole session: a SQLite file migrated by running the
  migrations, with the mini program (tests/fixtures/block_program.py) seeded. The server runs
  in a thread of the test process: a `residency serve` process would spend seconds importing
  the app that this process has already imported. Tests make their own accounts
  (`site.account(...)`), so they share nothing else.
- One browser per module, a fresh context (cookies, storage) per test. Playwright's sync API
  marks its event loop as running in this thread between calls, so the browser is closed
  when its module ends, before any other test of the process calls asyncio.run().
- `page` fails a test that logged a console error or an uncaught exception, and saves a
  screenshot of a failed test under pytest's temporary folder (the path is printed).
- Without Chromium (`shutil.which("chromium")`), the tests are skipped with one message, or
  fail under CI=true, where .ci/run installs it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from fixtures.block_program import seed
from fixtures.browser import Site
from residency.db import build_engine
from residency.ops import migrations
from residency.web import create_app

SERVER_STARTUP_S = 30  # a bound on waiting, not a performance claim
FAILED = pytest.StashKey[bool]()
MISSING = "chromium is not installed: the browser tests (tests/browser) are SKIPPED"
HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without Chromium, outside CI: each browser test is skipped by a marker, which pytest's
    summary folds into one line per file."""
    if shutil.which("chromium") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{MISSING} (apt-get install chromium to run them)")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:  # only under CI=true: elsewhere the tests were skipped at collection
        pytest.fail("chromium is not installed and CI=true: .ci/run must install it")
    return found


@pytest.fixture(scope="session")
def site(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser")
    engine = build_engine(f"sqlite:///{folder / 'web.db'}")
    migrations.upgrade(engine)
    seed(engine)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(engine), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, name="browser-tests-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_STARTUP_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start serving for the browser tests")
        time.sleep(0.02)
    try:
        yield Site(f"http://127.0.0.1:{port}", engine)
    finally:
        server.should_exit = True
        thread.join(timeout=SERVER_STARTUP_S)
        engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
def page(
    browser: Browser,
    site: Site,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Page]:
    context = browser.new_context(base_url=site.base_url)
    opened = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium reports a page answered 401 or 422 (a refused form) as a resource that failed
        # to load, at the page's own address: that status is the test's to check. A stylesheet,
        # image or script that fails is reported at its own address, and fails the test.
        own_status = message.location.get("url") == opened.url and message.text.startswith(
            "Failed to load resource: the server responded with a status of"
        )
        if message.type == "error" and not own_status:
            problems.append(f"console error on {opened.url}: {message.text}")

    opened.on("console", on_console)
    opened.on("pageerror", lambda error: problems.append(f"uncaught on {opened.url}: {error}"))
    try:
        yield opened
        if request.node.stash.get(FAILED, False):
            _screenshot(opened, request.node.name, tmp_path_factory.getbasetemp())
    finally:
        context.close()
    assert problems == [], "the pages logged errors"


def _screenshot(page: Page, test_name: str, base: Path) -> None:
    folder = base / "browser-screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', test_name)}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot of the failed test: {path}")
