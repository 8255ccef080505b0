"""Program files: export/import round trip, idempotent import, and bad files that change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from residency.cli import main
from residency.db import build_engine
from residency.people.models import Person
from residency.program.demo import demo_program
from residency.program.export import export_program
from residency.program.files import dump_program
from residency.program.service import import_program
from residency.rotations import edits
from residency.rotations.models import DutyShift, RotationTemplate
from residency.upsert import UpsertResult


def test_demo_seed_counts_and_second_run_creates_nothing(session: Session) -> None:
    first = import_program(session, demo_program())
    assert first.counts["people"] == UpsertResult(created=28)
    assert first.counts["rotation templates"].created == 32
    assert first.counts["half-days"].created == 730
    assert first.counts["curriculum"].created == 47
    assert first.counts["staffing rules"].created == 2
    second = import_program(session, demo_program())
    assert not second.changed
    assert second.counts["people"] == UpsertResult(unchanged=28)
    assert session.scalar(select(func.count(Person.id))) == 28


def test_export_import_export_round_trips_exactly(
    session: Session, make_empty_db: Callable[[], str]
) -> None:
    import_program(session, demo_program())
    exported = dump_program(export_program(session))
    assert yaml.safe_load(exported)["rotations"][0]["duty_pattern"]

    from residency.ops.migrations import upgrade

    other = build_engine(make_empty_db())
    upgrade(other)
    with Session(other) as fresh, fresh.begin():
        from residency.program.validation import parse_document

        import_program(fresh, parse_document(yaml.safe_load(exported), "exported.yaml"))
        assert dump_program(export_program(fresh)) == exported


def test_a_deactivated_template_round_trips_as_active_false(
    session: Session, make_empty_db: Callable[[], str]
) -> None:
    """Written only for the deactivated (other files stay as they were); the file holds the
    whole entry, so importing it with `active` left out makes the template active again."""
    import_program(session, demo_program())
    edits.deactivate_template(session, "DERM")
    exported = dump_program(export_program(session))
    rotations = {r["abbreviation"]: r for r in yaml.safe_load(exported)["rotations"]}
    assert rotations["DERM"]["active"] is False
    assert [a for a, r in rotations.items() if "active" in r] == ["DERM"]

    from residency.ops.migrations import upgrade
    from residency.program.validation import parse_document

    other = build_engine(make_empty_db())
    upgrade(other)
    with Session(other) as fresh, fresh.begin():
        import_program(fresh, parse_document(yaml.safe_load(exported), "exported.yaml"))
        derm = fresh.scalars(
            select(RotationTemplate).where(RotationTemplate.abbreviation == "DERM")
        ).one()
        assert derm.active is False
        assert dump_program(export_program(fresh)) == exported
        report = import_program(fresh, demo_program())
        assert report.counts["rotation templates"] == UpsertResult(updated=1, unchanged=31)
        fresh.refresh(derm)  # the import writes rows, not the objects read before it
        assert derm.active is True


def test_changing_a_duty_pattern_or_a_name_updates_in_place(session: Session) -> None:
    import_program(session, demo_program())
    data = demo_program().model_dump()
    fmit = next(r for r in data["rotations"] if r["abbreviation"] == "FMIT")
    fmit["duty_pattern"]["sun"] = ["07:00-12:00"]
    data["residents"][0]["name"] = "Avery Alder-Renamed"
    from residency.program.schema import ProgramDocument

    report = import_program(session, ProgramDocument.model_validate(data))
    assert report.counts["rotation templates"] == UpsertResult(updated=1, unchanged=31)
    assert report.counts["people"] == UpsertResult(updated=1, unchanged=27)
    sunday = session.scalars(
        select(DutyShift)
        .join(RotationTemplate)
        .where(RotationTemplate.abbreviation == "FMIT", DutyShift.weekday == 6)
    ).all()
    assert [(s.start_time.hour, s.end_time.hour) for s in sunday] == [(7, 12)]


def _write(tmp_path: Path, mutate: object) -> Path:
    data = demo_program().model_dump(mode="json")
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _set_pgy(data: dict) -> None:
    data["residents"][3]["pgy"] = {"2025": 11}


def _unknown_abbreviation(data: dict) -> None:
    data["fixed_rotations"][0]["rotation"] = "XYZ"


def _absence_backwards(data: dict) -> None:
    data["absences"][1]["end"] = "2026-03-01"


def _duplicate_person(data: dict) -> None:
    data["residents"].append(dict(data["residents"][0], email="someone.else@example.org"))


def _bad_shift(data: dict) -> None:
    data["rotations"][0]["duty_pattern"]["mon"] = ["25:00-18:00"]


def _bad_color(data: dict) -> None:
    data["rotations"][0]["color"] = "teal"


def _curriculum_unknown_rotation(data: dict) -> None:
    data["curriculum"][0]["rotation"] = "NOPE"


def _half_block_of_a_whole_block_rotation(data: dict) -> None:
    fmit = next(c for c in data["curriculum"] if c["rotation"] == "FMIT")
    fmit["min_blocks"] = 2.5


def _unknown_field(data: dict) -> None:
    data["faculty"][0]["favourite_colour"] = "teal"


def _unknown_country(data: dict) -> None:
    data["program"]["holidays"] = {"country": "XX"}


def _unknown_state(data: dict) -> None:
    data["program"]["holidays"] = {"country": "US", "state": "ZZ"}


def _holidays_in_policy(data: dict) -> None:
    data["program"]["policy"]["holidays"] = {"country": "US"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_unknown_country, "program.holidays.country: not a country the holidays package knows"),
        (_unknown_state, "program.holidays.state: not a state of US in the holidays package"),
        (_holidays_in_policy, "program.policy: 'holidays' goes in program.holidays"),
        (_set_pgy, "residents[3] (res-pgy1-04).pgy.2025: Input should be less than or equal to 10"),
        (_unknown_abbreviation, "unknown rotation abbreviation 'XYZ'"),
        (_absence_backwards, "absences[1] (res-pgy2-03).end: end 2026-03-01 is before start"),
        (_duplicate_person, "key 'res-pgy1-01' is used by more than one person"),
        (_bad_shift, "rotations[0] (FMIT).duty_pattern: '25:00-18:00' has a clock time out"),
        (_unknown_field, "faculty[0] (fac-01).favourite_colour: unknown field"),
        (_bad_color, "rotations[0] (FMIT).color: not a colour written #RRGGBB (e.g. #F4A6A6) (got"),
        (_curriculum_unknown_rotation, "unknown rotation abbreviation 'NOPE'"),
        (
            _half_block_of_a_whole_block_rotation,
            "(PGY-1 FMIT).min_blocks: FMIT runs whole blocks, not halves",
        ),
    ],
)
def test_a_bad_program_file_is_one_line_and_writes_nothing(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: object, expected: str
) -> None:
    path = _write(tmp_path, mutate)
    assert main(["program", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert err.count("\n") == 1
    with build_engine(cli_db).connect() as connection:
        assert connection.scalar(select(func.count(Person.id))) == 0


def test_malformed_yaml_names_the_line(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("program:\n  name: x\n  academic_years: [2025\n")
    assert main(["program", "import", str(path)]) == 2
    assert "is not valid YAML" in capsys.readouterr().err


def test_import_then_export_on_the_command_line(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "demo.yaml"
    source.write_text(dump_program(demo_program()))
    assert main(["program", "import", str(source)]) == 0
    assert main(["program", "export", str(tmp_path / "out.yaml")]) == 0
    assert "18 residents, 10 faculty, 32 rotation templates" in capsys.readouterr().out
    assert main(["program", "import", str(tmp_path / "out.yaml")]) == 0
    assert "Nothing new" in capsys.readouterr().out
