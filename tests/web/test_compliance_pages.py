"""The compliance pages through the TestClient as a browser uses them: a block's check
(`/compliance/blocks/{n}`, published or a run's draft) shows every ACGME rule with the
checker's closest value to its limit and every finding with person, period and citation, as
verdict.check_block_version computes them; a duty-hours CSV uploaded to `/compliance/upload`
(multipart, with the form's CSRF token) gets the checker's findings of `compliance check
FILE`, and a bad one the parser's message next to the file field (422), nothing written.
Reads run on SQLite only; the upload writes nothing, which one test checks on both engines."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.pages import cookie_of, field_error, form_token, input_value
from fixtures.program_state import program_state
from residency.auth.models import Role
from residency.cli import main
from residency.compliance.csv_io import format_moment, read_duty_upload
from residency.compliance.policy import calendar_starting
from residency.compliance.report import margin_sentence
from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.registry import ALL_RULES
from residency.compliance.validator import CheckOptions, CheckResult, check_duty
from residency.db import unit_of_work
from residency.people.models import Person
from residency.scheduling.block.verdict import check_block_version
from residency.scheduling.models import (
    AssignmentRole,
    AssignmentSource,
    CallAssignment,
    CallType,
    RunKind,
    RunStatus,
)
from residency.scheduling.repository import PUBLISHED, Version
from residency.scheduling.runs.lifecycle import new_run
from residency.scheduling.runs.versions import published, scope_of

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
PAGE = f"/compliance/blocks/{BLOCK}?year={YEAR}"
SUNDAY = date(2026, 3, 15)  # in block 10 (2026-03-10 to 2026-04-06)
NONE = "\N{EN DASH}"  # what an empty cell shows
HEADER = "person_id,pgy,start,end,kind\n"
WEEK = "".join(
    f"r1,1,2026-03-{day:02d}T07:00,2026-03-{day:02d}T19:00,shift\n" for day in range(9, 14)
)
LONG_CALL = "r2,2,2026-03-09T07:00,2026-03-10T13:00,in_house_call\n"  # 30 h: over 24 + 4
_RULE_ROW = re.compile(r'<tr data-rule="([^"]+)"[^>]*>(.*?)</tr>', re.S)
_FINDING = re.compile(r'<tr class="finding">(.*?)</tr>', re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def _text(fragment: str) -> str:
    """The words of an HTML fragment, one space apart."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _cells(row: str) -> list[str]:
    return [_text(cell) for cell in _CELL.findall(row)]


def rules_of(page: str) -> dict[str, list[str]]:
    """Rule id -> its row's cells: rule and summary, citation, findings, closest, who, when."""
    return {rule: _cells(body) for rule, body in _RULE_ROW.findall(page)}


def findings_of(page: str, severity: str) -> list[list[str]]:
    """The rows of the violations' (or warnings') table: rule, person, from, to, value, limit,
    citation, detail."""
    tables = re.findall(
        rf'<table class="compliance-findings" data-severity="{severity}">(.*?)'
        r"</table>",
        page,
        re.S,
    )
    return [_cells(row) for table in tables for row in _FINDING.findall(table)]


def expected_findings(result: CheckResult, severity: str) -> list[list[str]]:
    found = result.violations if severity == "violations" else result.warnings
    return [
        [
            f.rule,
            f.person_id,
            format_moment(f.period_start),
            format_moment(f.period_end),
            f.citation,
        ]
        for f in found
    ]


def assert_shows(page: str, result: CheckResult) -> None:
    """Every rule's closest value and every finding, as the checker has them."""
    rules = rules_of(page)
    assert list(rules) == [rule.RULE_ID for rule in ALL_RULES]
    for rule in ALL_RULES:
        cells = rules[rule.RULE_ID]
        assert cells[0] == f"{rule.RULE_ID} {rule.SUMMARY}" and cells[1] == rule.CITATION
        assert cells[2] == str(sum(f.rule == rule.RULE_ID for f in result.findings))
        closest = result.closest.get(rule.RULE_ID)
        if closest is None:
            assert cells[3:] == ["nothing to measure", NONE, NONE]
        else:
            when = f"{format_moment(closest.period_start)} to {format_moment(closest.period_end)}"
            assert cells[3:] == [margin_sentence(closest), closest.person_id, when]
    for severity in ("violations", "warnings"):
        shown = [[*row[:4], row[6]] for row in findings_of(page, severity)]
        assert shown == expected_findings(result, severity)


def _get(api: Api, role: Role, path: str, status: int = 200) -> str:
    answer = api.client.get(path, headers=cookie_of(api, role), follow_redirects=False)
    assert answer.status_code == status, answer.text
    return answer.text


