"""ACGME-1IN7 (VI.F.2.c): days off x 7 < eligible days breaks the rule. A day off is 24 h free
of every duty kind, home call included; a free stretch counts floor(length / 24 h) days."""

from datetime import datetime, timedelta

from compliance_helpers import BLOCK_1, BLOCK_2, at, check, duty, findings, leave

from residency.compliance.rules import one_day_off_in_seven
from residency.compliance.rules.base import DutyKind

BLOCK_START = datetime.combine(BLOCK_1, datetime.min.time())
BLOCK_END = datetime.combine(BLOCK_2, datetime.min.time())


def busy_except(*free: tuple[str, float], kind: DutyKind = DutyKind.HOME_CALL) -> list:
    """Block 1 covered by `kind`, except the given free stretches (start, hours)."""
    stretches = sorted((at(start), at(start) + timedelta(hours=hours)) for start, hours in free)
    log, cursor = [], BLOCK_START
    for start, end in stretches:
        log.append(duty(cursor, start, kind))
        cursor = end
    log.append(duty(cursor, BLOCK_END, kind))
    return log


def days_off(log: list) -> int:
    [stats] = [
        s for s in check(log, one_day_off_in_seven).period_stats if s.period.start == BLOCK_1
    ]
    return stats.days_off


def test_a_47_hour_free_stretch_is_one_day_off_and_48_hours_are_two() -> None:
    assert days_off(busy_except(("2025-07-05T08:00", 47))) == 1
    assert days_off(busy_except(("2025-07-05T08:00", 48))) == 2


def test_four_days_off_in_28_days_pass_and_three_fail() -> None:
    four = busy_except(*((f"2025-07-{day:02d}T06:00", 24) for day in (5, 12, 19, 26)))
    three = busy_except(*((f"2025-07-{day:02d}T06:00", 24) for day in (5, 12, 19)))

    assert findings(four, one_day_off_in_seven) == []
    [finding] = findings(three, one_day_off_in_seven)
    assert (finding.value, finding.limit, finding.limit_is_minimum) == (3, 4, True)
    assert finding.citation == "ACGME CPR VI.F.2.c"


def test_23_hours_59_minutes_free_is_not_a_day_off() -> None:
    log = busy_except(*((f"2025-07-{day:02d}T06:00", 24 - 1 / 60) for day in (5, 12, 19, 26)))

    [finding] = findings(log, one_day_off_in_seven)

    assert finding.value == 0


def test_leave_shrinks_the_requirement_and_is_not_a_day_off() -> None:
    # 7 leave days: 21 eligible days need 3 days off. Home call fills the rest of the block but
    # for three free days; the leave week itself is not free time.
    log = [
        leave(BLOCK_1, 7),
        duty("2025-07-08T00:00", "2025-07-12T00:00", "home_call"),
        duty("2025-07-13T00:00", "2025-07-19T00:00", "home_call"),
        duty("2025-07-20T00:00", "2025-07-26T00:00", "home_call"),
        duty("2025-07-27T00:00", BLOCK_END, "home_call"),
    ]

    result = check(log, one_day_off_in_seven)

    [stats] = [s for s in result.period_stats if s.period.start == BLOCK_1]
    assert (stats.eligible_days, stats.days_off, stats.days_off_required) == (21, 3, 3)
    assert result.findings == []


def test_a_free_stretch_across_a_block_boundary_counts_only_inside_each_block() -> None:
    # Free 2025-07-28 12:00 to 2025-07-29 12:00 is a real day off, but 12 h of it lie in each
    # block: clipped to its period it counts in neither (documented, conservative choice).
    log = [
        duty(BLOCK_START, "2025-07-28T12:00", "home_call"),
        duty("2025-07-29T12:00", BLOCK_END + timedelta(days=28), "home_call"),
    ]
    stats = check(log, one_day_off_in_seven).period_stats

    assert [s.days_off for s in stats] == [0, 0]


def test_leave_removes_a_whole_block_from_the_requirement() -> None:
    log = [leave(BLOCK_1, 7), duty("2025-07-08T00:00", BLOCK_END, "home_call")]

    [finding] = findings(log, one_day_off_in_seven)

    assert (finding.value, finding.limit) == (0, 3)
