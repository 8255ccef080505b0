"""The engine's Problem built from the database for the demo program's Block 10 (no solving)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fixtures.fallback_plan import DEMO_BLOCK_PLAN, fixed_block_plan
from residency.calendar.models import HalfDay
from residency.people.models import Person
from residency.program.demo import DEMO_YEAR, demo_program
from residency.program.service import import_program
from residency.rotations import edits
from residency.rotations.duty_pattern import DutyKind
from residency.rotations.duty_pattern import Session as HalfDaySession
from residency.rotations.models import RotationTemplate
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.rows import FMIT_ROW
from residency.scheduling.engine.problem import FMIT_ACTIVITY, ActivityKind, FacultyRole
from residency.scheduling.models import Assignment, AssignmentSource, CallAssignment, CallType

MIDDLE = date(2026, 3, 24)  # Block 10 runs 2026-03-10 to 2026-04-06: 14 + 14 days


def _seeded(session: Session) -> None:
    import_program(session, demo_program())
    fixed_block_plan(session, DEMO_YEAR, 10, DEMO_BLOCK_PLAN)


def _person(session: Session, key: str) -> Person:
    return session.scalars(select(Person).where(Person.key == key)).one()


def test_residents_rotations_and_half_blocks_come_from_the_plan(session: Session) -> None:
    _seeded(session)
    problem = build_block_problem(session, DEMO_YEAR, 10).problem
    residents = {r.id: r for r in problem.residents}
    assert len(residents) == 18 and residents["res-pgy1-01"].pgy == 1
    assert residents["res-pgy1-01"].rotation_id == "FMIT"
    night_first = residents["res-pgy2-02"]
    assert night_first.rotation_on(MIDDLE.replace(day=23)) == "FMIT-NF"
    assert night_first.rotation_on(MIDDLE) == "ELEC"
    assert all(r.clinic_id == "CC" for r in residents.values())
    kinds = {a.id: a.kind for a in problem.activities}
    assert kinds["FMIT"] == ActivityKind.INPATIENT and kinds["LD"] == ActivityKind.ELECTIVE
    assert kinds["CC"] == ActivityKind.CLINIC and kinds["DID"] == ActivityKind.DIDACTICS
    assert "ICU" not in kinds  # nobody is on it and it has no minimum
    assert [s.id for s in problem.call_services] == ["CALL"]


def test_faculty_absences_and_policy(session: Session) -> None:
    _seeded(session)
    problem = build_block_problem(session, DEMO_YEAR, 10).problem
    faculty = {f.id: f for f in problem.faculty}
    assert faculty["fac-01"].role == FacultyRole.PROGRAM_DIRECTOR
    assert [f.id for f in faculty.values() if f.fmit_eligible] == [
        f"fac-{n:02d}" for n in (6, 7, 8, 9, 10)
    ]
    absences = {(a.person_id, a.kind): a for a in problem.absences}
    assert absences[("res-pgy2-05", "deployment")].is_leave
    assert not absences[("res-pgy3-04", "conference")].is_leave
    assert absences[("fac-07", "tdy")].blocking
    policy = problem.policy
    assert policy.wednesday is not None and policy.fmit is not None
    assert policy.faculty_weekly_clinic_limits[FacultyRole.DEPARTMENT_CHIEF] == 1
    assert policy.clinic_halfdays_per_week == {1: 1, 2: 2, 3: 2}


def test_kept_rows_become_locks_and_the_week_before_is_boundary(session: Session) -> None:
    _seeded(session)
    templates = {t.abbreviation: t.id for t in session.scalars(select(RotationTemplate))}
    half_days = {(h.date, h.session): h.id for h in session.scalars(select(HalfDay))}
    resident, attending = _person(session, "res-pgy3-05"), _person(session, "fac-08")
    manual = AssignmentSource.MANUAL
    session.add_all(
        [
            Assignment(
                person_id=resident.id,
                half_day_id=half_days[(date(2026, 3, 11), HalfDaySession.AM)],
                rotation_id=templates["PROC"],
                activity="elective",
                source=manual,
            ),
            Assignment(
                person_id=attending.id,
                half_day_id=half_days[(date(2026, 3, 13), HalfDaySession.AM)],
                rotation_id=templates["FMIT"],
                activity=FMIT_ROW,
                locked=True,
            ),
            CallAssignment(
                person_id=resident.id,
                date=date(2026, 3, 9),
                call_type=CallType.IN_HOUSE,
                starts_at=datetime(2026, 3, 9, 17),
                ends_at=datetime(2026, 3, 10, 7),
            ),
        ]
    )
    session.flush()
    problem = build_block_problem(session, DEMO_YEAR, 10).problem
    locks = {(lock.person_id, lock.day, lock.activity_id, lock.session) for lock in problem.locks}
    assert ("res-pgy3-05", date(2026, 3, 11), "PROC", HalfDaySession.AM) in locks
    assert ("fac-08", date(2026, 3, 13), FMIT_ACTIVITY, None) in locks
    (before,) = [p for p in problem.boundary if p.kind != DutyKind.LEAVE]
    assert (before.person_id, before.kind, before.end) == (
        "res-pgy3-05",
        DutyKind.IN_HOUSE_CALL,
        datetime(2026, 3, 10, 7),
    )


def _plan_half_as_vacation(session: Session, person_key: str, half: int) -> None:
    from residency.scheduling.models import RotationPlanEntry

    vacation = session.scalars(
        select(RotationTemplate).where(RotationTemplate.abbreviation == "VAC")
    ).one()
    entry = session.scalars(
        select(RotationPlanEntry).where(
            RotationPlanEntry.person_id == _person(session, person_key).id,
            RotationPlanEntry.block_number == 10,
            RotationPlanEntry.block_half == half,
        )
    ).one()
    entry.rotation_id = vacation.id
    session.flush()


def test_a_vacation_half_in_the_plan_is_leave_for_engine_and_checker(session: Session) -> None:
    from residency.scheduling.block.duty import duty_periods_between

    _seeded(session)
    _plan_half_as_vacation(session, "res-pgy2-02", half=2)
    problem = build_block_problem(session, DEMO_YEAR, 10).problem

    planned = [a for a in problem.absences if a.person_id == "res-pgy2-02"]
    assert [(a.start, a.end, a.kind, a.blocking, a.is_leave) for a in planned] == [
        (MIDDLE, date(2026, 4, 6), "vacation", True, True)
    ]
    assert problem.leave_days("res-pgy2-02") == frozenset(d for d in problem.days if d >= MIDDLE)
    periods = duty_periods_between(session, date(2026, 3, 10), date(2026, 4, 6), DEMO_YEAR)
    leave = {
        p.start.date() for p in periods if p.person_id == "res-pgy2-02" and p.kind == DutyKind.LEAVE
    }
    assert leave == {d for d in problem.days if d >= MIDDLE}


def test_a_deactivated_template_is_left_out_of_the_block(session: Session) -> None:
    """ELEC off: no activity, and the resident planned on it has no rotation that half; CALL
    off: no call service. Reactivated, both are back."""
    _seeded(session)
    for abbreviation in ("ELEC", "CALL"):
        edits.deactivate_template(session, abbreviation)
    problem = build_block_problem(session, DEMO_YEAR, 10).problem
    assert "ELEC" not in {a.id for a in problem.activities}
    assert problem.call_services == ()
    night_first = {r.id: r for r in problem.residents}["res-pgy2-02"]
    assert night_first.rotation_on(MIDDLE) is None
    assert night_first.rotation_on(MIDDLE.replace(day=23)) == "FMIT-NF"
    for abbreviation in ("ELEC", "CALL"):
        edits.reactivate_template(session, abbreviation)
    again = build_block_problem(session, DEMO_YEAR, 10).problem
    assert "ELEC" in {a.id for a in again.activities}
    assert [s.id for s in again.call_services] == ["CALL"]
