"""Post-call across a block boundary: a call on the last night of block 9 makes the first day
of block 10 post-call (PC) in the block grid, in its published version and in a draft of it,
and on the person's page. Rows written by hand (tests/fixtures/published_rows.py), no solve;
read-only, so SQLite only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from test_block_pages import rows_of

from fixtures.api import Api
from fixtures.pages import cookie_of
from fixtures.published_rows import add_call, add_half_day, block_run
from residency.auth.models import Role
from residency.db import unit_of_work

FIRST_DAY = date(2026, 3, 10)  # block 10's first day, a Tuesday
EVE = date(2026, 3, 9)  # block 9's last night
POST_CALL = 'class="mark post-call"'
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def across(api: Api) -> dict[str, int]:
    """r3 on call the eve in published block 9; r4 the eve only in an unpublished draft of it;
    block 10 published and a draft of it, r3 and r4 on the elective on its first morning."""
    with unit_of_work(api.engine) as session:
        block_9 = block_run(session, block=9)
        add_call(session, block_9, "r3", EVE)
        draft_9 = block_run(session, publish=False, block=9)
        add_call(session, draft_9, "r4", EVE)
        runs = {"published": block_run(session), "draft": block_run(session, publish=False)}
        for run_id in runs.values():
            for key in ("r3", "r4"):
                add_half_day(session, run_id, key, FIRST_DAY, "ELEC")
    return runs


def _grid(api: Api, query: str = "") -> dict[str, dict[tuple[str, str], tuple[set[str], str]]]:
    page = api.client.get(f"/blocks/10?year=2025{query}", headers=cookie_of(api, Role.COORDINATOR))
    assert page.status_code == 200, page.text
    return rows_of(page.text)


def test_the_first_day_after_the_previous_blocks_last_call_is_post_call(
    api: Api, across: dict[str, int]
) -> None:
    for query in ("", f"&run={across['draft']}"):
        rows = _grid(api, query)
        first_am = rows["r3"][(FIRST_DAY.isoformat(), "AM")][1]
        assert POST_CALL in first_am and "ELEC" in first_am, query
        assert POST_CALL not in rows["r3"][(FIRST_DAY.isoformat(), "PM")][1]
        assert POST_CALL not in rows["r3"][("2026-03-11", "AM")][1]
        calls = [inner for _, inner in rows["r3"].values() if 'class="mark call"' in inner]
        assert calls == []  # the call was before the block
        # A draft of block 9 is nobody's duty: r4 is not post-call on block 10's first day.
        assert POST_CALL not in rows["r4"][(FIRST_DAY.isoformat(), "AM")][1], query

    page = api.client.get("/people/r3?block=10&year=2025", headers=cookie_of(api, Role.COORDINATOR))
    first = re.search(rf'<tr data-day="{FIRST_DAY}"[^>]*>(.*?)</tr>', page.text, re.S)
    assert first is not None and POST_CALL in first.group(1)
    second = re.search(r'<tr data-day="2026-03-11"[^>]*>(.*?)</tr>', page.text, re.S)
    assert second is not None and POST_CALL not in second.group(1)
