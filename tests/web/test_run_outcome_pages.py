"""A run's page for the outcomes tests/web/test_run_pages.py does not reach, on both engines
(each starts its run through /generate, which writes): an annual run (the plan's result, its
diff against the published plan, publish), a block run that ended without a schedule (the
explanation instead of a result), and a cancel after the run has ended (refused with the
service's message; nothing changes, nothing is audited)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import Engine, func, select

from fixtures.api import Api, make_api
from fixtures.pages import cookie_of, form_token
from fixtures.runs_api import staff, wait_for_end
from residency.absences.models import Absence, AbsenceType
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.people.models import Person
from residency.program.demo import demo_program
from residency.program.service import import_program
from residency.scheduling.runs.diff import diff_run
from residency.scheduling.runs.versions import get_run

YEAR = 2025
# As tests/web/test_annual_run_api.py's QUICK_YEAR: the same request, so one solve for both.
ANNUAL_FORM = {
    "kind": "annual",
    "academic_year": str(YEAR),
    "block": "",
    "time_limit_s": "10",
    "mode": "fresh",
    "first_feasible": "1",
}
BLOCK_FORM = ANNUAL_FORM | {"kind": "block", "block": "10", "time_limit_s": "5"}
THURSDAY = date(2026, 3, 12)  # in Block 10; both ward residents away: no one staffs the ward
_ROW = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


@pytest.fixture
def demo_api(db_engine: Engine) -> Iterator[Api]:
    with unit_of_work(db_engine) as session:
        import_program(session, demo_program())
    api = make_api(db_engine, with_people=False)  # the demo has no r1 or f1
    with api.client:
        yield api


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    token = form_token(api, cookie)
    return api.client.post(
        path, data=data | {"csrf_token": token}, headers=cookie, follow_redirects=False
    )


def _generated(api: Api, cookie: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
    started = _post(api, cookie, "/generate", form)
    assert started.status_code == 303, started.text
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    return wait_for_end(api, run_id, staff(api))


def test_an_annual_runs_page_shows_the_plan_its_diff_and_publishes(demo_api: Api) -> None:
    api, cookie = demo_api, cookie_of(demo_api, Role.COORDINATOR)
    run = _generated(api, cookie, ANNUAL_FORM)
    assert run["status"] == "succeeded", run["message"]
    run_id = run["id"]
    page = api.client.get(f"/runs/{run_id}", headers=cookie).text
    assert f"Run {run_id}: the plan of 2025-2026" in page
    assert "<h2>Result</h2>" in page and "Coverage of required positions" not in page
    assert f'href="/plan?year={YEAR}&amp;run={run_id}">See the draft plan' in page
    assert "See the draft in the grid" not in page
    with unit_of_work(api.engine) as session:
        diff = diff_run(session, run_id)
    assert diff.old_label == "nothing published" and diff.changes
    shown = [tuple(html.unescape(cell) for cell in row) for row in _ROW.findall(page)]
    assert shown == [(c.person, c.when, c.old, c.new) for c in diff.changes[:200]]
    assert all(re.fullmatch(r"block \d\d half [12]", when) for _, when, _, _ in shown)
    assert f"{len(diff.changes)} changed cells against nothing published" in page

    published = _post(api, cookie, f"/runs/{run_id}/publish", {})
    assert published.status_code == 303
    after = api.client.get(f"/runs/{run_id}", headers=cookie).text
    assert '<dd class="run-status" data-field="status">succeeded (published)</dd>' in after
    assert f"No change: the draft is the same as published (run {run_id})." in after
    assert f'action="/runs/{run_id}/publish"' not in after
    plan = api.client.get(f"/api/v1/plan/{YEAR}", headers=staff(api)).json()
    assert plan["version"] == "published"


def _away_on_thursday(api: Api, keys: tuple[str, ...]) -> None:
    with unit_of_work(api.engine) as session:
        for key in keys:
            person = session.scalars(select(Person).where(Person.key == key)).one()
            session.add(
                Absence(
                    person_id=person.id,
                    absence_type=AbsenceType.TDY,
                    start_date=THURSDAY,
                    end_date=THURSDAY,
                )
            )


def _audit_rows(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_run_without_a_schedule_explains_why_and_refuses_a_late_cancel(api: Api) -> None:
    _away_on_thursday(api, ("r1", "r2"))
    cookie = cookie_of(api, Role.COORDINATOR)
    run = _generated(api, cookie, BLOCK_FORM)
    assert run["status"] == "infeasible", run["message"]
    run_id = run["id"]
    page = api.client.get(f"/runs/{run_id}", headers=cookie).text
    with unit_of_work(api.engine) as session:
        explanation = get_run(session, run_id).metrics["explanation"]
    assert any("Block 10 needs 1 resident on WARD" in s for s in explanation)
    assert "<h2>No schedule</h2>" in page and "<h2>Result</h2>" not in page
    listed = re.search(r'<ul class="explanation">(.*?)</ul>', page, re.S)
    assert listed is not None
    assert re.findall(r"<li>(.*?)</li>", listed.group(1)) == [str(escape(s)) for s in explanation]
    assert "Against the published version" not in page and "/publish" not in page
    assert "Cancel the run" not in page and "data-events" not in page

    with unit_of_work(api.engine) as session:
        before = get_run(session, run_id)
        state = (before.status, before.finished_at, before.cancel_requested_at, before.message)
    audited = _audit_rows(api)
    late = _post(api, cookie, f"/runs/{run_id}/cancel", {})
    assert late.status_code == 409
    refusal = f"run {run_id} is infeasible: it has ended, there is nothing to cancel"
    assert 'class="form-error"' in late.text and refusal in html.unescape(late.text)
    assert "<h2>No schedule</h2>" in late.text  # the page itself, not an error page
    with unit_of_work(api.engine) as session:
        after = get_run(session, run_id)
        assert (after.status, after.finished_at, after.cancel_requested_at, after.message) == state
    assert _audit_rows(api) == audited
