"""Rotation-template routes over the mini program (WARD, CLIN, ELEC, CALL): duty patterns,
eligibility and staffing as the database holds them, for everyone signed in; coordinators add,
change, deactivate and reactivate templates through the pages' services, with their messages,
one audit row per change, and nothing written when refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.program_state import assert_refused, program_state
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.cli import main
from residency.db import unit_of_work
from residency.errors import InputError
from residency.rotations import edits
from residency.rotations.models import DutyShift, RotationTemplate, StaffingRule
from residency.rotations.service import rotation_template

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


SIMS: dict[str, Any] = {
    "abbreviation": "SIMS",
    "name": "Simulation lab",
    "activity_type": "education",
    "eligible_pgy": [1, 2],
    "residents_per_block": {"max": 4},
    "residents_per_half_day": {"max": 2},
    "duty_pattern": {"wed": ["13:00-17:00"]},
}


def _snapshot(api: Api, abbreviation: str) -> dict[str, Any]:
    with unit_of_work(api.engine) as session:
        return edits.snapshot(rotation_template(session, abbreviation).template)


def _audit(api: Api) -> list[tuple[str, str | None, Any, Any]]:
    with unit_of_work(api.engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.entity_id, e.before, e.after) for e in events]


def _as_coordinator(api: Api, method: str, url: str, body: Any = None) -> Any:
    return api.client.request(method, url, json=body, headers=api.headers(Role.COORDINATOR))


def test_a_coordinator_adds_a_template_as_the_page_does(api: Api) -> None:
    made = _as_coordinator(api, "POST", ROTATIONS, SIMS)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"{ROTATIONS}/SIMS"
    assert (
        made.json() == api.client.get(f"{ROTATIONS}/SIMS", headers=api.headers(Role.FACULTY)).json()
    )
    assert made.json()["active"] is True and made.json()["weekly_hours"] == 4.0
    stored = _snapshot(api, "SIMS")
    assert stored["residents_per_half_day"] == {"min": 0, "max": 2}
    assert stored["duty_pattern"] == {"wed": ["13:00-17:00"]} and stored["color"] is None
    assert _audit(api)[-1] == ("rotation.create", "SIMS", None, stored)


def test_bad_input_gets_the_pages_message_naming_its_field_and_writes_nothing(api: Api) -> None:
    before = program_state(api.engine)
    for changes, field in (
        ({"duty_pattern": {"sat": ["25:00-07:00"]}}, "duty_pattern.sat"),
        ({"residents_per_block": {"min": 5, "max": 4}}, "residents_per_block"),
        ({"duty_pattern": {"someday": ["08:00-12:00"]}}, "duty_pattern"),
        ({"abbreviation": "WARD"}, "abbreviation"),
        ({"name": "Ward rotation"}, "name"),
    ):
        with pytest.raises(InputError) as service_says, unit_of_work(api.engine) as session:
            edits.create_template(session, SIMS | changes)  # what the page calls and shows
        answer = _as_coordinator(api, "POST", ROTATIONS, SIMS | changes)
        error = assert_refused(answer, 422, field)
        assert error["message"] == str(service_says.value)
    for changes, field in (
        ({"eligible_pgy": [11]}, "eligible_pgy.0"),
        ({"color": "red"}, "color"),
        ({"active": False}, "active"),  # deactivation has its own route
    ):
        assert_refused(_as_coordinator(api, "POST", ROTATIONS, SIMS | changes), 422, field)
    assert program_state(api.engine) == before


def test_a_patch_changes_only_the_fields_it_sends(api: Api) -> None:
    before = _snapshot(api, "ELEC")
    changes = {"name": "Electives", "color": "#a8d8b0", "duty_pattern": {"sat": ["08:00-12:00"]}}
    answer = _as_coordinator(api, "PATCH", f"{ROTATIONS}/ELEC", changes)
    assert answer.status_code == 200, answer.text
    after = _snapshot(api, "ELEC")
    assert after == before | changes | {"color": "#A8D8B0"}
    assert answer.json()["name"] == "Electives" and answer.json()["color"] == "#A8D8B0"
    assert _audit(api)[-1] == ("rotation.update", "ELEC", before, after)
    back = _as_coordinator(api, "PATCH", f"{ROTATIONS}/ELEC", {"color": None})
    assert back.json()["color_from_program"] is False and _snapshot(api, "ELEC")["color"] is None
    rows = len(_audit(api))
    assert _as_coordinator(api, "PATCH", f"{ROTATIONS}/ELEC", {}).status_code == 200
    assert len(_audit(api)) == rows  # nothing changed, nothing audited


def test_a_bad_patch_is_refused_naming_the_field(api: Api) -> None:
    before = program_state(api.engine)
    for body, status, field in (
        ({"abbreviation": "ELEC2"}, 422, "abbreviation"),  # the key never changes
        ({"active": False}, 422, "active"),
        ({"name": None}, 422, "name"),
        ({"residents_per_half_day": {"max": 10_001}}, 422, "residents_per_half_day.max"),
        ({"duty_pattern": {"mon": ["07:00-07:00"]}}, 422, "duty_pattern.mon"),
        ({"name": "Ward rotation"}, 422, "name"),
    ):
        assert_refused(_as_coordinator(api, "PATCH", f"{ROTATIONS}/ELEC", body), status, field)
    assert_refused(_as_coordinator(api, "PATCH", f"{ROTATIONS}/NOPE", {}), 404, "abbreviation")
    assert program_state(api.engine) == before


def test_deactivating_and_reactivating_are_audited_once_each(api: Api) -> None:
    gone = _as_coordinator(api, "POST", f"{ROTATIONS}/ELEC/deactivate")
    assert gone.status_code == 200, gone.text
    assert gone.json()["active"] is False
    listed = api.client.get(ROTATIONS, headers=api.headers(Role.RESIDENT)).json()
    assert {r["abbreviation"]: r["active"] for r in listed}["ELEC"] is False
    action, key, before, after = _audit(api)[-1]
    assert (action, key, before["active"], after["active"]) == (
        "rotation.deactivate",
        "ELEC",
        True,
        False,
    )
    rows = len(_audit(api))
    again = _as_coordinator(api, "POST", f"{ROTATIONS}/ELEC/deactivate")
    assert again.status_code == 200 and len(_audit(api)) == rows  # already so: no change
    back = _as_coordinator(api, "POST", f"{ROTATIONS}/ELEC/reactivate")
    assert back.json()["active"] is True and _audit(api)[-1][0] == "rotation.reactivate"
    assert len(_audit(api)) == rows + 1


def test_a_template_the_policy_names_is_not_deactivated(api: Api) -> None:
    before = program_state(api.engine)
    for abbreviation, key in (
        ("CLIN", "block_schedule.continuity_clinic"),
        ("WARD", "block_schedule.inpatient_services"),
    ):
        answer = _as_coordinator(api, "POST", f"{ROTATIONS}/{abbreviation}/deactivate")
        error = assert_refused(answer, 409, "abbreviation", f"the program policy's {key}")
        assert error["message"].startswith(f"abbreviation: {abbreviation} is")
    missing = _as_coordinator(api, "POST", f"{ROTATIONS}/NOPE/reactivate")
    assert_refused(missing, 404, "abbreviation")
    assert program_state(api.engine) == before


def test_a_published_schedule_still_shows_a_since_deactivated_template(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deactivation is about new schedules: the published one reads as it was made."""
    assert main(generate_args()) == 0
    capsys.readouterr()
    schedule = f"/api/v1/blocks/{YEAR}/{BLOCK}/schedule"
    before = api.client.get(schedule, headers=api.headers(Role.RESIDENT))
    assert before.status_code == 200, before.text
    assert "ELEC" in before.text  # r3 and r4 are planned on it
    assert _as_coordinator(api, "POST", f"{ROTATIONS}/ELEC/deactivate").status_code == 200
    after = api.client.get(schedule, headers=api.headers(Role.RESIDENT))
    assert after.json() == before.json()
