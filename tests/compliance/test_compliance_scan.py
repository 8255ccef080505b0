"""The compliance scan of the published blocks: a published schedule that an absence added
later breaks raises an alert the API lists (person, rule, period), a second scan does not
raise it again, and once the absence is gone the alert is resolved."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.runs_api import staff
from residency.cli import main
from residency.compliance import tasks


@pytest.fixture
def published(api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]) -> Api:
    assert main(generate_args()) == 0  # the suite's one solve of the mini block
    capsys.readouterr()
    return api


def _alerts(api: Api, **filters: Any) -> list[dict[str, Any]]:
    answer = api.client.get("/api/v1/alerts", params=filters, headers=staff(api))
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


def _a_working_day(api: Api, person: str) -> str:
    grid = api.client.get(
        f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule", params={"person": person}, headers=staff(api)
    ).json()
    days = [day for group in grid["groups"] for row in group["people"] for day in row["days"]]
    return next(day["date"] for day in days if day["am"] or day["pm"])


def test_an_absence_added_after_publishing_is_alerted_once_until_it_is_gone(
    published: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = published
    tasks.scan.run()  # the nightly task's body, on the published schedule as generated
    assert _alerts(api, status="all") == []

    day = _a_working_day(api, "r1")
    absence = {"person_key": "r1", "kind": "vacation", "start": day, "end": day}
    added = api.client.post("/api/v1/absences", json=absence, headers=staff(api))
    assert added.status_code == 201, added.text
    tasks.scan.run()
    # Two checks see it: the conflict between the rows and the absence, and the engine's
    # own hard rule; each is an alert of its rule, for that person and day.
    alerts = {alert["rule"]: alert for alert in _alerts(api)}
    assert sorted(alerts) == ["Availability", "during_absence"]
    for alert in alerts.values():
        assert alert["status"] == "open" and alert["scope"] == f"block_schedule/{YEAR}/{BLOCK}"
        assert (alert["person_key"], alert["person_name"]) == ("r1", "Resident r1")
        assert alert["period_start"] == alert["period_end"] == day
        assert "during vacation" in alert["message"] and alert["citation"]
        assert alert["resolved_at"] is None
    alert = alerts["during_absence"]
    assert "blocking absence" in alert["citation"]

    capsys.readouterr()
    assert main(["compliance", "scan"]) == 1  # by hand: an alert is open
    assert "0 new alerts, 0 resolved, 2 open" in capsys.readouterr().out
    again = {alert["rule"]: alert for alert in _alerts(api, status="all")}
    assert {a["id"] for a in again.values()} == {a["id"] for a in alerts.values()}
    assert again["during_absence"]["last_seen_at"] >= alert["last_seen_at"]
    assert _alerts(api, block=BLOCK - 1) == [] and _alerts(api, status="resolved") == []

    gone = api.client.delete(f"/api/v1/absences/{added.json()['id']}", headers=staff(api))
    assert gone.status_code == 200, gone.text
    assert main(["compliance", "scan"]) == 0
    assert _alerts(api) == []
    resolved = _alerts(api, status="resolved")
    assert {a["id"] for a in resolved} == {a["id"] for a in alerts.values()}
    assert all(a["resolved_at"] is not None for a in resolved)
    capsys.readouterr()
    assert main(["compliance", "alerts", "--status", "all"]) == 0
    listed = capsys.readouterr().out
    assert f"#{alert['id']} resolved" in listed and f"during_absence r1  {day}" in listed
