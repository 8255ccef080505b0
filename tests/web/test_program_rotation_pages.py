"""The rotation-template pages under /program/rotations through the TestClient: the list in
each template's colour, adding and changing a template with the program file's own rules and
messages next to their field (a bad shift next to its weekday; nothing written), a stale form
refused, and one audit row per write. Writes on both engines; reads on SQLite."""

from __future__ import annotations

import html
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
from residency.errors import InputError
from residency.program.validation import parse_document
from residency.rotations import edits
from residency.rotations.models import RotationTemplate
from residency.rotations.service import rotation_template

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
ELEC = "/program/rotations/ELEC"


def _counts(api: Api) -> tuple[int, int]:
    """(templates, audit rows)."""
    with unit_of_work(api.engine) as session:
        templates = session.scalar(select(func.count()).select_from(RotationTemplate)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return templates, audit


def _entry(api: Api, abbreviation: str) -> dict[str, Any]:
    with unit_of_work(api.engine) as session:
        return edits.snapshot(rotation_template(session, abbreviation).template)


def _form_values(page: str) -> dict[str, str]:
    """Every text input and checked box of the form, as the browser would send it."""
    values = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input id="[^"]*" name="([^"]+)"[^>]*?value="([^"]*)"', page
        )
    }
    for name in re.findall(
        r'<input type="checkbox" id="[^"]*" name="([^"]+)" value="1" checked', page
    ):
        values[name] = "1"
    found = re.search(r'<option value="([^"]+)" selected>', page)
    assert found is not None, "no activity type selected"
    values["activity_type"] = found.group(1)
    version = re.search(r'name="version" value="([^"]+)"', page)
    return values | ({"version": version.group(1)} if version else {})


def _post(api: Api, cookie: dict[str, str], path: str, data: dict[str, str]) -> Any:
    data = data | {"csrf_token": form_token(api, cookie)}
    return api.client.post(path, data=data, headers=cookie, follow_redirects=False)


def _file_message(rotation_changes: dict[str, Any]) -> str:
    """What the program file says of the mini program's ELEC rotation with these changes."""
    raw = mini_program().model_dump(mode="json")
    elec = next(r for r in raw["rotations"] if r["abbreviation"] == "ELEC")
    elec.update(rotation_changes)
    with pytest.raises(InputError) as refused:
        parse_document(raw, "program.yaml")
    return str(refused.value)


@SQLITE_ONLY
def test_the_list_shows_each_template_in_its_colour_with_its_pattern(api: Api) -> None:
    page = api.client.get("/program/rotations", headers=cookie_of(api, Role.COORDINATOR)).text
    assert re.findall(r'data-rotation="([^"]+)"', page) == ["CALL", "CLIN", "ELEC", "WARD"]
    with unit_of_work(api.engine) as session:
        ward = session.scalar(
            select(RotationTemplate.id).where(RotationTemplate.abbreviation == "WARD")
        )
    assert f'<span class="swatch rot-{ward}">WARD</span> Ward rotation' in page
    colours = re.search(r'<link rel="stylesheet" href="(/blocks/colors\.css\?v=[0-9a-f]+)">', page)
    assert colours is not None
    css = api.client.get(colours.group(1), headers=cookie_of(api, Role.COORDINATOR)).text
    assert f".rot-{ward} {{ background-color: #F4A6A6;" in css
    call = page.split('data-rotation="CALL"')[1].split("</tr>")[0]
    assert "<strong>fri</strong> 17:00-07:00 in_house_call" in call
    assert "<td>28</td>" in call  # two 14-hour nights a week
    assert 'href="/program/rotations/WARD"' in page
    admin = api.client.get("/program/rotations", headers=cookie_of(api, Role.ADMIN)).text
    assert 'data-rotation="WARD"' in admin and "/program/rotations/new" not in admin


