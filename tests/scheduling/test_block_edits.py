"""Manual edits of one half-day cell or one call night, on both engines: checked against the
hard rules and the ACGME checker before they are saved, refused naming the rules unless an
override reason is given, kept in place in one version, and the published version's revision
bumped so drafts built before them are stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, YEAR, generate_args, parse_json, seed
from residency.calendar.models import HalfDay
from residency.cli import main
from residency.people.models import Person
from residency.rotations.models import ActivityType, RotationTemplate
from residency.scheduling.block.data import PRECEPTING
from residency.scheduling.block.edits import EditRefused, SlotEdit, edit_slot
from residency.scheduling.block.grid import block_grid
from residency.scheduling.block.problem import build_block_problem
from residency.scheduling.block.verdict import SavedReport, check_saved
from residency.scheduling.models import (
    Assignment,
    AssignmentRole,
    AssignmentSource,
    CallAssignment,
    PublishedVersion,
    RunStatus,
    ScheduleRun,
)
from residency.scheduling.repository import PUBLISHED, Version

WHERE = ["--block", str(BLOCK), "--academic-year", str(YEAR)]
REASON = "r3 covers the ward for a sick colleague; approved by the PD"
FRIDAY = date(2026, 3, 13)  # a call night (CALL: Friday and Saturday)


def _generate(capsys: pytest.CaptureFixture[str], publish: bool = True) -> int:
    # The same problem every time: solved once per test session (tests/conftest.py).
    assert main([*generate_args(publish=publish), "--json"]) == 0
    return int(parse_json(capsys.readouterr().out)["run_id"])


def _edit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["schedule", "edit", *WHERE, *args])
    out = capsys.readouterr()
    return code, out.out, out.err.strip()


def _edit_call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["schedule", "edit-call", *WHERE, *args])
    out = capsys.readouterr()
    return code, out.out, out.err.strip()


def _cells(engine: Engine, person: str, run: int | None = None) -> dict[tuple[date, str], str]:
    """The person's half-days in a version, as `schedule show` reads them."""
    with Session(engine) as session:
        version = PUBLISHED if run is None else Version(run)
        (row,) = block_grid(session, YEAR, BLOCK, version, person).rows
    return {
        (day, half): rotation
        for day, (am, pm) in row.cells.items()
        for half, rotation in (("AM", am), ("PM", pm))
        if rotation
    }


def _elective_morning(engine: Engine) -> date:
    """r3 is on ELEC; the first morning the solver put r3 on it."""
    cells = _cells(engine, "r3")
    return min(day for (day, half), rotation in cells.items() if (half, rotation) == ("AM", "ELEC"))


def _stored(engine: Engine) -> tuple[list[Any], list[Any], list[int]]:
    """Every schedule row with its provenance, and the published revisions."""
    with Session(engine) as session:
        slots = session.execute(
            select(
                Assignment.id,
                Assignment.person_id,
                Assignment.half_day_id,
                Assignment.rotation_id,
                Assignment.source,
                Assignment.locked,
                Assignment.override_reason,
                Assignment.schedule_run_id,
            ).order_by(Assignment.id)
        ).all()
        calls = session.execute(
            select(
                CallAssignment.id,
                CallAssignment.person_id,
                CallAssignment.date,
                CallAssignment.source,
                CallAssignment.override_reason,
                CallAssignment.schedule_run_id,
            ).order_by(CallAssignment.id)
        ).all()
        revisions = list(session.scalars(select(PublishedVersion.revision)))
    return list(slots), list(calls), revisions


def _verdict(engine: Engine, version: Version = PUBLISHED) -> SavedReport:
    with Session(engine) as session:
        data = build_block_problem(session, YEAR, BLOCK, kept_from=version)
        return check_saved(session, data, version)


