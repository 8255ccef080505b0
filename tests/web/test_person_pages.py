"""A person's page, `/people/{key}`, and its service (scheduling/block/person_view.py) over a
published block 10 written row by row (tests/fixtures/published_rows.py), so every figure is
counted by hand: the days, the hours per week as the compliance checker measures them, calls,
weekend calls and holidays so far, the year's plan, absences; who may open whose page."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from fixtures.api import Api
from fixtures.block_program import BLOCK, YEAR
from fixtures.pages import cookie_of
from fixtures.published_rows import EASTER, HOLIDAY, seed_worked_block
from residency.auth.models import Role
from residency.calendar import service as calendar
from residency.db import unit_of_work
from residency.people.service import person_by_key
from residency.scheduling.block.person_view import person_page, week_periods
from residency.scheduling.block.verdict import check_block_version

TODAY = date(2026, 3, 31)  # block 10, week 4
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def worked(api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setattr(calendar, "local_today", lambda: TODAY)
    with unit_of_work(api.engine) as session:
        seed_worked_block(session)
    return api


def _get(api: Api, role: Role, path: str, status: int = 200) -> str:
    answer = api.client.get(path, headers=cookie_of(api, role), follow_redirects=False)
    assert answer.status_code == status, answer.text
    return html.unescape(answer.text)


def _row(page: str, attribute: str, value: str) -> str:
    found = re.search(rf'<tr data-{attribute}="{value}"[^>]*>(.*?)</tr>', page, re.S)
    assert found is not None, f"no row {attribute}={value}"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_weeks_of_a_block_join_a_short_remainder_to_the_last() -> None:
    start = date(2026, 6, 2)
    lengths = {
        days: [p.days for p in week_periods(start, start + timedelta(days=days - 1))]
        for days in (28, 29, 30, 31, 32)
    }
    assert lengths == {28: [7] * 4, 29: [7, 7, 7, 8], 30: [7, 7, 7, 9], 31: [7, 7, 7, 10],
                       32: [7, 7, 7, 7, 4]}  # fmt: skip


def test_the_service_counts_the_block_hours_calls_and_holidays_by_hand(worked: Api) -> None:
    with unit_of_work(worked.engine) as session:
        r1 = person_by_key(session, "r1")
        shown = person_page(session, r1, YEAR, BLOCK, TODAY)
        checker = check_block_version(session, YEAR, BLOCK)
        nobody = person_page(session, person_by_key(session, "r3"), YEAR, BLOCK, TODAY)
        unpublished = person_page(session, r1, YEAR, BLOCK - 1, TODAY)
    assert (shown.pgy, shown.block, shown.start, shown.block_published) == (
        1, BLOCK, date(2026, 3, 10), True
    )  # fmt: skip
    days = {d.day: d for d in shown.days}
    assert len(days) == 28
    friday = days[date(2026, 3, 13)]
    assert (friday.am, friday.pm, friday.call, friday.post_call) == ("WARD", "", True, False)
    assert days[date(2026, 3, 14)].post_call and not days[date(2026, 3, 14)].call
    assert not days[date(2026, 3, 20)].call, "the draft's call is not published"
    assert [d.day.day for d in shown.days if d.absence == "vacation"] == [24, 25, 26]
    assert days[HOLIDAY].holiday == "Test Day" and days[HOLIDAY].am == "WARD"
    assert days[EASTER].weekend and days[EASTER].call
    # Hours: the checker's timeline, week by week (Tuesday to Monday), leave removed.
    assert shown.hours is not None
    weeks = [(w.hours, w.leave_days, w.eligible_days, w.hours_per_week) for w in shown.hours.weeks]
    assert weeks == [(64.0, 0, 7, 64.0), (14.0, 0, 7, 14.0), (10.0, 3, 4, 17.5), (14.0, 0, 7, 14.0)]
    assert shown.hours.average == pytest.approx(102 * 7 / 25)  # 102 h over 25 eligible days
    (block_stats,) = [s for s in checker.period_stats if s.person_id == "r1"]
    assert shown.hours.average == block_stats.hours_per_week, "the checker's own figure"
    assert list(shown.hours.findings) == [f for f in checker.findings if f.person_id == "r1"]
    # So far (through 31 March): Fri 13 and Sat 21; Easter is still to come, the backup and
    # the draft's call are not calls.
    assert shown.through == TODAY
    assert [c.night for c in shown.worked.calls] == [date(2026, 3, 13), date(2026, 3, 21)]
    assert shown.worked.weekend_calls == 1
    assert shown.worked.holidays == ((HOLIDAY, "Test Day"),)
    plan = {b.number: (b.first_half, b.second_half) for b in shown.plan}
    assert plan[BLOCK] == ("WARD", "WARD") and plan[1] == ("", "") and len(plan) == 13
    # Nothing of r3's is published in block 10: no hours (a chart of zeros); nothing is
    # published in block 9: no chart.
    assert nobody.hours is not None and nobody.hours.findings == ()
    assert [w.hours_per_week for w in nobody.hours.weeks] == [0.0] * 4
    assert nobody.hours.average == 0.0 and unpublished.hours is None
    assert [(a.absence_type, a.start, a.note) for a in shown.absences] == [
        ("vacation", date(2026, 3, 24), "family visit")
    ]


@SQLITE_ONLY
def test_a_resident_sees_their_page_with_the_chart_and_the_80_hour_line(worked: Api) -> None:
    home = _get(worked, Role.RESIDENT, "/")
    assert '<a href="/people/r1">' in home, "the dashboard links the resident's own page"
    page = _get(worked, Role.RESIDENT, "/people/r1")  # today's block: 10
    assert "Block 10: Tue 10 Mar to Mon 06 Apr 2026" in page
    assert "WARD" in _row(page, "day", "2026-03-13") and "on call" in _row(
        page, "day", "2026-03-13"
    )
    assert "vacation" in _row(page, "day", "2026-03-24")
    assert "on call" not in _row(page, "day", "2026-03-20")  # the draft's
    assert re.search(r'<line class="limit" data-hours="80"', page)
    assert len(re.findall(r'<rect class="bar', page)) == 4
    assert "80 h limit" in page
    cells = [_row(page, "week", str(n)).split() for n in range(1, 5)]
    assert [c[-1] for c in cells] == ["64.0", "14.0", "17.5", "14.0"]
    words = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Block average: 28.6 h/week, 51.4 under the limit of 80" in words
    tallies = dict(re.findall(r'<dd data-tally="([a-z_]+)">(\d+)</dd>', page))
    assert tallies == {"calls": "2", "weekend_calls": "1", "holidays": "1"}
    assert 'data-holiday="2026-03-27"' in page and 'data-night="2026-04-05"' not in page
    assert 'class="current"' in page.split('<tr data-block="10"')[1].split(">")[0]
    assert "vacation: 24 Mar 2026 to 26 Mar 2026: family visit" in page
    other = _get(worked, Role.RESIDENT, "/people/r1?block=9")
    assert "Nothing is published for block 9 yet" in other
    assert "No duty is published for block 9." in other


@SQLITE_ONLY
def test_only_staff_open_another_persons_page(worked: Api) -> None:
    refused = _get(worked, Role.RESIDENT, "/people/r2", status=403)
    assert "a resident may open only their own page" in refused
    _get(worked, Role.RESIDENT, "/people/nobody", status=403)  # no telling who exists
    _get(worked, Role.FACULTY, "/people/r1", status=403)
    for role in (Role.COORDINATOR, Role.ADMIN):
        page = _get(worked, role, "/people/r2")
        assert "Resident r2" in page and "your page" not in page
        missing = _get(worked, role, "/people/nobody", status=404)
        assert "no person has the key 'nobody'" in missing
    faculty = _get(worked, Role.FACULTY, "/people/f1")
    assert "Duty hours are counted for residents" in faculty
    assert "The year's rotations" not in faculty and "your page" in faculty
    grid = _get(worked, Role.COORDINATOR, "/blocks/10")
    assert '<a href="/people/r1?block=10">Resident r1</a>' in grid  # staff: names link
    assert 'href="/people/' not in _get(worked, Role.RESIDENT, "/blocks/10")
    with unit_of_work(worked.engine) as session:
        calendar.ensure_academic_year(session, YEAR + 1)  # r1 has no PGY level in it
    later = _get(worked, Role.COORDINATOR, f"/people/r1?year={YEAR + 1}&block=1")
    assert "Resident, no PGY level in 2026-2027" in later and 'class="hours-chart"' not in later
    bad = _get(worked, Role.COORDINATOR, "/people/r1?block=14", status=422)
    assert "block" in bad
