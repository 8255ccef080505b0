"""EightHoursOff (ACGME VI.F.2.a) and the program's continuous break in the engine: it avoids a
split day when it can, names the gap when it cannot, and agrees with the checker on both."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from engine_duty import schedule_duty
from hypothesis import given, settings
from hypothesis import strategies as st

from residency.compliance.validator import CheckOptions, check_duty
from residency.rotations.duty_pattern import DutyKind, DutyPattern, Session
from residency.scheduling.engine import examples as ex
from residency.scheduling.engine.constraints.registry import REGISTRY, by_name
from residency.scheduling.engine.items import candidate_call_keys, candidate_slot_keys
from residency.scheduling.engine.problem import (
    Activity,
    ActivityKind,
    Assignment,
    CallAssignment,
    Lock,
    Policy,
    Problem,
    Request,
)
from residency.scheduling.engine.results import Schedule, SolveMode, SolveParams
from residency.scheduling.engine.solve import solve

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=1, mode=SolveMode.OPTIMIZE)
RULE = by_name("EightHoursOff")
TUESDAY = ex.MONDAY + timedelta(days=1)


def eight_hour_warnings(problem: Problem, schedule: Schedule) -> list[object]:
    options = CheckOptions(continuous_break_minutes=problem.policy.continuous_break_minutes)
    result = check_duty(schedule_duty(problem, schedule), options)
    return [f for f in result.warnings if f.rule == "ACGME-8H-BETWEEN"]


def test_a_split_day_that_cannot_be_avoided_is_kept_and_named_in_the_penalty_table():
    # Monday morning is locked and r1 is the only one for Monday's 19:00 call: a 7 h gap.
    problem = replace(RULE.micro_problem(), locks=(Lock("r1", ex.MONDAY, "elective", Session.AM),))

    solution = solve(problem, PARAMS)

    schedule = solution.schedule(problem)
    assert solution.penalties["EightHoursOff"] == RULE.weight
    [gap] = RULE.violations(schedule)
    assert (gap.person_id, gap.day) == ("r1", ex.MONDAY)
    [warning] = eight_hour_warnings(problem, schedule)
    assert (warning.period_start.hour, warning.value) == (12, 7.0)


def test_an_avoidable_split_day_is_avoided_and_the_checker_agrees():
    problem = RULE.micro_problem()

    schedule = solve(problem, PARAMS).schedule(problem)

    assert Assignment("r1", ex.MONDAY, Session.AM, "elective") not in schedule.assignments
    assert RULE.violations(schedule) == []
    assert eight_hour_warnings(problem, schedule) == []


def both_halves_wanted(break_minutes: int) -> Problem:
    # The elective runs 08:00-12:00 and 13:00-17:00: a 60-minute lunch.
    return ex.week(
        residents=(ex.resident("r1"),),
        activities=(ex.elective(),),
        requests=tuple(Request("r1", ex.MONDAY, "elective", s) for s in (Session.AM, Session.PM)),
        policy=Policy(continuous_break_minutes=break_minutes),
    )


def test_a_lunch_no_longer_than_the_break_is_part_of_the_day():
    problem = both_halves_wanted(60)

    solution = solve(problem, PARAMS)

    assert len(solution.assignments) == 2
    assert solution.notes["EightHoursOff"].startswith("inactive")  # no gap to penalise


def test_a_lunch_longer_than_the_break_splits_the_day_and_one_half_is_given_up():
    problem = both_halves_wanted(59)

    solution = solve(problem, PARAMS)

    assert len(solution.assignments) == 1  # a request (3) is cheaper than a split day (50)
    both = Schedule(problem, tuple(Assignment("r1", ex.MONDAY, s, "elective") for s in Session))
    assert len(RULE.violations(both)) == len(eight_hour_warnings(problem, both)) == 1


def long_day(break_minutes: int) -> Problem:
    # 07:00-11:30, 12:00-07:00 and 07:00-11:30: 28 h of duty, 28.5 h long with the lunch.
    pattern = DutyPattern(ex.shifts((0, 1), "07:00", "11:30") + ex.shifts((0,), "12:00", "07:00"))
    service = Activity("long", "Long service", ActivityKind.ELECTIVE, pattern, rotation_only=False)
    wanted = [(ex.MONDAY, Session.AM), (ex.MONDAY, Session.PM), (TUESDAY, Session.AM)]
    return ex.week(
        residents=(ex.resident("r1"),),
        activities=(service,),
        requests=tuple(Request("r1", day, "long", s) for day, s in wanted),
        policy=Policy(continuous_break_minutes=break_minutes),
    )


def test_the_24_plus_4_rule_sees_a_run_through_a_break():
    joined, split = long_day(60), long_day(0)
    without_gap_rule = [c for c in REGISTRY if c.name != "EightHoursOff"]

    kept = solve(joined, PARAMS, without_gap_rule).schedule(joined)
    all_three = solve(split, PARAMS, without_gap_rule).schedule(split)

    assert len(kept.assignments) == 2 and len(all_three.assignments) == 3
    rule = by_name("TwentyFourPlusFour")
    assert rule.violations(kept) == [] and rule.violations(all_three) == []
    assert rule.violations(Schedule(joined, all_three.assignments))  # 28 h clinical in one run
    for problem, schedule in ((joined, kept), (split, all_three)):
        options = CheckOptions(continuous_break_minutes=problem.policy.continuous_break_minutes)
        assert check_duty(schedule_duty(problem, schedule), options).violations == []


def varied_week(break_minutes: int) -> Problem:
    """Sessions that touch, sit 30, 60 or 90 minutes apart, and in-house calls at 17:00 and
    19:00: every kind of gap the two sides must see alike."""
    late_pm = Activity(
        "late",
        "Late afternoon",
        ActivityKind.ELECTIVE,
        ex.half_days(ex.EVERY_DAY, am=("07:30", "11:30"), pm=("13:30", "18:00")),
    )
    early_call = replace(
        ex.call(service_id="early"),
        pattern=DutyPattern(ex.shifts(ex.EVERY_DAY, "17:00", "08:00", DutyKind.IN_HOUSE_CALL)),
    )
    return ex.week(
        residents=(ex.resident("r1"), ex.resident("r2")),
        activities=(ex.wards(), ex.clinic(ex.EVERY_DAY), ex.night_float(), late_pm),
        call_services=(ex.call(), early_call),
        policy=Policy(continuous_break_minutes=break_minutes),
    )


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from([0, 30, 60, 120]))
def test_the_engine_and_the_checker_see_the_same_short_gaps(data, break_minutes):
    problem = varied_week(break_minutes)
    slots = [
        Assignment(k.person_id, k.day, k.session, k.activity_id)
        for k in candidate_slot_keys(problem)
    ]
    calls = [CallAssignment(k.person_id, k.day, k.service_id) for k in candidate_call_keys(problem)]
    schedule = Schedule(
        problem,
        tuple(data.draw(st.lists(st.sampled_from(slots), max_size=14, unique=True))),
        tuple(data.draw(st.lists(st.sampled_from(calls), max_size=3, unique=True))),
    )

    engine = sorted((v.person_id, v.day) for v in RULE.violations(schedule))
    checker = sorted(
        (f.person_id, f.period_end.date()) for f in eight_hour_warnings(problem, schedule)
    )

    assert engine == checker