def _long_call(engine: Engine, run_id: int | None) -> None:
    """A 30-hour in-house call for r1 from Sunday 07:00, in the version of `run_id`."""
    with unit_of_work(engine) as session:
        r1 = session.scalar(select(Person.id).where(Person.key == "r1"))
        start = datetime.combine(SUNDAY, time(7))
        session.add(
            CallAssignment(
                person_id=r1,
                date=SUNDAY,
                call_type=CallType.IN_HOUSE,
                starts_at=start,
                ends_at=start + timedelta(hours=30),
                schedule_run_id=run_id,
                role=AssignmentRole.PRIMARY,
                source=AssignmentSource.MANUAL,
            )
        )


def _checked(engine: Engine, version: Version) -> CheckResult:
    with unit_of_work(engine) as session:
        return check_block_version(session, YEAR, BLOCK, version)


@SQLITE_ONLY
def test_the_published_block_shows_every_rule_closest_and_each_finding(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(generate_args()) == 0  # block 10 published: the suite's one quick solve
    capsys.readouterr()
    with unit_of_work(api.engine) as session:
        pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK))
        assert pointer is not None
    _long_call(api.engine, pointer.run_id)
    result = _checked(api.engine, PUBLISHED)
    assert "ACGME-24PLUS4" in {f.rule for f in result.violations}

    page = _get(api, Role.COORDINATOR, PAGE)
    assert f"The check of the published schedule, revision {pointer.revision}" in page
    assert_shows(page, result)
    (call,) = [row for row in findings_of(page, "violations") if row[0] == "ACGME-24PLUS4"]
    assert call[1] == "r1" and call[6] == "ACGME CPR VI.F.3.a"
    assert call[2].startswith("2026-03-15T07:00")
    assert 'class="broken"' in page  # the broken rule's closest value is over its limit
    assert 'enctype="multipart/form-data"' in page  # the CSV form is on the page
    # An administrator reads it too; the dashboard's alert count and the nav link lead here.
    assert_shows(_get(api, Role.ADMIN, PAGE), result)
    home = _get(api, Role.COORDINATOR, "/")
    assert '<a href="/compliance">Compliance</a>' in home  # the navigation
    assert '<a href="/compliance">The current block\'s ACGME check</a>' in home  # alerts card
    grid = _get(api, Role.COORDINATOR, f"/blocks/{BLOCK}?year={YEAR}")
    assert f'<a href="{PAGE}">The block\'s ACGME check</a>' in grid
    assert "ACGME check" not in _get(api, Role.RESIDENT, f"/blocks/{BLOCK}?year={YEAR}")


@SQLITE_ONLY
def test_a_runs_draft_is_checked_with_its_own_rows_and_residents_may_not_read_it(
    api: Api,
) -> None:
    with unit_of_work(api.engine) as session:
        run = new_run(session, RunKind.BLOCK_SCHEDULE, YEAR, BLOCK, (SUNDAY, SUNDAY), {}, "test")
        run.status = RunStatus.SUCCEEDED
        run_id = run.id
    _long_call(api.engine, run_id)  # in the draft only

    draft = _get(api, Role.COORDINATOR, f"{PAGE}&run={run_id}")
    assert f'The check of the draft of <a href="/runs/{run_id}">run {run_id}</a>' in draft
    result = _checked(api.engine, Version(run_id))
    assert [f.person_id for f in result.violations if f.rule == "ACGME-24PLUS4"] == ["r1"]
    assert_shows(draft, result)

    published_page = _get(api, Role.COORDINATOR, PAGE)
    assert "Nothing is published for block 10 yet" in published_page
    assert findings_of(published_page, "violations") == []
    assert_shows(published_page, _checked(api.engine, PUBLISHED))

    for role in (Role.RESIDENT, Role.FACULTY):
        refused = _get(api, role, f"{PAGE}&run={run_id}", status=403)
        assert "may not read program" in refused and "ACGME-24PLUS4" not in refused
    assert _get(api, Role.COORDINATOR, f"/compliance/blocks/14?year={YEAR}", 404)
    _get(api, Role.RESIDENT, "/plan", status=403)


