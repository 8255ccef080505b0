"""An annual run through the API on both engines (the demo program: the mini program has no
curriculum to plan): its result holds the keys `plan year --json` prints, its draft is the
plan /plan/{year}?run= shows, and publishing it makes it the plan everyone reads."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fixtures.api import Api, make_api
from fixtures.runs_api import staff, wait_for_end
from residency.cli import main
from residency.db import unit_of_work
from residency.program.demo import demo_program
from residency.program.service import import_program

YEAR = 2025
# The first plan that keeps every hard rule; the CLI below searches the same way, so both
# engines and both doors share one solve.
QUICK_YEAR = {"kind": "annual", "academic_year": YEAR, "time_limit_s": 10, "first_feasible": True}


@pytest.fixture
def demo_api(db_engine: Engine) -> Iterator[Api]:
    with unit_of_work(db_engine) as session:
        import_program(session, demo_program())
    api = make_api(db_engine, with_people=False)  # the demo has no r1 or f1
    with api.client:
        yield api


def _halves(plan: dict[str, object]) -> dict[str, list[str | None]]:
    rows = plan["residents"]
    assert isinstance(rows, list)
    return {
        row["person_key"]: [
            h for cell in row["blocks"] for h in (cell["first_half"], cell["second_half"])
        ]
        for row in rows
    }


def test_an_annual_run_answers_what_plan_year_prints_and_publishes(
    demo_api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api, headers = demo_api, staff(demo_api)
    argv = ["plan", "year", "--academic-year", str(YEAR), "--time-limit", "10", "--first-feasible"]
    assert main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)

    started = api.client.post("/api/v1/runs", json=QUICK_YEAR, headers=headers)
    assert started.status_code == 202, started.text
    run = wait_for_end(api, started.json()["id"], headers)

    assert run["status"] == "succeeded", run["message"]
    result = run["result"]
    assert result["level"] == "annual" and result["run_id"] == run["id"]
    same = {k: v for k, v in printed.items() if k not in ("run_id", "wall_s")}
    assert {k: result[k] for k in same} == same  # one solve: the same plan, in the same words
    draft = api.client.get(f"/api/v1/plan/{YEAR}?run={run['id']}", headers=headers).json()
    assert draft["version"] == "draft"
    assert _halves(draft) == {
        key: [h or None for h in halves] for key, halves in printed["plan"].items()
    }

    done = api.client.post(f"/api/v1/runs/{run['id']}/publish", json={}, headers=headers)
    assert done.status_code == 200, done.text
    published = api.client.get(f"/api/v1/plan/{YEAR}", headers=headers).json()
    assert published["version"] == "published" and _halves(published) == _halves(draft)
