"""ACGME-14H-AFTER-24 (VI.F.2.b): after a run of 24 h or more that includes in-house call, the
next duty must start at least 14 h after the run ends."""

from compliance_helpers import duty, findings, lasting

from residency.compliance.rules import rest_after_call

CALL = duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call")


def test_14_hours_after_a_24_hour_call_pass() -> None:
    assert findings([CALL, lasting("2025-07-02T21:00", 10)], rest_after_call) == []


def test_13_and_a_half_hours_after_a_24_hour_call_fail() -> None:
    [finding] = findings([CALL, lasting("2025-07-02T20:30", 10)], rest_after_call)

    assert (finding.value, finding.limit, finding.limit_is_minimum) == (13.5, 14.0, True)
    assert (finding.period_start.isoformat(), finding.period_end.isoformat()) == (
        "2025-07-02T07:00:00",
        "2025-07-02T20:30:00",
    )


def test_rest_counts_from_the_end_of_the_transition() -> None:
    log = [CALL, lasting("2025-07-02T07:00", 4, "transition"), lasting("2025-07-03T01:00", 4)]

    assert findings(log, rest_after_call) == []
    assert len(findings([*log[:2], lasting("2025-07-03T00:59", 4)], rest_after_call)) == 1


def test_no_requirement_after_a_shorter_call_or_a_long_run_without_call() -> None:
    short_call = duty("2025-07-01T07:00", "2025-07-02T06:59", "in_house_call")
    long_shift = duty("2025-07-01T07:00", "2025-07-02T07:00", "shift")
    next_duty = lasting("2025-07-02T12:00", 5)

    assert findings([short_call, next_duty], rest_after_call) == []
    assert findings([long_shift, next_duty], rest_after_call) == []


def test_being_called_in_from_home_breaks_the_rest_but_home_call_alone_does_not() -> None:
    assert findings([CALL, lasting("2025-07-02T12:00", 6, "home_call")], rest_after_call) == []
    assert (
        len(findings([CALL, lasting("2025-07-02T15:00", 1, "home_call_work")], rest_after_call))
        == 1
    )
