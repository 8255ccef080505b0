"""Drafts, publishing and history on both engines: generating leaves the published schedule as
it is until `runs publish`; every version is kept; an older one can be published again
(rollback, which needs --force); readers read the published version unless told a run."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, YEAR, generate_args, parse_json, seed
from residency.cli import main
from residency.scheduling.models import Publication, PublishedVersion, RunStatus, ScheduleRun

WHERE = ["--block", str(BLOCK), "--academic-year", str(YEAR)]


def _generate(capsys: pytest.CaptureFixture[str], *extra: str, publish: bool) -> dict[str, Any]:
    assert main([*generate_args(*extra, publish=publish), "--json"]) == 0
    return parse_json(capsys.readouterr().out)


def _duty(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["compliance", "check", *WHERE, "--json", *extra]) == 0
    return json.dumps(parse_json(capsys.readouterr().out)["summary"], sort_keys=True)


def _shown(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["schedule", "show", *WHERE, *extra]) == 0
    return capsys.readouterr().out


def _published_run(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalars(select(PublishedVersion.run_id)).one()


def test_a_draft_changes_nothing_until_published_and_a_rollback_needs_force(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    first = _generate(capsys, publish=True)
    assert first["published"] is True
    published_grid = _shown(capsys)
    published_summary = _duty(capsys)

    second = _generate(capsys, "--seed", "5", publish=False)
    assert second["published"] is False
    assert _published_run(db_engine) == first["run_id"]
    assert _shown(capsys) == published_grid  # the draft changed nobody's schedule
    assert _duty(capsys) == published_summary
    draft_grid = _shown(capsys, "--run", str(second["run_id"]))
    assert f"run {second['run_id']} (draft)" in draft_grid

    assert main(["runs", "diff", str(second["run_id"]), "--json"]) == 0
    diff = parse_json(capsys.readouterr().out)
    assert diff["old"] == f"published (run {first['run_id']})"
    assert sum(diff["per_person"].values()) == len(diff["changes"])
    assert all(c["old"] != c["new"] for c in diff["changes"])

    assert main(["runs", "publish", str(second["run_id"]), "--yes"]) == 0
    assert f"it replaces run {first['run_id']}" in capsys.readouterr().out
    assert _published_run(db_engine) == second["run_id"]
    assert _shown(capsys).split("\n", 1)[1] == draft_grid.split("\n", 1)[1]

    # Rollback: the first run was built on nothing published; run 2 is published now.
    assert main(["runs", "publish", str(first["run_id"]), "--yes"]) == 3
    err = capsys.readouterr().err
    assert "roll back" in err and len(err.strip().splitlines()) == 1
    assert f"`residency runs publish {first['run_id']} --force`" in err  # the page says the same
    assert "`residency generate --block 10 --academic-year 2025 --minimal-change`" in err
    assert _published_run(db_engine) == second["run_id"]
    assert main(["runs", "publish", str(first["run_id"]), "--yes", "--force"]) == 0
    capsys.readouterr()
    assert _published_run(db_engine) == first["run_id"]
    assert _shown(capsys) == published_grid
    with Session(db_engine) as session:
        history = list(session.scalars(select(Publication).order_by(Publication.id)))
        assert [(p.run_id, p.revision, p.forced) for p in history] == [
            (first["run_id"], 1, False),
            (second["run_id"], 2, False),
            (first["run_id"], 3, True),
        ]


def test_runs_list_and_show_report_status_and_what_is_published(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    first = _generate(capsys, publish=True)
    assert main(["runs", "list", "--json", "--kind", "block"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["status"], listed["published"]) == (
        first["run_id"],
        "succeeded",
        True,
    )
    assert main(["runs", "list", "--json", "--kind", "annual"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["runs", "show", str(first["run_id"]), "--json"]) == 0
    shown = parse_json(capsys.readouterr().out)
    assert shown["metrics"]["coverage_pct"] == first["coverage_pct"]
    assert shown["block_number"] == BLOCK and shown["heartbeat_at"] is not None


def _runs(engine: Engine) -> list[tuple[int, RunStatus]]:
    with Session(engine) as session:
        return [(r.id, r.status) for r in session.scalars(select(ScheduleRun).order_by("id"))]


def test_bad_run_requests_are_one_line_and_change_nothing(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_engine)
    first = _generate(capsys, publish=True)
    with Session(db_engine) as session, session.begin():
        made = [_other_run(session, status, first["run_id"]) for status in _ENDED_OR_NOT]
        session.add_all(made)
        session.flush()
        failed_id, running_id = (r.id for r in made)
    before = _runs(db_engine)
    cases = [
        (["runs", "show", "999"], 5, "run: 999 is not a schedule run"),
        (["runs", "publish", "999", "--yes"], 5, "run: 999 is not a schedule run"),
        (["runs", "publish", str(failed_id), "--yes"], 3, "is failed and holds no schedule"),
        (["runs", "publish", str(running_id), "--yes"], 3, "wait for it to finish"),
        (["runs", "publish", str(first["run_id"]), "--yes"], 3, "already the published version"),
        (["runs", "diff", str(first["run_id"]), "--against", str(failed_id)], 2, "same block"),
        (["runs", "diff", str(first["run_id"]), "--against", "latest"], 2, "neither"),
        (["schedule", "show", *WHERE, "--person", "nobody"], 2, "--person: 'nobody'"),
        (["schedule", "show", "--block", "9", "--run", str(first["run_id"])], 2, "--run:"),
    ]
    for argv, code, words in cases:
        assert main(argv) == code, argv
        err = capsys.readouterr().err.strip()
        assert words in err and "\n" not in err, (argv, err)
    assert _runs(db_engine) == before
    assert _published_run(db_engine) == first["run_id"]


_ENDED_OR_NOT = (RunStatus.FAILED, RunStatus.RUNNING)


def _other_run(session: Session, status: RunStatus, like: int) -> ScheduleRun:
    """A run of the block before ours that holds no schedule."""
    from residency.calendar.service import block_row

    day = block_row(session, YEAR, BLOCK - 1).start_date
    return ScheduleRun(
        kind="block_schedule",
        academic_year=YEAR,
        block_number=BLOCK - 1,
        start_date=day,
        end_date=day,
        status=status,
        parameters={},
        metrics={},
        started_at=session.get_one(ScheduleRun, like).started_at,
    )
