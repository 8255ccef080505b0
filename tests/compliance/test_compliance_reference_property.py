"""The checker and a slot-array reference implementation agree on every finding, on random
duty logs built from realistic days (shifts, 24 h calls with transitions, nights, home call,
moonlighting, leave) plus arbitrary extra periods that overlap them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_checker import SLOT_MINUTES, RefFinding, reference_check

from residency.compliance.rules.averaging import AveragingMode
from residency.compliance.rules.base import DutyKind, DutyPeriod, Finding
from residency.compliance.validator import CheckOptions, check_duty

# Origins near interesting dates: a block boundary, a leap day, the end of an academic year
# whose block 13 has 29 days, and one whose block 13 has 30 days.
ORIGINS = [date(2025, 7, 12), date(2028, 2, 10), date(2026, 6, 12), date(2028, 6, 12)]
HORIZON_DAYS = 36
NON_LEAVE_KINDS = [k for k in DutyKind if k is not DutyKind.LEAVE]

# (start hour, length hours, kind) for a typical day; "call" adds a transition after it.
DAY_TEMPLATES = {
    "off": [],
    "day": [(7, 10, DutyKind.SHIFT)],
    "long day": [(6, 14, DutyKind.SHIFT)],
    "call": [(7, 24, DutyKind.IN_HOUSE_CALL)],
    "split call": [(7, 10, DutyKind.SHIFT), (17, 14, DutyKind.IN_HOUSE_CALL)],
    "night": [(19, 12, DutyKind.SHIFT)],
    "home call": [(17, 14, DutyKind.HOME_CALL), (22, 2, DutyKind.HOME_CALL_WORK)],
    "moonlight": [(18, 6, DutyKind.MOONLIGHTING)],
}


def _at(origin: date, slots: int) -> datetime:
    return datetime(origin.year, origin.month, origin.day) + timedelta(minutes=SLOT_MINUTES * slots)


@st.composite
def person_log(draw: st.DrawFn, person: str, origin: date) -> list[DutyPeriod]:
    pgy = draw(st.sampled_from([1, 2, 3]))
    log: list[DutyPeriod] = []

    def add(start_slot: int, length_slots: int, kind: DutyKind) -> None:
        start = _at(origin, start_slot)
        log.append(
            DutyPeriod(
                person, pgy, start, start + timedelta(minutes=SLOT_MINUTES * length_slots), kind
            )
        )

    leave_days = _leave_days(draw)
    # Each person draws from their own mix of days, so some logs are call-heavy, some clean.
    templates = draw(st.lists(st.sampled_from(sorted(DAY_TEMPLATES)), min_size=1, max_size=4))
    for day in range(HORIZON_DAYS):
        if day in leave_days:
            add(day * 96, 96, DutyKind.LEAVE)
            continue
        jitter = draw(st.integers(-4, 4))  # +- 1 h, in 15-minute steps
        for hour, hours, kind in DAY_TEMPLATES[draw(st.sampled_from(templates))]:
            add(day * 96 + hour * 4 + jitter, hours * 4, kind)
            if kind is DutyKind.IN_HOUSE_CALL and hours >= 14:
                add(
                    day * 96 + (hour + hours) * 4 + jitter,
                    draw(st.integers(0, 20)),
                    DutyKind.TRANSITION,
                )
    for start, length, kind in draw(
        st.lists(
            st.tuples(
                st.integers(0, HORIZON_DAYS * 96),
                st.integers(1, 200),
                st.sampled_from(NON_LEAVE_KINDS),
            ),
            max_size=6,
        )
    ):
        add(start, length, kind)
    return [p for p in log if p.end > p.start]


def _leave_days(draw: st.DrawFn) -> set[int]:
    days: set[int] = set()
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, HORIZON_DAYS - 1))
        days.update(range(first, min(first + draw(st.integers(1, 12)), HORIZON_DAYS)))
    return days


@st.composite
def duty_logs(draw: st.DrawFn) -> list[DutyPeriod]:
    origin = draw(st.sampled_from(ORIGINS))
    people = draw(st.integers(1, 2))
    return [p for n in range(people) for p in draw(person_log(f"R{n}", origin))]


def _as_tuples(findings: list[Finding]) -> set[tuple[object, ...]]:
    return {
        (
            f.rule,
            f.person_id,
            f.period_start,
            f.period_end,
            f.severity.value,
            round(f.value, 6),
            f.limit,
        )
        for f in findings
    }


def _ref_tuples(findings: list[RefFinding]) -> set[tuple[object, ...]]:
    return {
        (f.rule, f.person_id, f.start, f.end, f.severity, round(f.value, 6), f.limit)
        for f in findings
    }


PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY_SETTINGS
@given(duty_logs())
def test_block_mode_agrees_with_the_reference(log: list[DutyPeriod]) -> None:
    result = check_duty(log)

    assert _as_tuples(result.findings) == _ref_tuples(reference_check(log))
    assert len(result.findings) == len(_as_tuples(result.findings))  # no duplicates


@PROPERTY_SETTINGS
@given(duty_logs(), st.sampled_from([0, 15, 45, 240]))
def test_the_continuous_break_setting_agrees_with_the_reference(
    log: list[DutyPeriod], break_minutes: int
) -> None:
    result = check_duty(log, CheckOptions(continuous_break_minutes=break_minutes))

    assert _as_tuples(result.findings) == _ref_tuples(
        reference_check(log, break_minutes=break_minutes)
    )


@PROPERTY_SETTINGS
@given(duty_logs())
def test_rolling_mode_agrees_with_the_reference(log: list[DutyPeriod]) -> None:
    result = check_duty(log, CheckOptions(mode=AveragingMode.ROLLING))

    assert _as_tuples(result.findings) == _ref_tuples(reference_check(log, rolling=True))


@PROPERTY_SETTINGS
@given(duty_logs())
def test_rolling_mode_is_at_least_as_strict_on_four_week_blocks(log: list[DutyPeriod]) -> None:
    # Every 28-day block lying inside the data span is also a rolling window.
    rolling = check_duty(log, CheckOptions(mode=AveragingMode.ROLLING))
    blocks = check_duty(log)
    averaged = {"ACGME-80H", "ACGME-1IN7", "ACGME-Q3-CALL"}
    for finding in blocks.violations:
        inside = any(
            p.person_id == finding.person_id and p.start <= finding.period_start for p in log
        ) and any(p.person_id == finding.person_id and p.end >= finding.period_end for p in log)
        if (
            finding.rule in averaged
            and inside
            and (finding.period_end - finding.period_start).days == 28
        ):
            assert any(
                r.rule == finding.rule
                and r.person_id == finding.person_id
                and r.period_start <= finding.period_start
                and r.period_end >= finding.period_end
                for r in rolling.violations
            )
