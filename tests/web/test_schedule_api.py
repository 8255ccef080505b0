"""Reading schedules through the API on both engines: the year's plan, a block's grid with its
absences (whose reasons only staff and the person see), and the block's ACGME report, the same
as `compliance check --block` prints."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR
from fixtures.runs_api import staff
from residency.absences.models import Absence, AbsenceType
from residency.auth.models import Role
from residency.cli import main
from residency.db import unit_of_work
from residency.people.models import Person
from residency.scheduling import repository as repo
from residency.scheduling.repository import PUBLISHED

WHERE = ["--block", str(BLOCK), "--academic-year", str(YEAR)]


def test_the_published_plan_shows_each_resident_by_block_and_half(api: Api) -> None:
    plan = api.client.get(f"/api/v1/plan/{YEAR}", headers=api.headers(Role.RESIDENT)).json()

    assert (plan["version"], plan["run_id"]) == ("published", None)
    assert [b["number"] for b in plan["blocks"]] == list(range(1, 14))
    assert plan["blocks"][BLOCK - 1] == {
        "number": BLOCK,
        "start": "2026-03-10",
        "second_half_start": "2026-03-24",
        "end": "2026-04-06",
    }
    assert [(r["person_key"], r["pgy"]) for r in plan["residents"]] == [
        ("r1", 1),
        ("r2", 2),
        ("r3", 2),
        ("r4", 3),
    ]
    r4 = plan["residents"][3]["blocks"]
    assert r4[BLOCK - 1] == {"block": BLOCK, "first_half": "ELEC", "second_half": "WARD"}
    assert r4[0] == {"block": 1, "first_half": None, "second_half": None}  # nothing planned


def _away(api: Api, role: Role) -> dict[str, dict[str, str]]:
    shown = api.client.get(f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule", headers=api.headers(role))
    assert shown.status_code == 200, shown.text
    return {
        person["person_key"]: {d["date"]: d["absence"] for d in person["days"] if d["absence"]}
        for group in shown.json()["groups"]
        for person in group["people"]
    }


def test_absences_show_on_the_grid_and_only_staff_and_the_person_see_why(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        ids = dict(session.execute(select(Person.key, Person.id)).tuples().all())
        for key, kind, day in (
            ("r1", AbsenceType.VACATION, date(2026, 3, 12)),
            ("r2", AbsenceType.MEDICAL, date(2026, 3, 20)),
            ("r2", AbsenceType.MEDICAL, date(2026, 3, 1)),  # before the block
        ):
            session.add(
                Absence(person_id=ids[key], absence_type=kind, start_date=day, end_date=day)
            )

    assert _away(api, Role.COORDINATOR) == {
        "r1": {"2026-03-12": "vacation"},
        "r2": {"2026-03-20": "medical"},
    }
    assert _away(api, Role.RESIDENT) == {  # the resident is r1
        "r1": {"2026-03-12": "vacation"},
        "r2": {"2026-03-20": "absent"},
    }
    one = api.client.get(
        f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule?person=r2", headers=staff(api)
    ).json()
    assert [p["person_key"] for g in one["groups"] for p in g["people"]] == ["r2"]
    assert len(one["days"]) == len(one["groups"][0]["people"][0]["days"]) == 28


def test_the_block_report_is_the_one_compliance_check_prints(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The quick search of tests/fixtures/runs_api.py, published: one solve for the session.
    assert main(["generate", *WHERE, "--time-limit", "5", "--first-feasible", "--publish"]) == 0
    capsys.readouterr()
    assert main(["compliance", "check", *WHERE, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    url = f"/api/v1/compliance/blocks/{YEAR}/{BLOCK}"

    published = api.client.get(url, headers=api.headers(Role.ADMIN))

    assert published.status_code == 200 and published.json() == printed
    # Everyone's hours and findings: not a resident's to read.
    assert api.client.get(url, headers=api.headers(Role.RESIDENT)).status_code == 403
    assert printed["summary"]["people"] == 4
    run_id = api.client.get("/api/v1/runs", headers=staff(api)).json()[0]["id"]
    assert api.client.get(f"{url}?run={run_id}", headers=staff(api)).json() == printed
    grid = api.client.get(f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule", headers=staff(api)).json()
    assert [g["label"] for g in grid["groups"]] == ["PGY-1", "PGY-2", "PGY-3", "Faculty"]
    first_day = grid["groups"][0]["people"][0]["days"][0]
    # What the published version holds for r1's first morning (the first schedule found may
    # put a ward day or the continuity clinic there: several search workers race to it).
    assert first_day["date"] == "2026-03-10"
    assert first_day["am"] == _published_cell(api, "r1", date(2026, 3, 10), "AM")


def _published_cell(api: Api, person_key: str, day: date, session: str) -> str | None:
    with unit_of_work(api.engine) as db:
        rows = repo.assignments_between(db, day, day, PUBLISHED)
        found = [
            a.rotation.abbreviation
            for a in rows
            if a.person.key == person_key and a.half_day.session == session
        ]
    return found[0] if found else None
