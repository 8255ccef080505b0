"""Rotation-template routes over the mini program (WARD, CLIN, ELEC, CALL): duty patterns,
eligibility and staffing as the database holds them, for everyone signed in."""

from __future__ import annotations

from sqlalchemy import select

from fixtures.api import Api
from fixtures.program_state import assert_refused
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.rotations.models import DutyShift, RotationTemplate, StaffingRule

ROTATIONS = "/api/v1/rotations"


def test_the_list_is_what_the_database_holds(api: Api) -> None:
    answer = api.client.get(ROTATIONS, headers=api.headers(Role.RESIDENT))
    assert answer.status_code == 200, answer.text
    with unit_of_work(api.engine) as session:
        held = {
            t.abbreviation: (t.name, t.eligible_pgy, len(t.shifts))
            for t in session.scalars(select(RotationTemplate))
        }
    assert {
        r["abbreviation"]: (r["name"], r["eligible_pgy"], len(r["duty_pattern"]))
        for r in answer.json()
    } == held
    assert [r["abbreviation"] for r in answer.json()] == ["CALL", "CLIN", "ELEC", "WARD"]


def test_one_template_has_its_duty_pattern_eligibility_and_staffing(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        ward_id = session.scalar(
            select(RotationTemplate.id).where(RotationTemplate.abbreviation == "WARD")
        )
        session.add(StaffingRule(rotation_id=ward_id, min_pgy=2, max_pgy=3, min_residents=1))
        shifts = session.scalar(select(DutyShift.id).where(DutyShift.template_id == ward_id))
    assert shifts is not None
    ward = api.client.get(f"{ROTATIONS}/WARD", headers=api.headers(Role.FACULTY)).json()
    assert ward["eligible_pgy"] == [1, 2, 3]
    assert ward["residents_per_half_day"] == {"min": 1, "max": 3}
    assert ward["residents_per_block"] == {"min": 0, "max": 4}
    assert ward["duty_pattern"][0] == {
        "weekday": "mon",
        "start": "07:00",
        "end": "17:00",
        "kind": "shift",
        "hours": 10.0,
    }
    assert [s["weekday"] for s in ward["duty_pattern"]] == ["mon", "tue", "wed", "thu", "fri"]
    assert ward["weekly_hours"] == 50.0
    assert ward["staffing_rules"] == [{"min_pgy": 2, "max_pgy": 3, "min_residents": 1}]
    call = api.client.get(f"{ROTATIONS}/CALL", headers=api.headers(Role.RESIDENT)).json()
    assert call["duty_pattern"][0] == {
        "weekday": "fri",
        "start": "17:00",
        "end": "07:00",  # the next morning
        "kind": "in_house_call",
        "hours": 14.0,
    }
    assert call["staffing_rules"] == []


def test_an_unknown_abbreviation_is_not_found_by_name(api: Api) -> None:
    answer = api.client.get(f"{ROTATIONS}/NOPE", headers=api.headers(Role.RESIDENT))
    error = assert_refused(answer, 404, "abbreviation")
    assert "'NOPE'" in error["message"] and "WARD" in error["message"]
    lower = api.client.get(f"{ROTATIONS}/ward", headers=api.headers(Role.RESIDENT))
    assert_refused(lower, 422, "abbreviation")