def test_an_edit_breaking_a_hard_rule_is_refused_unless_given_an_override_reason(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    _generate(capsys)
    day = _elective_morning(db_engine)
    # r3's rotation is ELEC: WARD is another rotation's work (Eligibility, a hard rule).
    ward = ["--person", "r3", "--day", day.isoformat(), "--session", "AM", "--rotation", "WARD"]
    before = _stored(db_engine)

    code, _, err = _edit(capsys, *ward)
    assert code == 3 and "\n" not in err
    assert f"Eligibility r3 {day}: not eligible for WARD" in err and "override reason" in err
    assert _stored(db_engine) == before

    edit = SlotEdit(YEAR, BLOCK, "r3", day, "AM", "WARD")
    with Session(db_engine) as session, session.begin():
        assert edit_slot(session, replace(edit, rotation=None)).change.after is None
        session.rollback()  # the caller changes its mind: the savepoint committed nothing
    assert _stored(db_engine) == before
    with Session(db_engine) as session, session.begin():
        with pytest.raises(EditRefused) as refused:
            edit_slot(session, edit)
        assert "Eligibility" in {r.rule for r in refused.value.reasons}
        # The refusal rolled back its savepoint only: the caller's transaction goes on.
        assert session.get_one(PublishedVersion, "block_schedule/2025/10").revision == 1
    assert _stored(db_engine) == before

    code, out, _ = _edit(capsys, *ward, "--override-reason", f"  {REASON} ", "--json")
    assert code == 0
    result = parse_json(out)
    assert result["overridden"] is True and result["revision"] == 2
    assert result["after"]["override_reason"] == REASON
    assert "Eligibility" in {f["rule"] for f in result["findings"]}
    assert not any(f["still_broken"] for f in result["findings"])
    verdict = _verdict(db_engine)
    assert verdict.broken == []
    assert [(o["person_id"], o["day"], o["rotation"], o["reason"]) for o in verdict.overrides] == [
        ("r3", day.isoformat(), "WARD", REASON)
    ]
    assert _cells(db_engine, "r3")[(day, "AM")] == "WARD"


def test_call_nights_are_edited_and_a_removed_call_stays_broken_when_overridden(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    _generate(capsys)
    night = ["--day", FRIDAY.isoformat(), "--call-type", "in_house"]
    with Session(db_engine) as session:
        holder = session.scalars(select(CallAssignment).where(CallAssignment.date == FRIDAY)).one()
        holder_key = holder.person.key

    code, out, _ = _edit_call(capsys, *night, "--person", holder_key, "--json")
    assert code == 0
    pinned = parse_json(out)
    assert pinned["before"]["source"] == "solver" and pinned["after"]["source"] == "manual"
    assert pinned["findings"] == [] and pinned["after"]["person_key"] == holder_key

    before = _stored(db_engine)
    code, _, err = _edit_call(capsys, *night, "--clear")
    assert code == 3 and f"NightCallCoverage {FRIDAY}: CALL: 0 on call, needs 1" in err
    assert _stored(db_engine) == before

    code, out, _ = _edit_call(capsys, *night, "--clear", "--override-reason", REASON, "--json")
    assert code == 0
    removed = parse_json(out)
    assert removed["after"] is None and removed["overridden"] is True
    # No row is left to carry the reason: the verdict still counts the empty night.
    (finding,) = removed["findings"]
    assert (finding["rule"], finding["still_broken"]) == ("NightCallCoverage", True)
    assert _verdict(db_engine).broken == [f"NightCallCoverage {FRIDAY}: CALL: 0 on call, needs 1"]


def test_edits_that_keep_every_rule_are_saved_in_their_version_and_make_drafts_stale(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    published = _generate(capsys)
    draft = _generate(capsys, publish=False)  # built on revision 1
    day = _elective_morning(db_engine)
    cell = ["--person", "r3", "--day", day.isoformat(), "--session", "AM"]

    code, out, _ = _edit(capsys, *cell, "--clear", "--run", str(draft), "--json")
    assert code == 0
    result = parse_json(out)
    assert (result["published"], result["run_id"], result["revision"]) == (False, draft, None)
    assert (day, "AM") not in _cells(db_engine, "r3", draft)
    assert _cells(db_engine, "r3")[(day, "AM")] == "ELEC"  # the published version is as it was
    assert _stored(db_engine)[2] == [1]

    code, out, _ = _edit(capsys, *cell, "--clear")
    assert code == 0 and "ELEC -> -" in out and "revision 2" in out
    assert (day, "AM") not in _cells(db_engine, "r3")

    # The published run named as a run is the published version.
    code, out, _ = _edit(capsys, *cell, "--rotation", "ELEC", "--run", str(published), "--json")
    assert code == 0
    result = parse_json(out)
    assert result["before"] is None and result["findings"] == [] and not result["overridden"]
    assert result["after"] == {
        "person_key": "r3",
        "day": day.isoformat(),
        "session": "AM",
        "rotation": "ELEC",
        "activity": "elective",
        "role": "primary",
        "source": "manual",
        "locked": True,
        "override_reason": None,
        "schedule_run_id": published,  # the published run's version, not a row of every one
    }
    assert (result["published"], result["revision"]) == (True, 3)
    assert _cells(db_engine, "r3")[(day, "AM")] == "ELEC"
    assert _verdict(db_engine).broken == []

    assert main(["runs", "publish", str(draft), "--yes"]) == 3
    assert "changed after run" in capsys.readouterr().err
    assert main(["runs", "publish", str(draft), "--yes", "--force"]) == 0


def _run(session: Session, status: RunStatus, block: int = BLOCK) -> int:
    """A run row with no rows of its own (a succeeded one says it holds a schedule)."""
    run = ScheduleRun(
        kind="block_schedule",
        academic_year=YEAR,
        block_number=block,
        start_date=date(2026, 3, 10),
        end_date=date(2026, 3, 10),
        status=status,
        parameters={},
        metrics={"has_schedule": status == RunStatus.SUCCEEDED},
        started_at=session.scalars(select(ScheduleRun.started_at)).first(),
    )
    session.add(run)
    session.flush()
    return run.id


def _people_made(session: Session, key: str, day: date, half: str, rotation: str) -> None:
    """A row written by hand outside every run: it belongs to every version."""
    session.add(
        Assignment(
            person_id=session.scalars(select(Person.id).where(Person.key == key)).one(),
            half_day_id=session.scalars(
                select(HalfDay.id).where(HalfDay.date == day, HalfDay.session == half)
            ).one(),
            rotation_id=session.scalars(
                select(RotationTemplate.id).where(RotationTemplate.abbreviation == rotation)
            ).one(),
            activity=PRECEPTING,
            role=AssignmentRole.SUPERVISING,
            source=AssignmentSource.MANUAL,
        )
    )


def test_bad_edits_are_one_line_and_change_nothing(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    _generate(capsys)
    with Session(db_engine) as session, session.begin():
        other, running, failed, draft = (
            _run(session, RunStatus.SUCCEEDED, BLOCK - 1),
            _run(session, RunStatus.RUNNING),
            _run(session, RunStatus.FAILED),
            _run(session, RunStatus.SUCCEEDED),
        )
        _people_made(session, "f1", date(2026, 3, 12), "PM", "CLIN")
        session.add(
            RotationTemplate(
                abbreviation="OLD",
                name="A deactivated rotation",
                activity_type=ActivityType.OUTPATIENT,
                eligible_pgy=[2, 3],
                max_residents_per_block=1,
                max_residents_per_half_day=1,
                active=False,
            )
        )
    empty_day = next(
        d
        for d in (date(2026, 3, 10 + i) for i in range(7))
        if (d, "PM") not in _cells(db_engine, "r1")
    )
    cell = ["--day", "2026-03-12", "--session", "AM"]
    r3 = ["--person", "r3", *cell]
    before = _stored(db_engine)
    cases = [
        (["--person", "nobody", *cell, "--rotation", "ELEC"], 2, "person: 'nobody' is not"),
        ([*r3, "--rotation", "NOPE"], 2, "rotation: 'NOPE' is not a rotation's abbreviation"),
        (["--person", "r1", *cell, "--rotation", "ELEC"], 2, "ELEC is for PGY-2, PGY-3; r1 is"),
        ([*r3, "--rotation", "CALL"], 2, "CALL (call) is no half-day's work"),
        ([*r3, "--rotation", "OLD"], 2, "rotation: OLD is deactivated"),
        ([*r3, "--rotation", "ELEC", "--clear"], 2, "give either --rotation or --clear"),
        (["--person", "r3", "--day", "2026-05-01", "--session", "AM", "--clear"], 2, "outside"),
        (
            ["--person", "r3", "--day", "2026-03-15", "--session", "AM", "--rotation", "ELEC"],
            2,
            "ELEC has no AM duty on Sunday 2026-03-15",
        ),
        (["--person", "r3", *cell, "--rotation", "ELEC", "--session", "XM"], 2, "'XM' is not AM"),
        (
            ["--person", "r1", "--day", empty_day.isoformat(), "--session", "PM", "--clear"],
            2,
            "nothing to clear",
        ),
        ([*r3, "--rotation", "ELEC", "--override-reason", "  "], 2, "override_reason: empty"),
        ([*r3, "--rotation", "ELEC", "--run", "999"], 5, "run: 999 is not a schedule run"),
        ([*r3, "--rotation", "ELEC", "--run", str(other)], 2, f"run: run {other} is for block 9"),
        ([*r3, "--rotation", "ELEC", "--run", str(running)], 3, "still running"),
        ([*r3, "--rotation", "ELEC", "--run", str(failed)], 2, "holds no draft to edit"),
        (["--block", "9", *r3, "--rotation", "ELEC"], 3, "block 9 of 2025 has no published"),
        (["--person", "f1", *cell, "--rotation", "ELEC"], 2, "faculty work half-days only in"),
        (
            [
                "--person",
                "f1",
                "--day",
                "2026-03-12",
                "--session",
                "PM",
                "--clear",
                "--run",
                str(draft),
            ],
            3,
            "is a row made outside every run, shared by every version",
        ),
    ]
    for argv, code, words in cases:
        got, _, err = _edit(capsys, *argv)
        assert (got, "\n" in err) == (code, False) and words in err, (argv, err)
    friday = ["--day", FRIDAY.isoformat(), "--call-type", "in_house"]
    calls = [
        ([*friday, "--person", "r1"], 2, "CALL call is for PGY-2, PGY-3; r1 is PGY-1"),
        ([*friday, "--person", "f1"], 2, "CALL call is taken by residents; f1 is not one"),
        ([*friday, "--person", "r3", "--replacing", "r1"], 2, "replacing: 'r1' is not on"),
        (["--day", "2026-03-10", "--call-type", "in_house", "--clear"], 2, "on Tuesday"),
        (["--day", FRIDAY.isoformat(), "--call-type", "home", "--clear"], 2, "no home call"),
        (["--day", FRIDAY.isoformat(), "--call-type", "nightly", "--clear"], 2, "'nightly'"),
    ]
    for argv, code, words in calls:
        got, _, err = _edit_call(capsys, *argv)
        assert (got, "\n" in err) == (code, False) and words in err, (argv, err)
    assert _stored(db_engine) == before
