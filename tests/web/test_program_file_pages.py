"""The program file on the web (program/file_pages.py) and the read-only curriculum and
staffing pages (program/rules_pages.py): the export is the file `residency program export`
writes; an upload is validated as `residency program import` does, every problem listed with
its path in the file, or every change listed, and nothing written; "Apply" imports exactly the
previewed file (signed for the session), with one audit row. The preview and the import run
on both engines; refusals, which never reach the database, on SQLite."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.block_program import mini_program
from fixtures.pages import cookie_of, form_token
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.people.models import Person, PersonKind
from residency.program.export import export_program
from residency.program.files import dump_program
from residency.program.schema import ProgramDocument
from residency.program.service import import_program

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
_HIDDEN = re.compile(
    r'<input type="hidden" name="(name|content|expected|signature)" value="([^"]*)">'
)
_KIND = re.compile(
    r'<tr data-kind="([^"]+)">.*?data-count="(\d+)".*?data-count="(\d+)".*?data-count="(\d+)"',
    re.S,
)
_PROBLEM = re.compile(r'<li><code class="path">([^<]*)</code> ([^<]*)</li>')


def _exported(api: Api) -> dict[str, Any]:
    answer = api.client.get("/program/file/export", headers=cookie_of(api, Role.COORDINATOR))
    assert answer.status_code == 200
    return dict(yaml.safe_load(answer.text))


def _preview(api: Api, text: str, cookie: dict[str, str] | None = None) -> tuple[int, str]:
    cookie = cookie or cookie_of(api, Role.COORDINATOR)
    answer = api.client.post(
        "/program/file/preview",
        data={"csrf_token": form_token(api, cookie)},
        files={"file": ("program.yaml", text.encode(), "application/yaml")},
        headers=cookie,
    )
    return answer.status_code, answer.text


def _kinds(page: str) -> dict[str, tuple[int, int, int]]:
    found = _KIND.findall(page)
    return {html.unescape(k): (int(c), int(u), int(n)) for k, c, u, n in found}


def _problems(page: str) -> list[tuple[str, str]]:
    return [(path, html.unescape(message)) for path, message in _PROBLEM.findall(page)]


def _counts(api: Api) -> tuple[int, int]:
    with unit_of_work(api.engine) as session:
        return (
            session.scalar(select(func.count(Person.id))) or 0,
            session.scalar(select(func.count(AuditEvent.id))) or 0,
        )


def _changed_file(api: Api) -> str:
    data = _exported(api)
    data["residents"][0]["name"] = "Resident One Renamed"  # r1
    data["residents"].append({"key": "r5", "name": "Resident Five", "pgy": {2025: 1}})
    return yaml.safe_dump(data, sort_keys=False)


@SQLITE_ONLY
def test_the_export_is_the_program_file_as_a_download(api: Api) -> None:
    for role in (Role.COORDINATOR, Role.ADMIN):
        answer = api.client.get("/program/file/export", headers=cookie_of(api, role))
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == 'attachment; filename="program.yaml"'
        with unit_of_work(api.engine) as session:
            assert answer.text == dump_program(export_program(session))
        assert ProgramDocument.model_validate(yaml.safe_load(answer.text)).residents


def test_a_preview_lists_every_change_writes_nothing_and_apply_imports_it(api: Api) -> None:
    before = _counts(api)
    cookie = cookie_of(api, Role.COORDINATOR)
    status, page = _preview(api, _changed_file(api), cookie)
    assert status == 200, page
    assert _kinds(page)["people"] == (1, 1, 6) and _kinds(page)["rotation templates"] == (0, 0, 4)
    section = page.split('<section class="panel import-kind" data-kind="people">')[1]
    assert "<li>r5</li>" in section.split("updated-keys")[0] and "<li>r1</li>" in section
    assert _counts(api) == before  # a preview writes nothing
    hidden = dict(_HIDDEN.findall(page))
    sent = {"csrf_token": form_token(api, cookie), **hidden}
    answer = api.client.post(
        "/program/file/apply", data=sent, headers=cookie, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/program/file"
    assert "residency_flash=program_imported" in answer.headers["set-cookie"]
    with unit_of_work(api.engine) as session:
        names = dict(session.execute(select(Person.key, Person.name)).tuples().all())
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.id > before[1])))
    assert names["r5"] == "Resident Five" and names["r1"] == "Resident One Renamed"
    assert [e.action for e in events] == ["program.import"]
    assert events[0].after is not None and events[0].after["people"]["created"] == 1


def test_a_preview_gone_stale_is_shown_again_instead_of_applied(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    _, page = _preview(api, _changed_file(api), cookie)
    hidden = dict(_HIDDEN.findall(page))
    with unit_of_work(api.engine) as session:  # meanwhile, someone else adds r5
        session.add(Person(key="r5", name="Resident Five", kind=PersonKind.RESIDENT))
    before = _counts(api)
    sent = {"csrf_token": form_token(api, cookie), **hidden}
    answer = api.client.post("/program/file/apply", data=sent, headers=cookie)
    assert answer.status_code == 409
    assert "Not applied: the database changed since your preview" in answer.text
    assert _kinds(answer.text)["people"] == (0, 1, 7)  # r5 is there now: only r1 changes
    assert _counts(api) == before  # rolled back: no rename, no audit row
    again = {"csrf_token": sent["csrf_token"], **dict(_HIDDEN.findall(answer.text))}
    applied = api.client.post(
        "/program/file/apply", data=again, headers=cookie, follow_redirects=False
    )
    assert applied.status_code == 303 and _counts(api) == (before[0], before[1] + 1)


@SQLITE_ONLY  # refused before the database is touched
def test_apply_takes_only_the_file_this_session_previewed(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    _, page = _preview(api, _changed_file(api), cookie)
    hidden = dict(_HIDDEN.findall(page))
    before = _counts(api)
    other = cookie_of(api, Role.COORDINATOR)  # another sign-in of the same account
    tampered = {**hidden, "content": hidden["content"][:-8] + "AAAAAAA="}
    unseen = {**hidden, "expected": "0" * 64}  # changes the preview did not show
    for session_cookie, fields in ((cookie, tampered), (cookie, unseen), (other, hidden)):
        sent = {"csrf_token": form_token(api, session_cookie), **fields}
        answer = api.client.post("/program/file/apply", data=sent, headers=session_cookie)
        assert answer.status_code == 422
        assert _problems(answer.text) == [
            (
                "file",
                "file: this is not the file previewed in this session (the preview is from "
                "another sign-in, or was changed); upload the file and preview it again",
            )
        ]
    assert _counts(api) == before


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "program: [unclosed\n",
            [
                (
                    "file",
                    "program.yaml: line 2 is not valid YAML: expected ',' or ']', "
                    "but got '<stream end>'",
                )
            ],
        ),
        (
            "- a list\n",
            [
                (
                    "body",
                    "program.yaml: not a program file (expected a mapping with a 'program' entry)",
                )
            ],
        ),
    ],
)
def test_a_file_that_is_not_a_program_file_is_named(
    api: Api, text: str, problems: list[tuple[str, str]]
) -> None:
    before = _counts(api)
    status, page = _preview(api, text)
    assert status == 422 and _problems(page) == problems
    assert _counts(api) == before


@SQLITE_ONLY
def test_every_problem_of_a_bad_file_is_listed_with_its_path_and_nothing_is_written(
    api: Api,
) -> None:
    data = _exported(api)
    data["residents"][1]["pgy"] = {2025: "two"}
    data["faculty"].append({"key": "f9", "name": "Dr Nine", "role": "chief"})
    status, page = _preview(api, yaml.safe_dump(data, sort_keys=False))
    assert status == 422
    paths = [path for path, _ in _problems(page)]
    assert paths == ["residents.1.pgy.2025", "faculty.3.role"]
    assert _problems(page)[0][1] == (
        "program.yaml: residents[1] (r2).pgy[2025]: Input should be a valid integer (got 'two')"
    )
    data = _exported(api)
    data["faculty"][1]["key"] = "f1"
    data["curriculum"] = [{"pgy": 1, "rotation": "NOPE", "max_blocks": 1}]
    before = _counts(api)
    status, page = _preview(api, yaml.safe_dump(data, sort_keys=False))
    assert status == 422
    assert _problems(page) == [
        (
            "faculty.1.key",
            "program.yaml: people: key 'f1' is used by more than one person (keys must be unique)",
        ),
        (
            "curriculum.0.rotation",
            "program.yaml: curriculum[0] (PGY-1 NOPE).rotation: unknown rotation abbreviation "
            "'NOPE' (CALL, CLIN, ELEC, WARD)",
        ),
    ]
    assert 'name="signature"' not in page and _counts(api) == before


@SQLITE_ONLY
def test_an_upload_needs_a_file_and_its_csrf_token(api: Api) -> None:
    cookie = cookie_of(api, Role.COORDINATOR)
    empty = api.client.post(
        "/program/file/preview", data={"csrf_token": form_token(api, cookie)}, headers=cookie
    )
    assert empty.status_code == 422
    assert _problems(empty.text) == [("file", "file: choose a program file (YAML) to upload")]
    forged = api.client.post(
        "/program/file/preview",
        files={"file": ("program.yaml", b"program: {}", "application/yaml")},
        headers=cookie,
    )
    assert forged.status_code == 403


@SQLITE_ONLY
def test_a_file_the_database_already_holds_has_nothing_to_apply(api: Api) -> None:
    status, page = _preview(api, yaml.safe_dump(_exported(api), sort_keys=False))
    assert status == 200
    assert all(created == updated == 0 for created, updated, _ in _kinds(page).values())
    assert "Nothing to apply" in page and 'action="/program/file/apply"' not in page


def _with_rules(api: Api) -> None:
    data = mini_program().model_dump(mode="json")
    data["curriculum"] = [
        {"pgy": 1, "rotation": "WARD", "min_blocks": 2, "max_blocks": 4},
        {"pgy": 2, "rotation": "ELEC", "min_blocks": 0.5, "max_blocks": 1.5},
        {"pgy": 1, "rotation": "CLIN", "min_blocks": 0, "max_blocks": 1},
    ]
    data["staffing_rules"] = [
        {"rotation": "WARD", "min_pgy": 1, "max_pgy": 1, "min_residents": 1},
        {"rotation": "WARD", "min_pgy": 2, "min_residents": 1},
    ]
    with unit_of_work(api.engine) as session:
        import_program(session, ProgramDocument.model_validate(data))


@SQLITE_ONLY
def test_the_curriculum_and_staffing_pages_list_the_rules_and_where_to_edit_them(
    api: Api,
) -> None:
    _with_rules(api)
    coordinator = cookie_of(api, Role.COORDINATOR)
    page = api.client.get("/program/curriculum", headers=coordinator).text
    rows = re.findall(
        r'<tr data-pgy="(\d)" data-rotation="(\w+)"><td>\w+</td><td class="min">([^<]*)</td>'
        r'<td class="max">([^<]*)</td>',
        page,
    )
    assert rows == [("1", "CLIN", "0", "1"), ("1", "WARD", "2", "4"), ("2", "ELEC", "0.5", "1.5")]
    assert '<h2 id="pgy-1">PGY-1</h2>' in page and 'href="/program/file"' in page
    page = api.client.get("/program/staffing", headers=coordinator).text
    rules = re.findall(r'<td class="levels">([^<]*)</td><td class="min">(\d+)</td>', page)
    assert rules == [("PGY-1", "1"), ("PGY-2 and above", "1")]
    admin = api.client.get("/program/staffing", headers=cookie_of(api, Role.ADMIN)).text
    assert 'href="/program/file/export"' in admin and 'href="/program/file"' not in admin
