"""The generate form and a run's page through the TestClient, as a browser uses them, on both
engines: bad input next to its field with nothing claimed, a claimed run's page, the result of
a finished one with its diff, and cancel and publish through the page's forms."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape
from sqlalchemy import func, select

from fixtures.api import Api, QueueOnly
from fixtures.block_program import BLOCK, YEAR
from fixtures.pages import cookie_of, field_error, form_token, input_value
from fixtures.runs_api import QUICK_BLOCK, staff, wait_for_end
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.models import ScheduleRun
from residency.scheduling.runs.versions import Base, get_run, stale_message

FORM = {
    "kind": "block",
    "academic_year": str(YEAR),
    "block": str(BLOCK),
    "time_limit_s": "5",
    "mode": "fresh",
    "first_feasible": "1",
}


def _runs(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(ScheduleRun)) or 0


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    token = form_token(api, cookie)
    return api.client.post(
        path, data=data | {"csrf_token": token}, headers=cookie, follow_redirects=False
    )


def test_bad_input_is_shown_next_to_its_field_and_claims_nothing(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = api.client.get("/generate", headers=cookie)
    assert form.status_code == 200 and 'name="time_limit_s"' in form.text
    for field, value, rule in (
        ("block", "14", "less than or equal to 13"),
        ("time_limit_s", "0.5", "greater than or equal to 1"),
        ("academic_year", "next", "is not a whole number"),
    ):
        answer = _post(api, cookie, "/generate", FORM | {field: value})
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field)
        assert error is not None and rule in error and value in error, (field, error)
        assert input_value(answer.text, field) == value
    repair = _post(api, cookie, "/generate", FORM | {"mode": "minimal_change"})
    assert "one of the two" in (field_error(repair.text, "first_feasible") or "")
    assert _runs(api) == 0


def test_a_post_without_its_token_is_refused(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    for path in ("/generate", "/runs/1/cancel", "/runs/1/publish"):
        answer = api.client.post(path, data=FORM, headers=cookie, follow_redirects=False)
        assert answer.status_code == 403, path
    assert _runs(api) == 0


def test_a_queued_run_is_shown_live_and_cancelled_through_the_page(api: Api) -> None:
    api.client.app.state.executor = queue = QueueOnly()  # type: ignore[attr-defined]  # no solve
    cookie = cookie_of(api, Role.COORDINATOR)
    started = _post(api, cookie, "/generate", FORM)
    assert started.status_code == 303
    run_id = queue.submitted[0]
    assert started.headers["location"] == f"/runs/{run_id}"
    page = api.client.get(f"/runs/{run_id}", headers=cookie).text
    assert f'data-events="/api/v1/runs/{run_id}/events"' in page
    assert '<dd class="run-status" data-field="status">queued</dd>' in page
    assert "test-queue-only" in page and "Cancel the run" in page
    assert '<svg class="run-chart"' in page and 'class="refresh"' in page  # without script too
    assert re.search(r'src="/static/run-progress\.js\?v=[0-9a-f]+"', page)
    overlapping = _post(api, cookie, "/generate", FORM)
    assert overlapping.status_code == 409 and "form-error" in overlapping.text
    cancelled = _post(api, cookie, f"/runs/{run_id}/cancel", {})
    assert cancelled.status_code == 303
    run = api.client.get(f"/api/v1/runs/{run_id}", headers=staff(api)).json()
    assert run["status"] == "cancelled"
    ended = api.client.get(f"/runs/{run_id}", headers=cookie)  # a run that never solved
    assert ended.status_code == 200 and "<h2>No schedule</h2>" in ended.text
    assert "<p>cancelled before it started; nothing solved</p>" in ended.text
    assert _runs(api) == 1


def test_a_finished_run_shows_its_result_and_diff_and_is_published_by_the_page(
    api: Api,
) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    started = _post(api, cookie, "/generate", FORM)  # QUICK_BLOCK's body: the suite's one solve
    assert started.status_code == 303, started.text
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    run = wait_for_end(api, run_id, staff(api))
    assert run["status"] == "succeeded" and run["parameters"]["first_feasible"] is True
    assert run["block_number"] == QUICK_BLOCK["block"]
    page = api.client.get(f"/runs/{run_id}", headers=cookie).text
    assert "Result" in page and "Coverage of required positions" in page
    assert "ACGME re-check" in page and "data-events" not in page
    assert "Against the published version" in page and "changed cell" in page  # nothing published
    assert f'action="/runs/{run_id}/publish"' in page
    later = _post(api, cookie, "/generate", FORM)  # built on nothing published, like run_id
    later_id = int(later.headers["location"].rsplit("/", 1)[1])
    assert wait_for_end(api, later_id, staff(api))["status"] == "succeeded"
    published = _post(api, cookie, f"/runs/{run_id}/publish", {})
    assert published.status_code == 303
    assert api.client.get(f"/api/v1/runs/{run_id}", headers=staff(api)).json()["published"]
    stale = _post(api, cookie, f"/runs/{later_id}/publish", {})
    assert stale.status_code == 409 and "changed after run" in stale.text
    with unit_of_work(api.engine) as session:  # the page shows the service's message, whole
        expected = stale_message(get_run(session, later_id), Base(run_id, 1), "block 10 of 2025")
    assert str(escape(expected)) in stale.text
    assert f"`residency runs publish {later_id} --force`" in expected  # what the CLI says
    assert "Publish anyway" in stale.text and 'name="force" value="1"' in stale.text
    forced = _post(api, cookie, f"/runs/{later_id}/publish", {"force": "1"})
    assert forced.status_code == 303
    assert api.client.get(f"/api/v1/runs/{later_id}", headers=staff(api)).json()["published"]
    shown = api.client.get(f"/api/v1/runs/{run_id}", headers=staff(api)).json()
    assert shown["published"] is False  # replaced by the forced one
    again = _post(api, cookie, f"/runs/{later_id}/publish", {})
    assert again.status_code == 409 and "already the published version" in again.text
