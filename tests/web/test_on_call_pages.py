"""Who is on call, `/on-call`, and its service (scheduling/block/on_call.py), on both engines,
over the mini program whose only call service, CALL, has an in-house night on Fridays and
Saturdays (17:00 to 07:00) for PGY-2 and PGY-3 residents: tonight's person per service from the
published schedule only, nights without call say so, a draft shows no one, a bad ?day= is
named."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR, generate_args
from fixtures.pages import cookie_of
from residency.auth.models import Role
from residency.calendar import service as calendar
from residency.cli import main
from residency.db import unit_of_work
from residency.people.models import Person
from residency.scheduling import repository as repo
from residency.scheduling.block.on_call import on_call_week
from residency.scheduling.models import (
    AssignmentRole,
    AssignmentSource,
    CallAssignment,
    CallType,
    RunKind,
)
from residency.scheduling.runs.versions import published, scope_of

FRIDAY = date(2026, 3, 20)  # in block 10 (2026-03-10 to 2026-04-06)
PGY = {"r1": 1, "r2": 2, "r3": 2, "r4": 3}  # the mini program's residents
_TONIGHT = re.compile(
    r'<div class="tonight-service" data-service="([^"]+)">.*?<dd>(.*?)</dd>', re.S
)
_PERSON = re.compile(r'data-person="([^"]+)"')


def _publish(capsys: pytest.CaptureFixture[str], publish: bool = True) -> None:
    assert main(generate_args(publish=publish)) == 0
    capsys.readouterr()


def _tonight(page: str) -> dict[str, list[str]]:
    """Tonight's people per service, as the page's first section shows them."""
    section = page.split('<section class="tonight"', 1)[1].split("</section>", 1)[0]
    return {service: _PERSON.findall(body) for service, body in _TONIGHT.findall(section)}


def _get(api: Api, role: Role, path: str, status: int = 200) -> str:
    answer = api.client.get(path, headers=cookie_of(api, role), follow_redirects=False)
    assert answer.status_code == status, answer.text
    return answer.text


def test_the_week_shows_published_calls_and_backups_with_name_pgy_and_shift(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _publish(capsys)
    with unit_of_work(api.engine) as session:
        week = on_call_week(session, FRIDAY)
        stored = {(c.date, c.person.key) for c in repo.calls_between(session, FRIDAY, FRIDAY)}
    assert [s.key for s in week.services] == ["CALL"]
    assert week.published_blocks == (10,) and week.unpublished_blocks == ()
    assert [n.day for n in week.nights] == [FRIDAY + timedelta(days=i) for i in range(7)]
    friday, saturday, *weekdays = week.nights
    for night in (friday, saturday):
        (person,) = night.by_service["CALL"]  # one resident a night
        assert PGY[person.person_key] in (2, 3) and person.pgy == PGY[person.person_key]
        assert person.name == f"Resident {person.person_key}"
        assert person.starts_at == datetime.combine(night.day, time(17))
        assert person.ends_at == datetime.combine(night.day + timedelta(days=1), time(7))
        assert night.backup == ()
    assert {(FRIDAY, friday.by_service["CALL"][0].person_key)} == stored
    assert all(n.by_service["CALL"] == () for n in weekdays), "CALL has no call Sunday-Thursday"
    # Backups and weekend calls come from edits or imports (no template of the mini program
    # makes them): added to the published version, each is shown on its night.
    next_day = FRIDAY + timedelta(days=1)
    with unit_of_work(api.engine) as session:
        pointer = published(session, scope_of(RunKind.BLOCK_SCHEDULE, YEAR, BLOCK))
        assert pointer is not None
        people = dict(session.execute(select(Person.key, Person.id)).tuples().all())
        for key, day, call_type in (
            ("r4", FRIDAY, CallType.BACKUP),
            ("f1", next_day, CallType.WEEKEND),
        ):
            session.add(
                CallAssignment(
                    person_id=people[key],
                    date=day,
                    call_type=call_type,
                    starts_at=datetime.combine(day, time(8)),
                    ends_at=datetime.combine(day, time(20)),
                    schedule_run_id=pointer.run_id,
                    role=AssignmentRole.BACKUP
                    if call_type == CallType.BACKUP
                    else AssignmentRole.PRIMARY,
                    source=AssignmentSource.MANUAL,
                )
            )
    with unit_of_work(api.engine) as session:
        week = on_call_week(session, FRIDAY)
    assert [s.key for s in week.services] == ["CALL", "weekend"]
    friday, saturday_night = week.nights[:2]
    assert [(p.person_key, p.pgy) for p in friday.backup] == [("r4", 3)]
    assert [(p.person_key, p.pgy) for p in saturday_night.by_service["weekend"]] == [("f1", None)]
    assert friday.by_service["weekend"] == () and saturday_night.backup == ()


def test_the_page_shows_tonight_to_a_resident_and_a_coordinator(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(capsys)
    monkeypatch.setattr(calendar, "local_today", lambda: FRIDAY)
    with unit_of_work(api.engine) as session:
        (call,) = repo.calls_between(session, FRIDAY, FRIDAY)
        key, name = call.person.key, call.person.name
    for role in (Role.RESIDENT, Role.COORDINATOR):
        page = _get(api, role, "/on-call")
        assert _tonight(page) == {"CALL": [key], "backup": []}, role
        assert f'{name} <span class="pgy">PGY-{PGY[key]}</span>' in page
        assert "Fri 17:00 to Sat 07:00" in page
        assert "No backup" in page and "No one on call" in page  # Sunday-Thursday
        assert '<a href="/on-call"' in page  # in the navigation
    # Another day by address: a Monday has no call tonight, Friday is in its week.
    monday = _get(api, Role.FACULTY, "/on-call?day=2026-03-16")
    assert _tonight(monday) == {"CALL": [], "backup": []}
    assert f'<tr data-day="{FRIDAY.isoformat()}">' in monday
    # A week across block 10's end into block 11, which has nothing published, says so.
    across = _get(api, Role.RESIDENT, "/on-call?day=2026-04-03")
    assert "Nothing is published yet for block 11: its nights show no one." in across
    assert 'class="tonight"' in across


def test_a_draft_is_not_shown_and_the_page_says_nothing_is_published(
    api: Api, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _publish(capsys, publish=False)  # a draft: its calls are saved, not published
    with unit_of_work(api.engine) as session:
        drafted = session.scalar(select(func.count()).where(CallAssignment.date == FRIDAY))
    assert drafted == 1, "the draft has Friday's call, which the page must not show"
    page = html.unescape(_get(api, Role.RESIDENT, f"/on-call?day={FRIDAY.isoformat()}"))
    assert "Nothing is published for Friday 20 March 2026 to Thursday 26 March 2026" in page
    assert "(block 10)" in page
    assert 'class="tonight"' not in page and "data-person=" not in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # no database at stake
@pytest.mark.parametrize("typed", ["2026-13-01", "tomorrow"])
def test_a_bad_day_is_named_with_its_value_and_the_rule(api: Api, typed: str) -> None:
    page = html.unescape(_get(api, Role.RESIDENT, f"/on-call?day={typed}", status=422))
    assert f"day: '{typed}' is not a date of the form YYYY-MM-DD" in page
    assert 'aria-invalid="true"' in page and "<table" not in page
