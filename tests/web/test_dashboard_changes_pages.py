"""The dashboard's "Since block N was published": the manual edits of the published version,
the absences recorded since that overlap the block, and the block's drafts made since, each
linked; everything else (before the publish, a draft's edit, another block, an absence
outside the block or deleted, a run without a draft) left out. The rows are written by hand
with their moments (the audit log is append-only, so its events are inserted as they would
have been recorded); read-only, so SQLite only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.pages import cookie_of
from fixtures.published_rows import block_run
from residency import clock
from residency.absences.models import Absence, AbsenceType
from residency.audit.models import AuditEvent
from residency.auth.models import Role
from residency.calendar import service as calendar
from residency.db import unit_of_work
from residency.people.models import Person
from residency.scheduling.models import PublishedVersion, RunStatus, ScheduleRun
from residency.scheduling.runs.versions import scope_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SCOPE_10, SCOPE_9 = scope_of("block_schedule", 2025, 10), scope_of("block_schedule", 2025, 9)
PUBLISHED_AT = datetime(2026, 3, 15, 9, 0, tzinfo=clock.UTC)
BEFORE, AFTER = PUBLISHED_AT - timedelta(hours=2), PUBLISHED_AT + timedelta(hours=3)


@pytest.fixture(autouse=True)
def today_in_block_10(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: date(2026, 3, 20))


def _event(action: str, at: datetime, entity_id: str, **values: Any) -> AuditEvent:
    return AuditEvent(
        occurred_at=at,
        actor_kind="user",
        actor_name=values.pop("actor", "chief@example.org"),
        action=action,
        entity=values.pop("entity", "assignments"),
        entity_id=entity_id,
        person_key=values.pop("person_key", None),
        before=values.pop("before", None),
        after=values.pop("after", None),
    )


def _edit(at: datetime, scope: str, revision: int | None, before: Any, after: Any) -> AuditEvent:
    meta = {"scope": scope, "run_id": 1, "revision": revision, "overridden": False}
    return _event("schedule.edit", at, "7", before=before, after=(after or {}) | meta)


def _slot(key: str, day: str, session: str, rotation: str) -> dict[str, str]:
    return {"person_key": key, "day": day, "session": session, "rotation": rotation}


def _publish_block_10(api: Api) -> int:
    with unit_of_work(api.engine) as session:
        run_id = block_run(session)
        pointer = session.get(PublishedVersion, SCOPE_10)
        assert pointer is not None
        pointer.published_at = PUBLISHED_AT
        session.get(ScheduleRun, run_id).started_at = BEFORE  # type: ignore[union-attr]
    return run_id


def _absence(session: Any, key: str, start: date, end: date) -> int:
    person = session.scalars(select(Person).where(Person.key == key)).one()
    row = Absence(
        person_id=person.id, absence_type=AbsenceType.SICK, start_date=start, end_date=end
    )
    session.add(row)
    session.flush()
    return int(row.id)


def _draft(session: Any, started: datetime, status: RunStatus = RunStatus.SUCCEEDED) -> int:
    run_id = block_run(session, publish=False)
    run = session.get(ScheduleRun, run_id)
    run.started_at, run.status = started, status
    if status == RunStatus.FAILED:
        run.metrics = {}
    return run_id


def _section(api: Api, role: Role = Role.COORDINATOR) -> str:
    page = api.client.get("/", headers=cookie_of(api, role))
    assert page.status_code == 200, page.text
    found = re.search(r'<section class="panel since-publish".*?</section>', page.text, re.S)
    assert found is not None, page.text
    return found.group(0)


def _items(section: str, kind: str) -> list[str]:
    listed = re.search(rf'<ul class="link-list changes-{kind}">(.*?)</ul>', section, re.S)
    return [] if listed is None else re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)


def test_the_dashboard_lists_what_changed_since_the_publish_and_links_each(api: Api) -> None:
    _publish_block_10(api)
    with unit_of_work(api.engine) as session:
        new_sick = _absence(session, "r2", date(2026, 3, 24), date(2026, 3, 25))
        outside = _absence(session, "r3", date(2026, 5, 4), date(2026, 5, 5))
        older = _absence(session, "r4", date(2026, 3, 26), date(2026, 3, 26))
        gone = 9_999  # recorded since, then deleted: no longer anything to fit
        draft = _draft(session, AFTER)
        old_draft = _draft(session, BEFORE)
        _draft(session, AFTER, RunStatus.FAILED)
        ward, clin = (
            _slot("r1", "2026-03-17", "AM", "WARD"),
            _slot("r1", "2026-03-17", "AM", "CLIN"),
        )
        elec = _slot("r3", "2026-03-18", "PM", "ELEC")
        session.add_all(
            [
                _edit(BEFORE, SCOPE_10, 2, ward, clin),  # before the publish
                _edit(AFTER, SCOPE_10, 2, ward, clin),
                _edit(AFTER + timedelta(minutes=5), SCOPE_10, 3, elec, None),  # cleared
                _edit(AFTER, SCOPE_10, None, ward, clin),  # a draft's edit
                _edit(AFTER, SCOPE_9, 2, ward, clin),  # another block
            ]
            + [
                _event("absence.create", at, str(i), entity="absence", actor="coord@example.org")
                for i, at in ((new_sick, AFTER), (outside, AFTER), (older, BEFORE), (gone, AFTER))
            ]
        )
    section = _section(api)
    assert "Since block 10 was published" in section
    assert "published 2026-03-15 09:00 UTC" in section

    grid = "/blocks/10?year=2025&amp;person="
    assert _items(section, "edits") == [
        f'<a href="{grid}r1">r1, 2026-03-17 AM</a>: WARD to CLIN, by chief@example.org at '
        "2026-03-15 12:00 UTC",
        f'<a href="{grid}r3">r3, 2026-03-18 PM</a>: ELEC to empty, by chief@example.org at '
        "2026-03-15 12:05 UTC",
    ]
    assert _items(section, "absences") == [
        f'<a href="{grid}r2">Resident r2 (r2)</a>: sick 2026-03-24 to 2026-03-25, recorded by '
        "coord@example.org at 2026-03-15 12:00 UTC"
    ]
    drafts = _items(section, "drafts")
    assert drafts == [
        f'<a href="/runs/{draft}">Run {draft}</a>: succeeded, started 2026-03-15 12:00 UTC'
    ]
    assert f"/runs/{old_draft}" not in section
    assert "Nothing has changed" not in section
    assert _section(api, Role.ADMIN) == section  # staff both; residents see no staff part


def test_the_dashboard_says_when_nothing_changed_or_nothing_is_published(api: Api) -> None:
    assert "Nothing of block 10 is published yet." in _section(api)
    _publish_block_10(api)
    with unit_of_work(api.engine) as session:
        _draft(session, BEFORE)  # made before the publish: not a change since
        old = _slot("r1", "2026-03-17", "AM", "WARD")
        session.add(_edit(BEFORE, SCOPE_10, 2, old, old))
    section = _section(api)
    assert "Nothing has changed since" in section
    assert not any(_items(section, kind) for kind in ("edits", "absences", "drafts"))
    resident = api.client.get("/", headers=cookie_of(api, Role.RESIDENT)).text
    assert "since-publish" not in resident
