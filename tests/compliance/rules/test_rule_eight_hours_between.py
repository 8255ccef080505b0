"""ACGME-8H-BETWEEN (VI.F.2.a, a "should"): a gap between runs of more than 0 and less than
8 h is a warning; the gap after 24 h of in-house call is left to the 14 h rule."""

from compliance_helpers import check, duty, findings, lasting

from residency.compliance.rules import eight_hours_between
from residency.compliance.rules.base import Severity
from residency.compliance.validator import check_duty

DAY_SHIFT = duty("2025-07-01T07:00", "2025-07-01T19:00")


def test_eight_hours_off_pass() -> None:
    assert findings([DAY_SHIFT, lasting("2025-07-02T03:00", 4)], eight_hours_between) == []


def test_seven_and_a_half_hours_off_are_a_warning_not_a_violation() -> None:
    log = [DAY_SHIFT, lasting("2025-07-02T02:30", 4)]

    result = check(log, eight_hours_between)

    [finding] = result.warnings
    assert (finding.value, finding.limit, finding.severity) == (7.5, 8.0, Severity.WARNING)
    assert result.violations == []


def test_the_gap_after_a_long_call_is_reported_once_by_the_14_hour_rule() -> None:
    log = [
        duty("2025-07-01T07:00", "2025-07-02T07:00", "in_house_call"),
        lasting("2025-07-02T12:00", 4),
    ]

    result = check_duty(log)

    assert [f.rule for f in result.findings] == ["ACGME-14H-AFTER-24"]