@SQLITE_ONLY
def test_compliance_goes_to_the_current_block(api: Api) -> None:
    answer = api.client.get(
        "/compliance", headers=cookie_of(api, Role.COORDINATOR), follow_redirects=False
    )
    grid = api.client.get(
        "/blocks", headers=cookie_of(api, Role.COORDINATOR), follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/compliance" + grid.headers["location"]


def _upload(
    api: Api, content: bytes | None, token: str | None = None, **form: str
) -> tuple[int, str]:
    cookie = cookie_of(api, Role.COORDINATOR)
    data = {"csrf_token": form_token(api, cookie) if token is None else token, **form}
    files = {"file": ("duty.csv", content, "text/csv")} if content is not None else None
    answer = api.client.post(
        "/compliance/upload", data=data, files=files, headers=cookie, follow_redirects=False
    )
    return answer.status_code, answer.text


@SQLITE_ONLY
def test_an_uploaded_csv_gets_the_checkers_findings_with_their_citation(api: Api) -> None:
    form = _get(api, Role.COORDINATOR, "/compliance/upload")
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    content = (HEADER + WEEK + LONG_CALL).encode()
    status, page = _upload(api, content)
    assert status == 200, page
    expected = check_duty(read_duty_upload(content, "file"), CheckOptions())
    assert "The check of duty.csv" in page
    assert_shows(page, expected)
    (long,) = findings_of(page, "violations")
    assert long[:2] == ["ACGME-24PLUS4", "r2"] and long[6] == "ACGME CPR VI.F.3.a"
    assert long[4] == "30 h clinical" and long[5] == "max 24"

    clean = (HEADER + WEEK).encode()
    status, page = _upload(api, clean, mode="rolling", academic_year_start="2025-07-01")
    assert status == 200
    rolling = CheckOptions(mode=AveragingMode.ROLLING, calendar=calendar_starting("2025-07-01", ""))
    assert_shows(page, check_duty(read_duty_upload(clean, "file"), rolling))
    assert "rolling 28-day windows" in page and input_value(page, "academic_year_start") == (
        "2025-07-01"
    )
    assert '<option value="rolling" selected>' in page  # what was chosen is kept


def test_a_bad_csv_gets_the_parsers_message_at_the_file_field_and_nothing_is_written(
    api: Api,
) -> None:
    before = program_state(api.engine)
    bad_row = HEADER + WEEK + "r1,one,2026-03-14T07:00,2026-03-14T19:00,shift\n"
    status, page = _upload(api, bad_row.encode(), mode="rolling")
    assert status == 422
    assert field_error(page, "file") == "file row 7: pgy 'one' is not a whole number"
    assert "The check of" not in page and '<option value="rolling" selected>' in page

    status, page = _upload(api, b"name,hours\n")
    assert status == 422 and field_error(page, "file") == (
        "file row 1: missing column person_id, pgy, start, end, kind; expected "
        "person_id,pgy,start,end,kind"
    )
    status, page = _upload(api, b"\xff\xfe", academic_year_start="")
    assert status == 422 and "not UTF-8 text" in (field_error(page, "file") or "")
    status, page = _upload(api, None)
    assert status == 422 and (field_error(page, "file") or "").startswith(
        "file: choose a duty-hours CSV file"
    )
    status, page = _upload(api, (HEADER + WEEK).encode(), academic_year_start="2024-02-29")
    assert status == 422
    assert field_error(page, "academic_year_start") == (
        "academic_year_start cannot be February 29 (it must recur every year)"
    )
    assert input_value(page, "academic_year_start") == "2024-02-29"  # what was typed is kept
    status, page = _upload(api, (HEADER + WEEK).encode(), mode="weekly")
    assert status == 422 and field_error(page, "mode") == (
        "mode: 'weekly' is not one of block, rolling"
    )
    # Every bad field at once, each at its own field.
    status, page = _upload(api, b"", mode="weekly", academic_year_start="July")
    assert status == 422
    assert field_error(page, "file") == (
        "file: empty file; expected the header person_id,pgy,start,end,kind"
    )
    assert field_error(page, "mode") == "mode: 'weekly' is not one of block, rolling"
    assert field_error(page, "academic_year_start") == (
        "academic_year_start 'July' is not a date like 2025-07-01"
    )
    assert program_state(api.engine) == before


@SQLITE_ONLY
def test_an_upload_needs_the_forms_token_and_fits_the_body_limit(api: Api) -> None:
    status, page = _upload(api, (HEADER + LONG_CALL).encode(), token="")
    assert status == 403 and "csrf_token" in page and "ACGME-24PLUS4" not in page
    status, page = _upload(api, (HEADER + LONG_CALL).encode(), token="forged")
    assert status == 403
    limit = api.client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    too_big = (HEADER + WEEK * (limit // len(WEEK) + 1)).encode()
    status, page = _upload(api, too_big)
    assert status == 413 and "larger than the limit" in page
    for role in (Role.RESIDENT, Role.FACULTY):
        cookie = cookie_of(api, role)
        answer = api.client.post(
            "/compliance/upload",
            data={"csrf_token": form_token(api, cookie)},
            files={"file": ("duty.csv", (HEADER + LONG_CALL).encode(), "text/csv")},
            headers=cookie,
        )
        assert answer.status_code == 403 and "ACGME-24PLUS4" not in answer.text
