"""The program file over HTTP: the export is what `residency program export` writes, a dry run
lists every change and writes nothing, applying writes them, and a document the CLI would refuse
is refused naming the entry's path."""

from __future__ import annotations

import copy
from typing import Any

from fixtures.api import Api
from fixtures.block_program import YEAR
from fixtures.program_state import assert_refused, program_state
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.program.export import export_program

EXPORT, IMPORT = "/api/v1/program/export", "/api/v1/program/import"
KINDS = [
    "settings",
    "half-days",
    "rotation templates",
    "people",
    "PGY levels",
    "absences",
    "fixed rotations",
    "curriculum",
    "staffing rules",
]


def _exported(api: Api, role: Role = Role.COORDINATOR) -> dict[str, Any]:
    answer = api.client.get(EXPORT, headers=api.headers(role))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _changes(answer: Any) -> dict[str, dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    return {kind["kind"]: kind for kind in answer.json()["changes"]}


def _edited(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    edited["residents"][0]["name"] = "Resident One Renamed"
    # Written out whole, as the export writes them, so that the export after applying is it.
    edited["residents"].append(
        {"key": "r5", "name": "Resident Five", "email": None, "pgy": {str(YEAR): 1}}
    )
    edited["absences"].append(
        {
            "person": "r1",
            "type": "vacation",
            "start": "2026-03-16",
            "end": "2026-03-20",
            "blocks_scheduling": True,
            "note": "",
        }
    )
    return edited


def test_the_export_is_the_program_document_the_database_makes(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        held = export_program(session).model_dump(mode="json")
    assert _exported(api) == held == _exported(api, Role.ADMIN)
    assert [r["key"] for r in held["residents"]] == ["r1", "r2", "r3", "r4"]


def test_a_dry_run_lists_every_change_and_writes_nothing(api: Api) -> None:
    before = program_state(api.engine)
    answer = api.client.post(
        IMPORT, json=_edited(_exported(api)), headers=api.headers(Role.COORDINATOR)
    )
    changes = _changes(answer)
    assert answer.json()["dry_run"] is True and answer.json()["changed"] is True
    assert list(changes) == KINDS
    people = changes["people"]
    assert (people["created_keys"], people["updated_keys"]) == (["r5"], ["r1"])
    assert sorted(people["unchanged_keys"]) == ["f1", "f2", "f3", "r2", "r3", "r4"]
    assert (people["created"], people["updated"], people["unchanged"]) == (1, 1, 6)
    assert changes["PGY levels"]["created_keys"] == [f"r5 {YEAR}"]
    assert changes["absences"]["created_keys"] == ["r1 vacation 2026-03-16"]
    assert changes["settings"]["unchanged_keys"] == ["program"]
    assert changes["rotation templates"]["unchanged_keys"] == ["CALL", "CLIN", "ELEC", "WARD"]
    assert changes["half-days"]["unchanged"] == 730
    assert program_state(api.engine) == before


def test_applying_writes_the_changes_the_dry_run_listed(api: Api) -> None:
    edited = _edited(_exported(api))
    headers = api.headers(Role.COORDINATOR)
    previewed = _changes(api.client.post(IMPORT, json=edited, headers=headers))
    applied = api.client.post(IMPORT, params={"dry_run": "false"}, json=edited, headers=headers)
    assert applied.json()["dry_run"] is False
    assert _changes(applied) == previewed
    assert api.client.get("/api/v1/people/r5", headers=headers).json()["pgy"] == {str(YEAR): 1}
    assert _exported(api) == edited
    again = api.client.post(IMPORT, json=_exported(api), headers=headers)
    assert again.json()["changed"] is False


def _with(document: dict[str, Any], section: str, entry: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed[section] = [*changed.get(section, []), entry]
    return changed


def _bad_documents(document: dict[str, Any]) -> list[tuple[Any, str, str]]:
    """(document, field path, what the message says) for documents the CLI refuses too."""
    out_of_range = copy.deepcopy(document)
    out_of_range["residents"][3]["pgy"][str(YEAR)] = 11
    bad_shift = copy.deepcopy(document)
    bad_shift["rotations"][0]["duty_pattern"] = {"mon": ["25:00-18:00"]}
    nul_name = copy.deepcopy(document)
    nul_name["faculty"][1]["name"] = "Dr\u0000Two"
    far_year = copy.deepcopy(document)
    far_year["program"]["academic_years"] = [99999]
    vacation = {"person": "r1", "type": "vacation", "start": "2026-03-16", "end": "2026-03-20"}
    backwards = {**vacation, "end": "2026-03-01"}
    unknown = {"pgy": 1, "rotation": "NOPE", "max_blocks": 1}
    return [
        (out_of_range, "residents.3.pgy.2025", "residents.3.pgy.2025"),
        (bad_shift, "rotations.0.duty_pattern", "'25:00-18:00' has a clock time out of range"),
        (far_year, "program.academic_years.0", "program.academic_years.0"),
        (nul_name, "faculty.1.name", "faculty.1.name: may not contain a NUL character"),
        (_with(document, "absences", backwards), "absences.0.end", "is before start"),
        (
            _with(document, "absences", {**vacation, "person": "nobody"}),
            "absences.0.person",
            "no person has key 'nobody'",
        ),
        (
            _with(document, "curriculum", unknown),
            "curriculum.0.rotation",
            "unknown rotation abbreviation 'NOPE'",
        ),
        (
            _with(document, "residents", document["residents"][0]),
            "residents.4.key",
            "key 'r1' is used by more than one",
        ),
        ({**document, "favourite": "x"}, "favourite", "favourite"),
        ({k: v for k, v in document.items() if k != "program"}, "program", "program"),
        ([document], "body", "body"),
    ]


def test_a_bad_document_is_refused_naming_its_path_and_writes_nothing(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    before = program_state(api.engine)
    for document, field, said in _bad_documents(_exported(api)):
        for dry_run in ("true", "false"):
            answer = api.client.post(
                IMPORT, params={"dry_run": dry_run}, json=document, headers=headers
            )
            assert_refused(answer, 422, field, said)
    assert program_state(api.engine) == before


def test_a_document_clashing_with_the_database_writes_nothing(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    api.client.patch("/api/v1/people/r2", json={"email": "r2@example.org"}, headers=headers)
    before = program_state(api.engine)
    document = _exported(api)
    clash = {
        **document,
        "residents": [
            {"key": "r9", "name": "Nine", "email": "r2@example.org", "pgy": {str(YEAR): 1}}
        ],
    }
    clash = {**clash, "absences": [], "fixed_rotations": []}
    for dry_run in ("true", "false"):
        answer = api.client.post(IMPORT, params={"dry_run": dry_run}, json=clash, headers=headers)
        assert answer.status_code == 422, answer.text
        assert "clashes with the database" in answer.json()["error"]["message"]
    assert program_state(api.engine) == before
