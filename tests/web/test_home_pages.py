"""The dashboard, `/`: staff see the year's blocks and what is published, open compliance alerts
and (coordinators) runs in progress; residents and faculty see where to go, and nothing of
the staff's."""

from __future__ import annotations

from datetime import date

import pytest

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.pages import cookie_of
from residency import clock
from residency.auth.models import Role
from residency.calendar import service as calendar
from residency.cli import main
from residency.compliance.alerts import Found, record_scan
from residency.db import unit_of_work
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import RunKind
from residency.scheduling.runs.versions import published, scope_of

IN_BLOCK_10 = date(2026, 3, 20)
STAFF_ONLY = ("Runs in progress", "Compliance alerts", "Blocks of 2025-2026")


@pytest.fixture
def today_in_block_10(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: IN_BLOCK_10)


def _alert(api: Api, run_id: int) -> None:
    scope = scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK)
    day = date(2026, 3, 12)
    found = Found(scope, YEAR, BLOCK, run_id, "during_absence", "r1", day, day, "WARD", "leave")
    with unit_of_work(api.engine) as session:
        record_scan(session, [scope], [found], [], clock.now())


def test_staff_see_the_current_block_alerts_and_runs_in_progress(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str], today_in_block_10: None
) -> None:
    assert main(generate_args()) == 0  # Block 10, published
    capsys.readouterr()
    with unit_of_work(api.engine) as session:
        pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK))
        assert pointer is not None
        run_id = pointer.run_id
    _alert(api, run_id)
    with unit_of_work(api.engine) as session:
        queued = claim_block(session, GenerateRequest(YEAR, BLOCK, time_limit_s=5))
    coordinator = api.client.get("/", headers=cookie_of(api, Role.COORDINATOR)).text
    current = coordinator.split('id="current-block"')[1].split("</section>")[0]
    assert "Block 10" in current and "2026-03-10 to 2026-04-06" in current
    assert f"published</span> revision 1 (run {run_id})" in current
    alerts = coordinator.split('id="alerts"')[1].split("</section>")[0]
    assert '<p class="big">1</p>' in alerts
    assert '<a href="/compliance/blocks/10">1</a>' in coordinator
    runs = coordinator.split('id="runs"')[1].split("</section>")[0]
    assert f'<a href="/runs/{queued}">Run {queued}</a>: block 10 of 2025, queued' in runs
    admin = api.client.get("/", headers=cookie_of(api, Role.ADMIN)).text
    assert "Block 10" in admin and "Compliance alerts" in admin
    assert "Runs in progress" not in admin  # an administrator may not see runs


def test_residents_and_faculty_see_where_to_go_and_nothing_of_the_staffs(
    api: Api, today_in_block_10: None
) -> None:
    resident = api.client.get("/", headers=cookie_of(api, Role.RESIDENT)).text
    for link in ("/people/r1", "/blocks/10", "/on-call", "/fairness"):
        assert f'href="{link}"' in resident
    faculty = api.client.get("/", headers=cookie_of(api, Role.FACULTY)).text
    assert 'href="/people/f1"' in faculty
    for page in (resident, faculty):
        assert all(part not in page for part in STAFF_ONLY)
        assert "/runs/" not in page and "/compliance/" not in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_outside_every_academic_year_the_dashboard_says_so(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: date(2027, 1, 15))
    page = api.client.get("/", headers=cookie_of(api, Role.COORDINATOR)).text
    assert "Today (2027-01-15) is outside academic year 2025-2026" in page
    assert "Block 10" in page  # the latest year's blocks are still listed
