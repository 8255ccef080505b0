"""Fairness, `/fairness`, and its service (scheduling/fairness.py) over a published block 10
written row by row (tests/fixtures/published_rows.py): calls, weekend calls, holidays worked
and inpatient weeks per resident within each PGY, the spreads, and the soft rules named from
the engines' registries."""

from __future__ import annotations

import html
import re

import pytest

from fixtures.api import Api
from fixtures.block_program import YEAR
from fixtures.pages import cookie_of
from fixtures.published_rows import seed_worked_block
from residency.auth.models import Role
from residency.db import unit_of_work
from residency.scheduling.engine.annual.constraints.registry import annual_rule
from residency.scheduling.engine.constraints.registry import by_name
from residency.scheduling.fairness import fairness

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
# Counted by hand from the scenario: (calls, weekend calls, holidays, inpatient weeks).
EXPECTED = {
    1: {"r1": (3, 2, 2, 4.0)},  # Fri 13, Sat 21, Easter Sunday; WARD Fri 27 and Easter
    2: {"r2": (2, 1, 1, 4.0), "r3": (0, 0, 0, 0.0)},  # a weekend-type call on the holiday
    3: {"r4": (1, 1, 0, 2.0)},  # WARD for the second half of block 10 only
}
SPREADS = {
    1: {"calls": 0, "weekend_calls": 0, "holidays": 0, "inpatient_weeks": 0},
    2: {"calls": 2, "weekend_calls": 1, "holidays": 1, "inpatient_weeks": 4},
    3: {"calls": 0, "weekend_calls": 0, "holidays": 0, "inpatient_weeks": 0},
}
SHAPING = [  # the soft rules of call_equity.py (block) and spread.py (annual plan)
    ("SundayCallEquity", "block schedule"),
    ("CallSpacing", "block schedule"),
    ("WeekdayCallEquity", "block schedule"),
    ("TuesdayCallPreference", "block schedule"),
    ("SpreadHardRotations", "annual plan"),
    ("InpatientLoadBalance", "annual plan"),
]


def _get(api: Api, role: Role, path: str) -> str:
    answer = api.client.get(path, headers=cookie_of(api, role), follow_redirects=False)
    assert answer.status_code == 200, answer.text
    return html.unescape(answer.text)


def test_the_year_is_counted_per_resident_within_each_pgy(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        before = fairness(session, YEAR)
        seed_worked_block(session)
    with unit_of_work(api.engine) as session:
        shown = fairness(session, YEAR)
    assert before.published_blocks == ()
    assert all(r.calls == r.inpatient_weeks == 0 for g in before.groups for r in g.rows)
    assert shown.published_blocks == (10,)
    found = {
        g.pgy: {
            r.person_key: (r.calls, r.weekend_calls, r.holidays, r.inpatient_weeks) for r in g.rows
        }
        for g in shown.groups
    }
    assert found == EXPECTED
    assert {g.pgy: g.spread for g in shown.groups} == SPREADS
    assert [(r.name, r.level) for r in shown.rules] == SHAPING
    for rule in shown.rules:
        source = by_name(rule.name) if rule.level == "block schedule" else annual_rule(rule.name)
        assert (rule.weight, rule.reason) == (source.weight, source.reason) and not source.hard


@SQLITE_ONLY
def test_every_role_reads_the_table_the_spreads_and_the_rules(api: Api) -> None:
    with unit_of_work(api.engine) as session:
        seed_worked_block(session)
    for role in (Role.RESIDENT, Role.FACULTY, Role.COORDINATOR):
        page = _get(api, role, "/fairness")
        assert "Fairness, 2025-2026" in page and "published blocks of 2025-2026: block 10" in page
        for pgy, people in EXPECTED.items():
            table = page.split(f'<table class="fairness" data-pgy="{pgy}">')[1].split("</table>")[0]
            for key, expected in people.items():
                row = table.split(f'<tr data-person="{key}">')[1].split("</tr>")[0]
                cells = re.findall(r'<td data-column="[a-z_]+">([^<]*)</td>', row)
                assert cells == [str(expected[0]), str(expected[1]), str(expected[2]),
                                 f"{expected[3]:g}"], (role, key)  # fmt: skip
            spread = table.split('<tr class="spread">')[1].split("</tr>")[0]
            cells = re.findall(r'<td data-column="([a-z_]+)">([^<]*)</td>', spread)
            assert {c: float(v) for c, v in cells} == SPREADS[pgy]
        sunday = by_name("SundayCallEquity")
        assert f"SundayCallEquity</strong> (block schedule, weight {sunday.weight}): " in page
        assert sunday.reason in page
        assert 'href="/fairness"' in page.split('<nav class="site-nav"')[1].split("</nav>")[0]
        missing = api.client.get("/fairness?year=2030", headers=cookie_of(api, role))
        assert missing.status_code == 404 and "academic year 2030 is not in the database" in (
            missing.text
        )
        # Names link to the person pages the reader may open: staff all, a resident their own.
        linked = set(re.findall(r'<a href="/people/([a-z0-9]+)">', page))
        assert linked == ({"r1"} if role == Role.RESIDENT else set() if role == Role.FACULTY
                          else {"r1", "r2", "r3", "r4"}), role  # fmt: skip
