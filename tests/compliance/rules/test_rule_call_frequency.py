"""ACGME-Q3-CALL (VI.F.7): in-house calls starting in the period x 3 > eligible days breaks the
rule; 28 eligible days allow 9 calls."""

from datetime import timedelta

from compliance_helpers import BLOCK_1, findings, lasting, leave

from residency.compliance.rules import call_frequency


def calls_every_third_day(count: int, first_offset: int = 0) -> list:
    return [
        lasting(f"{BLOCK_1 + timedelta(days=first_offset + 3 * k)}T17:00", 14, "in_house_call")
        for k in range(count)
    ]


def test_9_calls_in_28_days_pass() -> None:
    assert findings(calls_every_third_day(9), call_frequency) == []


def test_10_calls_in_28_days_fail() -> None:
    log = [*calls_every_third_day(9), lasting("2025-07-28T17:00", 5, "in_house_call")]

    [finding] = findings(log, call_frequency)

    assert (finding.value, finding.limit) == (10, 9)
    assert finding.citation == "ACGME CPR VI.F.7"


def test_leave_lowers_the_allowance() -> None:
    # 7 leave days leave 21 eligible days: 7 calls allowed, 8 are too many.
    seven = calls_every_third_day(7, first_offset=7)

    assert findings([leave(BLOCK_1, 7), *seven], call_frequency) == []
    extra = lasting("2025-07-28T17:00", 5, "in_house_call")
    assert len(findings([leave(BLOCK_1, 7), *seven, extra], call_frequency)) == 1


def test_a_call_logged_as_two_touching_rows_counts_once() -> None:
    log = []
    for k in range(9):
        day = BLOCK_1 + timedelta(days=3 * k)
        log.append(lasting(f"{day}T17:00", 7, "in_house_call"))
        log.append(lasting(f"{day + timedelta(days=1)}T00:00", 7, "in_house_call"))

    assert findings(log, call_frequency) == []


def test_home_call_does_not_count() -> None:
    log = [*calls_every_third_day(9), lasting("2025-07-28T17:00", 5, "home_call")]

    assert findings(log, call_frequency) == []
