"""Academic-year routes: the years in the database with their 13 blocks, and a coordinator
adding one (blocks and half-days with it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.block_program import BLOCK, BLOCK_START, YEAR
from fixtures.program_state import assert_refused, program_state
from residency.auth.models import Role
from residency.calendar.models import Block, HalfDay
from residency.db import unit_of_work

YEARS = "/api/v1/academic-years"


def test_a_year_has_its_thirteen_blocks_as_the_database_holds_them(api: Api) -> None:
    listed = api.client.get(YEARS, headers=api.headers(Role.RESIDENT))
    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {"year": YEAR, "label": "2025-2026", "start": "2025-07-01", "end": "2026-06-30"}
    ]
    year = api.client.get(f"{YEARS}/{YEAR}", headers=api.headers(Role.FACULTY)).json()
    with unit_of_work(api.engine) as session:
        held = session.execute(select(Block.number, Block.start_date, Block.end_date)).all()
    assert [(b["number"], b["start"], b["end"]) for b in year["blocks"]] == [
        (n, s.isoformat(), e.isoformat()) for n, s, e in sorted(held)
    ]
    assert len(year["blocks"]) == 13
    assert year["blocks"][BLOCK - 1]["start"] == BLOCK_START.isoformat()
    assert year["blocks"][-1]["end"] == "2026-06-30"


def test_a_coordinator_adds_a_year_once(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    created = api.client.post(YEARS, json={"year": YEAR + 1}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{YEARS}/{YEAR + 1}"
    assert created.json()["start"] == "2026-07-01"
    assert len(created.json()["blocks"]) == 13
    assert api.client.get(f"{YEARS}/{YEAR + 1}", headers=headers).json() == created.json()
    with unit_of_work(api.engine) as session:
        half_days = session.scalar(
            select(func.count(HalfDay.id)).where(HalfDay.date >= date(YEAR + 1, 7, 1))
        )
    assert half_days == 2 * 365
    again = api.client.post(YEARS, json={"year": YEAR + 1}, headers=headers)
    assert again.status_code == 200 and again.json() == created.json()
    listed = api.client.get(YEARS, headers=headers).json()
    assert [y["year"] for y in listed] == [YEAR, YEAR + 1]


def test_a_missing_or_impossible_year_is_refused_naming_it(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    assert_refused(api.client.get(f"{YEARS}/2030", headers=headers), 404, "year")
    assert_refused(api.client.get(f"{YEARS}/1", headers=headers), 422, "year")
    before = program_state(api.engine)
    for body in ({"year": 1}, {"year": 99999}, {"year": "next"}, {}, {"year": 2026, "x": 1}):
        field = "x" if "x" in body else "year"
        assert_refused(api.client.post(YEARS, json=body, headers=headers), 422, field)
    assert program_state(api.engine) == before
