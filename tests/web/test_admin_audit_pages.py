"""The audit log page, `/admin/audit` (audit/pages.py): newest first, the filters of
audit.service.AuditFilter with its messages next to the fields, pages of 50 that follow one
another without a gap or an overlap, before and after side by side, and no secret. Read-only:
SQLite only."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fixtures.api import Api
from fixtures.pages import cookie_of, field_error, input_value
from residency import clock
from residency.audit.actor import Actor
from residency.audit.models import AuditEvent
from residency.audit.pages import PAGE_SIZE
from residency.audit.service import record
from residency.auth.models import Role
from residency.db import unit_of_work

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
_EVENT = re.compile(
    r'<tr data-event="(\d+)">(.*?)</td>\s*<td>(.*?)</td>\s*<td class="action">([^<]*)</td>', re.S
)
_OLDER = re.compile(r'<a href="([^"]+)" rel="next">')


def _events(page: str) -> list[tuple[int, str, str]]:
    """(id, who, action) of each event listed, in the page's order."""
    return [
        (int(eid), html.unescape(re.sub(r"<[^>]+>", "", who)).split(" (")[0].strip(), action)
        for eid, _, who, action in _EVENT.findall(page)
    ]


def _get(api: Api, query: str, role: Role = Role.ADMIN, status: int = 200) -> str:
    answer = api.client.get(f"/admin/audit{query}", headers=cookie_of(api, role))
    assert answer.status_code == status, answer.text
    return answer.text


def _stored(api: Api, **where: object) -> list[AuditEvent]:
    with unit_of_work(api.engine) as session:
        query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id.desc())
        return list(session.scalars(query))


def test_the_log_lists_every_event_newest_first(api: Api) -> None:
    listed = _events(_get(api, "", role=Role.COORDINATOR))
    stored = _stored(api)
    assert listed == [(e.id, e.actor_name, e.action) for e in stored]
    assert {"program.import", "user.create"} <= {action for _, _, action in listed}


def test_filters_narrow_the_list_and_are_kept_in_the_form(api: Api) -> None:
    page = _get(api, "?action=user.create&entity=user")
    assert [e for e, _, _ in _events(page)] == [e.id for e in _stored(api, action="user.create")]
    assert input_value(page, "action") == "user.create" and input_value(page, "entity") == "user"
    with unit_of_work(api.engine) as session:
        session.info["actor"] = Actor("user", "chief@example.org", api.user_ids[Role.ADMIN])
        mine = record(session, "person.update", "person", 7, person_key="r2").id
    assert [e for e, _, _ in _events(_get(api, "?actor=chief@example.org"))] == [mine]
    assert [e for e, _, _ in _events(_get(api, "?person=r2&entity_id=7"))] == [mine]
    assert _events(_get(api, "?person=r3")) == []


def test_a_date_range_includes_its_days_and_a_reversed_one_is_named_at_since(api: Api) -> None:
    today = clock.now().date()
    everything = len(_stored(api))
    assert len(_events(_get(api, f"?since={today}&until={today}"))) == everything
    assert _events(_get(api, f"?since={today + timedelta(days=1)}")) == []
    assert _events(_get(api, f"?until={today - timedelta(days=1)}")) == []
    page = _get(api, "?since=2026-03-02&until=2026-03-01", status=422)
    assert field_error(page, "since") == (
        "since: 2026-03-02T00:00:00+00:00 is after until: 2026-03-01T23:59:59.999999+00:00; "
        "since must not be later than until"
    )
    assert input_value(page, "until") == "2026-03-01" and _events(page) == []
    page = _get(api, "?until=yesterday", status=422)
    assert field_error(page, "until") == (
        "until: 'yesterday' is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM)"
    )


def test_pages_follow_one_another_without_a_gap_or_an_overlap(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        for number in range(PAGE_SIZE + 10):
            record(session, "test.event", "test", number)
    expected = [e.id for e in _stored(api, action="test.event")]
    first = _get(api, "?action=test.event")
    older = _OLDER.search(first)
    assert older is not None
    second = _get(api, html.unescape(older.group(1)).removeprefix("/admin/audit"))
    shown = [e for e, _, _ in _events(first)] + [e for e, _, _ in _events(second)]
    assert len(_events(first)) == PAGE_SIZE and shown == expected
    assert _OLDER.search(second) is None and "Newest events" in second
    assert input_value(second, "action") == "test.event"  # the filter is kept


def test_values_are_shown_before_and_after_and_a_secret_never(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        event = record(
            session,
            "user.update",
            "user",
            3,
            before={"name": "Dr One", "active": True, "password": "Old-Secret-Value-1"},
            after={"name": "Dr Uno", "active": True, "reset_token": "Tok-Secret-Value-2"},
        )
        kept = (event.before, event.after)
    assert kept == ({"name": "Dr One", "active": True}, {"name": "Dr Uno", "active": True})
    page = _get(api, "?action=user.update")
    row = page.split(f'<tr data-event="{event.id}">')[1].split("</table>")[0]
    cells = re.findall(
        r"<tr( class=\"changed\")?><th>([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>", row
    )
    assert cells == [
        (' class="changed"', "name", "Dr One", "Dr Uno"),
        ("", "active", "true", "true"),
    ]
    assert "Secret-Value" not in page
    created = _stored(api, action="user.create")[0].id  # a creation: nothing to compare
    row = _get(api, "").split(f'<tr data-event="{created}">')[1].split("</table>")[0]
    assert "<th>email</th>" in row and 'class="changed"' not in row


def test_a_bad_page_marker_is_named(api: Api) -> None:
    page = _get(api, "?before=abc", status=422)
    assert "before: &#39;abc&#39; is not an event&#39;s id" in page
