"""ACGME-24PLUS4 (VI.F.3.a): a continuous run may hold 24 h of clinical duty plus up to 4 h of
transition; a 25th clinical hour, or more than 28 h in total, breaks the rule."""

from compliance_helpers import duty, findings, lasting

from residency.compliance.rules import twenty_four_plus_four
from residency.compliance.rules.base import Severity


def test_24_hours_of_call_plus_4_hours_of_transition_pass() -> None:
    log = [duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")]
    log.append(lasting("2025-07-02T07:00", 4, "transition"))

    assert findings(log, twenty_four_plus_four) == []


def test_a_25th_clinical_hour_is_a_violation() -> None:
    log = [duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")]
    log.append(lasting("2025-07-02T07:00", 1, "shift"))

    [finding] = findings(log, twenty_four_plus_four)

    assert (finding.value, finding.limit, finding.unit) == (25.0, 24.0, "h clinical")
    assert finding.severity is Severity.VIOLATION
    assert (finding.period_start.isoformat(), finding.period_end.isoformat()) == (
        "2025-07-01T07:00:00",
        "2025-07-02T08:00:00",
    )


def test_more_than_four_hours_of_transition_is_a_violation() -> None:
    log = [duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")]
    log.append(lasting("2025-07-02T07:00", 4.5, "transition"))

    [finding] = findings(log, twenty_four_plus_four)

    assert (finding.value, finding.limit) == (28.5, 28.0)


def test_touching_periods_merge_into_one_run_but_a_gap_longer_than_the_break_splits_it() -> None:
    touching = [
        duty("2025-07-01T07:00", "2025-07-01T17:00"),
        duty("2025-07-01T17:00", "2025-07-02T08:00", "in_house_call"),
    ]
    split = [
        duty("2025-07-01T07:00", "2025-07-01T17:00"),
        duty("2025-07-01T18:01", "2025-07-02T08:00", "in_house_call"),  # 61 min > 60
    ]
    one_minute = [
        duty("2025-07-01T07:00", "2025-07-01T17:00"),
        duty("2025-07-01T17:01", "2025-07-02T08:00", "in_house_call"),
    ]

    [finding] = findings(touching, twenty_four_plus_four)
    assert finding.value == 25.0
    assert findings(split, twenty_four_plus_four) == []
    assert findings(one_minute, twenty_four_plus_four, continuous_break_minutes=0) == []


def test_overlapping_periods_count_their_union() -> None:
    log = [
        duty("2025-07-01T07:00", "2025-07-01T17:00"),
        duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call"),
    ]

    assert findings(log, twenty_four_plus_four) == []


def test_a_run_across_a_block_boundary_is_reported_once_from_its_start() -> None:
    log = [duty("2025-07-28T07:00", "2025-07-29T09:00", "in_house_call")]

    [finding] = findings(log, twenty_four_plus_four)

    assert finding.period_start.isoformat() == "2025-07-28T07:00:00"


def test_home_call_does_not_extend_a_run_but_home_call_work_does() -> None:
    base = [duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")]

    assert (
        findings([*base, lasting("2025-07-02T07:00", 10, "home_call")], twenty_four_plus_four) == []
    )
    assert (
        len(
            findings(
                [*base, lasting("2025-07-02T07:00", 1, "home_call_work")], twenty_four_plus_four
            )
        )
        == 1
    )
