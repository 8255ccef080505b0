"""The days before a block (its boundary context) as the engine reads them: an overnight shift
there is a night-float night, whose rest the block must keep; a day shift is not."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from residency.compliance.rules.base import DutyPeriod
from residency.rotations.duty_pattern import DutyKind, Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.duty_runs import NightFloatPostCall
from residency.scheduling.engine.items import boundary_items
from residency.scheduling.engine.problem import Assignment
from residency.scheduling.engine.results import Schedule

SUNDAY = ex.MONDAY - timedelta(days=1)


def _monday_morning_after(before: DutyPeriod) -> list[str]:
    problem = ex.week(
        residents=(ex.resident("r1"),), activities=(ex.elective(),), boundary=(before,)
    )
    schedule = Schedule(problem, (Assignment("r1", ex.MONDAY, Session.AM, "elective"),))
    return [v.detail for v in NightFloatPostCall().violations(schedule)]


def test_a_day_shift_before_the_block_asks_no_night_float_rest() -> None:
    start = datetime.combine(SUNDAY, time(7))
    ward_day = DutyPeriod("r1", 2, start, start + timedelta(hours=10), DutyKind.SHIFT)
    problem = ex.week(residents=(ex.resident("r1"),), boundary=(ward_day,))
    assert [i.night_float for i in boundary_items(problem, "r1")] == [False]
    assert _monday_morning_after(ward_day) == []


def test_a_night_before_the_block_keeps_its_rest_on_the_first_morning() -> None:
    night = ex.night_before("r1", SUNDAY)
    assert len(_monday_morning_after(night)) == 1
