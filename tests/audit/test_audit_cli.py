"""Commands are audited as the operating-system user, one event per change, in the change's
transaction; `residency audit list` shows them and refuses bad options in one line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures.block_program import BLOCK, YEAR, mini_program, seed
from residency import clock
from residency.audit.models import AuditEvent
from residency.cli import main
from residency.db import unit_of_work
from residency.program.files import dump_program
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.models import RunKind, RunStatus, ScheduleRun

LOGIN = "coordinator-os"


@pytest.fixture
def os_login(cli_env: pytest.MonkeyPatch) -> str:
    cli_env.setenv("LOGNAME", LOGIN)  # the first place getpass.getuser() looks
    return LOGIN


def _events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _listed(capsys: pytest.CaptureFixture[str], *options: str) -> list[dict[str, Any]]:
    assert main(["audit", "list", "--json", *options]) == 0
    return list(json.loads(capsys.readouterr().out))


def test_a_program_import_is_one_event_by_the_os_user(
    cli_db: str,
    db_engine: Engine,
    os_login: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "program.yaml"
    path.write_text(dump_program(mini_program()))
    assert main(["program", "import", str(path)]) == 0
    assert main(["program", "import", str(path)]) == 0  # changes nothing: no second event
    capsys.readouterr()
    (event,) = _events(db_engine)
    assert (event.action, event.entity, event.entity_id) == ("program.import", "program", None)
    assert (event.actor_kind, event.actor_name, event.user_id) == ("os", LOGIN, None)
    assert event.after is not None
    assert event.after["people"] == {"created": 7, "updated": 0, "unchanged": 0}
    (listed,) = _listed(capsys, "--user", LOGIN)
    assert (listed["id"], listed["action"], listed["actor_kind"]) == (
        event.id,
        "program.import",
        "os",
    )
    assert listed["occurred_at"].endswith("+00:00")


def _finished_run(session: Session, base: ScheduleRun | None = None) -> int:
    """A run that holds a schedule, as far as publishing can tell: no solve needed."""
    run = ScheduleRun(
        kind=RunKind.BLOCK_SCHEDULE,
        academic_year=YEAR,
        block_number=BLOCK,
        start_date=date(2026, 3, 10),
        end_date=date(2026, 4, 6),
        status=RunStatus.SUCCEEDED,
        metrics={"has_schedule": True},
        started_at=clock.now(),
        base_run_id=None if base is None else base.id,
        base_revision=0 if base is None else 1,
    )
    session.add(run)
    session.flush()
    return run.id


def test_publishing_is_one_event_with_what_it_replaced(
    cli_db: str, db_engine: Engine, os_login: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(db_engine) as session, session.begin():
        first = _finished_run(session)
        second = _finished_run(session, base=session.get_one(ScheduleRun, first))
    assert main(["runs", "publish", str(first), "--yes"]) == 0
    assert main(["runs", "publish", str(second), "--yes"]) == 0
    assert main(["runs", "publish", str(first), "--yes"]) == 3  # a rollback needs --force
    capsys.readouterr()
    scope = f"block_schedule/{YEAR}/{BLOCK}"
    events = _events(db_engine)
    assert [(e.action, e.entity, e.entity_id) for e in events] == [
        ("run.publish", "published_version", scope)
    ] * 2
    assert events[0].before is None
    assert events[0].after == {"run_id": first, "revision": 1, "forced": False}
    assert events[1].before == {"run_id": first, "revision": 1}
    assert events[1].after == {"run_id": second, "revision": 2, "forced": False}
    assert {e.actor_name for e in events} == {LOGIN}
    listed = _listed(capsys, "--action", "run.publish", "--entity-id", scope)
    assert [e["after"]["run_id"] for e in listed] == [second, first]  # newest first


def test_claiming_a_run_is_one_event_with_its_range_and_parameters(db_engine: Engine) -> None:
    seed(db_engine)  # the program import: one event
    with unit_of_work(db_engine) as session:
        run_id = claim_block(session, GenerateRequest(YEAR, BLOCK, time_limit_s=3))
    claims = [e for e in _events(db_engine) if e.action == "run.claim"]
    assert [(c.entity, c.entity_id) for c in claims] == [("schedule_run", str(run_id))]
    after = claims[0].after or {}
    assert (after["kind"], after["academic_year"], after["block_number"]) == (
        "block_schedule",
        YEAR,
        BLOCK,
    )
    assert (after["start_date"], after["end_date"]) == ("2026-03-10", "2026-04-06")
    assert after["parameters"]["time_limit_s"] == 3


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--since", "2026-13-01"], "--since: '2026-13-01' is not an ISO date or date-time"),
        (["--until", "yesterday"], "--until: 'yesterday' is not an ISO date or date-time"),
        (["--since", "2026-02-01", "--until", "2026-01-31"], "since: 2026-02-01T00:00:00+00:00"),
    ],
)
def test_bad_dates_are_one_line_naming_the_option(
    cli_db: str, capsys: pytest.CaptureFixture[str], options: list[str], words: str
) -> None:
    assert main(["audit", "list", *options]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err


def test_a_date_alone_means_the_whole_day(
    cli_db: str, db_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    late = datetime(2026, 3, 10, 23, 59, 59, tzinfo=UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: late)
        seed(db_engine)
    assert len(_listed(capsys, "--since", "2026-03-10", "--until", "2026-03-10")) == 1
    assert _listed(capsys, "--until", "2026-03-09") == []
    assert _listed(capsys, "--since", "2026-03-11") == []
    assert len(_listed(capsys, "--until", "2026-03-11T02:00+02:00")) == 1
    assert _listed(capsys, "--until", "2026-03-11T01:30+02:00") == []
    assert main(["audit", "list"]) == 0
    assert "program.import" in capsys.readouterr().out