def test_a_bad_value_gets_the_program_files_message_next_to_its_field(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = _form_values(api.client.get(ELEC, headers=cookie).text)
    assert form["duty_pattern.mon"] == "08:00-12:00, 13:00-17:00" and form["eligible_pgy"] == "2, 3"
    before, stored = _counts(api), _entry(api, "ELEC")
    for field, typed, in_file in (
        (
            "duty_pattern.sat",
            {"duty_pattern.sat": "25:00-07:00"},
            {"duty_pattern": {"sat": ["25:00-07:00"]}},
        ),
        (
            "duty_pattern.sun",
            {"duty_pattern.sun": "09:00-13:00 nap"},
            {"duty_pattern": {"sun": ["09:00-13:00 nap"]}},
        ),
        ("color", {"color": "#12"}, {"color": "#12"}),
        (
            "residents_per_block",
            {"residents_per_block.min": "5"},
            {"residents_per_block": {"min": 5, "max": 4}},
        ),
        ("eligible_pgy", {"eligible_pgy": "2, 11"}, {"eligible_pgy": [2, 11]}),
        (
            "residents_per_half_day.max",
            {"residents_per_half_day.max": "many"},
            {"residents_per_half_day": {"min": 0, "max": "many"}},
        ),
    ):
        answer = _post(api, cookie, ELEC, form | typed)
        assert answer.status_code == 422, (field, answer.text)
        error = field_error(answer.text, field)
        assert error is not None, (field, answer.text)
        rule = error.split(": ", 1)[1]
        assert rule in _file_message(in_file), (field, error)  # the file's own words
        value = next(iter(typed.values()))
        assert input_value(answer.text, next(iter(typed))) == value  # what was typed is kept
    saturday = _post(api, cookie, ELEC, form | {"duty_pattern.sat": "25:00-07:00"})
    assert field_error(saturday.text, "duty_pattern.sat") == (
        "duty_pattern.sat: '25:00-07:00' has a clock time out of range"
    )
    assert _counts(api) == before and _entry(api, "ELEC") == stored


def test_an_edit_saves_the_pattern_and_fields_with_one_audit_row(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = _form_values(api.client.get(ELEC, headers=cookie).text)
    templates, audit = _counts(api)
    changed = form | {
        "duty_pattern.sat": "08:00-12:00",
        "duty_pattern.fri": "",
        "color": "#a8d8b0",
        "requires_supervision": "",
        "residents_per_block.max": "2",
    }
    saved = _post(api, cookie, ELEC, changed)
    assert saved.status_code == 303 and saved.headers["location"] == "/program/rotations#ELEC"
    assert "The rotation template is saved." in followed(api, cookie, saved)
    assert _counts(api) == (templates, audit + 1)
    entry = _entry(api, "ELEC")
    assert entry["duty_pattern"]["sat"] == ["08:00-12:00"] and "fri" not in entry["duty_pattern"]
    assert (entry["color"], entry["requires_supervision"]) == ("#A8D8B0", False)
    assert entry["residents_per_block"] == {"min": 0, "max": 2}


def test_adding_a_template_writes_it_once_and_refuses_a_taken_abbreviation(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = _form_values(api.client.get("/program/rotations/new", headers=cookie).text)
    new = form | {
        "abbreviation": "SIMS",
        "name": "Simulation lab",
        "activity_type": "education",
        "eligible_pgy": "1 2",
        "residents_per_block.max": "4",
        "residents_per_half_day.max": "2",
        "duty_pattern.wed": "13:00-17:00",
    }
    templates, audit = _counts(api)
    for field, typed, words in (
        ("abbreviation", {"abbreviation": "WARD"}, "'WARD' is already a rotation's abbreviation"),
        ("name", {"name": "Ward rotation"}, "'Ward rotation' is already another rotation's name"),
        ("residents_per_block.max", {"residents_per_block.max": ""}, "field required"),
    ):
        answer = _post(api, cookie, "/program/rotations/new", new | typed)
        assert answer.status_code == 422 and words in (field_error(answer.text, field) or "")
    assert _counts(api) == (templates, audit)
    made = _post(api, cookie, "/program/rotations/new", new)
    assert made.status_code == 303 and _counts(api) == (templates + 1, audit + 1)
    entry = _entry(api, "SIMS")
    assert (entry["eligible_pgy"], entry["duty_pattern"]) == ([1, 2], {"wed": ["13:00-17:00"]})
    assert entry["residents_per_half_day"] == {"min": 0, "max": 2}


def test_a_stale_form_is_refused_with_the_current_values(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    form = _form_values(api.client.get(ELEC, headers=cookie).text)
    with unit_of_work(api.engine) as session:  # someone else renames it meanwhile
        edits.update_template(session, "ELEC", _entry(api, "ELEC") | {"name": "Electives"})
    before = _counts(api)
    answer = _post(api, cookie, ELEC, form | {"duty_pattern.sat": "08:00-12:00"})
    assert answer.status_code == 409
    assert "changed since you opened this form" in html.unescape(answer.text)
    assert input_value(answer.text, "name") == "Electives" and _counts(api) == before
    assert "sat" not in _entry(api, "ELEC")["duty_pattern"]


def _actions(api: Api) -> list[str]:
    with unit_of_work(api.engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_deactivated_template_is_listed_apart_until_it_is_reactivated(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    edit = api.client.get(ELEC, headers=cookie).text
    assert 'action="/program/rotations/ELEC/deactivate"' in edit and "Deactivate ELEC" in edit
    templates, audit = _counts(api)
    gone = _post(api, cookie, f"{ELEC}/deactivate", {})
    assert gone.status_code == 303 and gone.headers["location"] == "/program/rotations#ELEC"
    page = followed(api, cookie, gone)
    assert "The rotation template is deactivated: left out of new schedules." in page
    active, _, deactivated = page.partition('<h2 id="deactivated">')
    assert re.findall(r'data-rotation="([^"]+)"', active) == ["CALL", "CLIN", "WARD"]
    assert re.findall(r'data-rotation="([^"]+)"', deactivated) == ["ELEC"]
    assert _counts(api) == (templates, audit + 1) and _actions(api)[-1] == "rotation.deactivate"
    assert _entry(api, "ELEC")["active"] is False
    edit = api.client.get(ELEC, headers=cookie).text
    assert 'action="/program/rotations/ELEC/reactivate"' in edit and "deactivated</strong>" in edit
    back = _post(api, cookie, f"{ELEC}/reactivate", {})
    assert "The rotation template is active again." in followed(api, cookie, back)
    assert _actions(api)[-1] == "rotation.reactivate" and _entry(api, "ELEC")["active"] is True
    listed = api.client.get("/program/rotations", headers=cookie).text
    assert 'id="deactivated"' not in listed and 'data-rotation="ELEC"' in listed


def test_a_template_the_policy_names_is_not_deactivated(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    before = _counts(api)
    refused = _post(api, cookie, "/program/rotations/CLIN/deactivate", {})
    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert "CLIN is the program policy's block_schedule.continuity_clinic" in text
    assert "Deactivate CLIN" in text  # the edit form, as it is
    assert _counts(api) == before and _entry(api, "CLIN")["active"] is True
