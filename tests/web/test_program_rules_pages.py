"""The curriculum and staffing-rule forms under /program/curriculum and /program/staffing
through the TestClient: add, change and delete each (one audit row a write), a bad value
refused next to its field with the program file's own message (what was typed kept, nothing
written), a second entry for the same key refused naming the fields, stale forms refused,
and who may do what. Writes on both engines; refusals and permissions on SQLite."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select
from test_program_people_pages import followed

from fixtures.api import Api
from fixtures.block_program import mini_program
from fixtures.pages import cookie_of, field_error, form_token, input_value
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.program.validation import checked_document
from residency.rotations import rules
from residency.rotations.models import CurriculumRequirement, StaffingRule

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
CURRICULUM = {"pgy": "2", "rotation": "ELEC", "min_blocks": "1", "max_blocks": "1.5"}
STAFFING = {"rotation": "WARD", "min_pgy": "2", "max_pgy": "3", "min_residents": "1"}


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    data = data | {"csrf_token": form_token(api, cookie)}
    return api.client.post(path, data=data, headers=cookie, follow_redirects=False)


def _version(page: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def _held(api: Api) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[str]]:
    """(requirements, staffing rules, audit actions) as the database holds them."""
    with unit_of_work(api.engine) as session:
        curriculum = [
            (r.id, r.pgy, r.rotation.abbreviation, r.min_half_blocks, r.max_half_blocks)
            for r in session.scalars(select(CurriculumRequirement))
        ]
        staffing = [
            (r.id, r.rotation.abbreviation, r.min_pgy, r.max_pgy, r.min_residents)
            for r in session.scalars(select(StaffingRule))
        ]
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    return curriculum, staffing, actions


def _audit_count(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_curriculum_requirement_is_added_changed_and_deleted(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    list_page = api.client.get("/program/curriculum", headers=cookie).text
    assert 'href="/program/curriculum/new"' in list_page and "Edit these through" not in list_page
    _, _, actions = _held(api)
    added = _post(api, cookie, "/program/curriculum/new", CURRICULUM)
    assert added.status_code == 303 and added.headers["location"] == "/program/curriculum"
    shown = followed(api, cookie, added)
    assert "The curriculum requirement is saved." in shown
    (requirement,), _, after_add = _held(api)
    entry_id = requirement[0]
    assert requirement[1:] == (2, "ELEC", 2, 3)  # kept in half-blocks
    assert f'href="/program/curriculum/{entry_id}"' in shown
    form = api.client.get(f"/program/curriculum/{entry_id}", headers=cookie).text
    assert input_value(form, "min_blocks") == "1" and input_value(form, "max_blocks") == "1.5"
    changed = CURRICULUM | {"min_blocks": "1", "max_blocks": "2", "version": _version(form)}
    saved = _post(api, cookie, f"/program/curriculum/{entry_id}", changed)
    assert saved.status_code == 303, saved.text
    (requirement,), _, after_save = _held(api)
    assert requirement == (entry_id, 2, "ELEC", 2, 4)
    form = api.client.get(f"/program/curriculum/{entry_id}", headers=cookie).text
    deleted = _post(
        api, cookie, f"/program/curriculum/{entry_id}/delete", {"version": _version(form)}
    )
    assert deleted.status_code == 303
    assert "The curriculum requirement is deleted." in followed(api, cookie, deleted)
    curriculum, _, after_delete = _held(api)
    assert curriculum == []
    assert after_add[len(actions) :] == ["curriculum.create"]
    assert after_save[len(after_add) :] == ["curriculum.update"]
    assert after_delete[len(after_save) :] == ["curriculum.delete"]
    gone = api.client.get(f"/program/curriculum/{entry_id}", headers=cookie)
    assert gone.status_code == 404


def test_a_staffing_rule_is_added_changed_and_deleted(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    _, _, actions = _held(api)
    added = _post(api, cookie, "/program/staffing/new", STAFFING)
    assert added.status_code == 303 and added.headers["location"] == "/program/staffing"
    shown = followed(api, cookie, added)
    assert "The staffing rule is saved." in shown
    _, (rule,), after_add = _held(api)
    entry_id = rule[0]
    assert rule[1:] == ("WARD", 2, 3, 1)
    assert f'href="/program/staffing/{entry_id}"' in shown
    assert re.search(r'<td class="levels">PGY-2 to PGY-3</td><td class="min">1</td>', shown)
    form = api.client.get(f"/program/staffing/{entry_id}", headers=cookie).text
    changed = STAFFING | {"min_residents": "2", "version": _version(form)}
    assert _post(api, cookie, f"/program/staffing/{entry_id}", changed).status_code == 303
    _, (rule,), after_save = _held(api)
    assert rule == (entry_id, "WARD", 2, 3, 2)
    form = api.client.get(f"/program/staffing/{entry_id}", headers=cookie).text
    deleted = _post(
        api, cookie, f"/program/staffing/{entry_id}/delete", {"version": _version(form)}
    )
    assert deleted.status_code == 303
    _, staffing, after_delete = _held(api)
    assert staffing == []
    assert after_add[len(actions) :] == ["staffing.create"]
    assert after_save[len(after_add) :] == ["staffing.update"]
    assert after_delete[len(after_save) :] == ["staffing.delete"]


def _file_message(kind: str, entry: dict[str, Any]) -> str:
    """What the program file says of the entry (after its label), the mini program's rotations
    around it."""
    data = mini_program().model_dump(mode="json") | {kind: [entry]}
    _, problems = checked_document(data, "program.yaml")
    assert problems, entry
    return problems[0].message.split(": ", 2)[2]


@SQLITE_ONLY
def test_bad_curriculum_input_gets_the_program_files_message_and_writes_nothing(
    api: Api,
) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    before = _held(api)
    for field, typed, entry in (
        ("pgy", {"pgy": "0"}, {"pgy": 0}),
        ("pgy", {"pgy": "two"}, {"pgy": "two"}),
        ("max_blocks", {"max_blocks": "1.25"}, {"max_blocks": 1.25}),
        ("max_blocks", {"max_blocks": "14"}, {"max_blocks": 14.0}),
        ("max_blocks", {"max_blocks": ""}, {"max_blocks": None}),
        ("rotation", {"rotation": "NOPE"}, {"rotation": "NOPE"}),
        ("pgy", {"pgy": "1"}, {"pgy": 1}),  # ELEC is open to PGY-2 and 3 only
    ):
        answer = _post(api, cookie, "/program/curriculum/new", CURRICULUM | typed)
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field) or ""
        raw = {"pgy": 2, "rotation": "ELEC", "min_blocks": 1.0, "max_blocks": 1.5} | entry
        expected = _file_message("curriculum", {k: v for k, v in raw.items() if v is not None})
        assert error.endswith(expected), (field, error, expected)
        assert input_value(answer.text, field) == (CURRICULUM | typed)[field]  # kept
    above = _post(api, cookie, "/program/curriculum/new", CURRICULUM | {"min_blocks": "2"})
    assert "min_blocks 2.0 is greater than max_blocks" in (
        field_error(above.text, "min_blocks") or ""
    )
    halves = CURRICULUM | {"pgy": "1", "rotation": "WARD", "min_blocks": "0.5"}
    answer = _post(api, cookie, "/program/curriculum/new", halves)
    assert "WARD runs whole blocks, not halves" in (field_error(answer.text, "min_blocks") or "")
    assert _held(api) == before


@SQLITE_ONLY
def test_bad_staffing_input_gets_the_program_files_message_and_writes_nothing(
    api: Api,
) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    before = _held(api)
    for field, typed, entry in (
        ("min_residents", {"min_residents": "0"}, {"min_residents": 0}),
        ("min_pgy", {"min_pgy": "a"}, {"min_pgy": "a"}),
        ("max_pgy", {"max_pgy": "11"}, {"max_pgy": 11}),
        ("rotation", {"rotation": "NOPE"}, {"rotation": "NOPE"}),
    ):
        answer = _post(api, cookie, "/program/staffing/new", STAFFING | typed)
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field) or ""
        raw = {"rotation": "WARD", "min_pgy": 2, "max_pgy": 3, "min_residents": 1} | entry
        expected = _file_message("staffing_rules", raw)
        assert error.endswith(expected), (field, error, expected)
        assert input_value(answer.text, field) == (STAFFING | typed)[field]
    above = _post(api, cookie, "/program/staffing/new", STAFFING | {"min_pgy": "3", "max_pgy": "1"})
    assert "min_pgy 3 is greater than max_pgy 1" in (field_error(above.text, "min_pgy") or "")
    assert _held(api) == before


@SQLITE_ONLY
def test_a_second_entry_for_the_same_key_and_a_stale_form_are_refused(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    assert _post(api, cookie, "/program/curriculum/new", CURRICULUM).status_code == 303
    assert _post(api, cookie, "/program/staffing/new", STAFFING).status_code == 303
    before, audited = _held(api), _audit_count(api)
    again = _post(api, cookie, "/program/curriculum/new", CURRICULUM | {"max_blocks": "2"})
    assert again.status_code == 422
    assert field_error(again.text, "rotation") == (
        "pgy, rotation: PGY-2 already has a requirement for ELEC "
        "(one requirement per level and rotation)"
    )
    again = _post(api, cookie, "/program/staffing/new", STAFFING | {"min_residents": "3"})
    assert again.status_code == 422
    assert "rotation, min_pgy, max_pgy: WARD already has a rule for PGY-2 to PGY-3" in (
        field_error(again.text, "rotation") or ""
    )
    (requirement,), (rule,), _ = before
    for path, entry_id, form, field in (
        ("/program/curriculum", requirement[0], CURRICULUM, "max_blocks"),
        ("/program/staffing", rule[0], STAFFING, "min_residents"),
    ):
        version = _version(api.client.get(f"{path}/{entry_id}", headers=cookie).text)
        with unit_of_work(api.engine) as session:  # another coordinator's change meanwhile
            if path.endswith("curriculum"):
                rules.update_requirement(
                    session, entry_id, {**CURRICULUM, "pgy": 2, "max_blocks": 3}
                )
            else:
                rules.update_rule(
                    session,
                    entry_id,
                    {"rotation": "WARD", "min_pgy": 2, "max_pgy": 3, "min_residents": 4},
                )
        changed = _held(api)
        stale = _post(api, cookie, f"{path}/{entry_id}", form | {"version": version})
        assert stale.status_code == 409 and "changed since you opened this form" in stale.text
        assert input_value(stale.text, field) in ("3", "4")  # the current values
        refused = _post(api, cookie, f"{path}/{entry_id}/delete", {"version": version})
        assert refused.status_code == 409
        assert _held(api) == changed
    assert _audit_count(api) == audited + 2  # the two changes made meanwhile only


@SQLITE_ONLY
def test_residents_and_faculty_are_refused_and_admins_only_read(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        requirement = rules.create_requirement(
            session, {"pgy": 2, "rotation": "ELEC", "max_blocks": 1}
        ).id
        rule = rules.create_rule(session, {"rotation": "WARD", "min_residents": 1}).id
    before = _held(api)
    for role in (Role.RESIDENT, Role.FACULTY, Role.ADMIN):
        cookie = cookie_of(api, role)
        for path, entry_id, form in (
            ("/program/curriculum", requirement, CURRICULUM),
            ("/program/staffing", rule, STAFFING),
        ):
            listed = api.client.get(path, headers=cookie)
            assert listed.status_code == (200 if role == Role.ADMIN else 403)
            if role == Role.ADMIN:
                assert f'href="{path}/{entry_id}"' not in listed.text
                assert f'href="{path}/new"' not in listed.text
            for address in (f"{path}/new", f"{path}/{entry_id}"):
                assert api.client.get(address, headers=cookie).status_code == 403
            for address in (f"{path}/new", f"{path}/{entry_id}", f"{path}/{entry_id}/delete"):
                assert _post(api, cookie, address, form).status_code == 403, (role, address)
    assert _held(api) == before
