"""What an import changes, entry by entry, named by natural keys (a person's key, a rotation's
abbreviation, a date): the list a dry run shows before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from residency.people.repository import person_ids_by_key
from residency.program.schema import ProgramDocument
from residency.program.service import ImportReport, import_program
from residency.rotations.repository import rotation_ids_by_abbreviation
from residency.upsert import UpsertResult

Namer = Callable[[tuple[Any, ...]], str]


@dataclass(frozen=True)
class KindChanges:
    kind: str  # as the import report names it: "people", "PGY levels", ...
    created: list[str]
    updated: list[str]
    unchanged: list[str]


@dataclass(frozen=True)
class ImportChanges:
    kinds: list[KindChanges]

    @property
    def changed(self) -> bool:
        return any(kind.created or kind.updated for kind in self.kinds)


def preview_import(session: Session, doc: ProgramDocument) -> ImportChanges:
    """Everything the import would change, and nothing written: it runs in a savepoint that
    is rolled back before this returns."""
    savepoint = session.begin_nested()
    try:
        return apply_import(session, doc)
    finally:
        savepoint.rollback()


def apply_import(session: Session, doc: ProgramDocument) -> ImportChanges:
    return named_changes(session, import_program(session, doc))


def named_changes(session: Session, report: ImportReport) -> ImportChanges:
    """Read while the import's rows are there: new people and rotations have ids only then."""
    namers = _namers(session)
    return ImportChanges(
        [_kind(kind, result, namers.get(kind, _plain)) for kind, result in report.counts.items()]
    )


def _kind(kind: str, result: UpsertResult, name: Namer) -> KindChanges:
    return KindChanges(
        kind,
        [name(key) for key in result.created_keys],
        [name(key) for key in result.updated_keys],
        [name(key) for key in result.unchanged_keys],
    )


def _plain(key: tuple[Any, ...]) -> str:
    return " ".join(part.isoformat() if hasattr(part, "isoformat") else str(part) for part in key)


def _namers(session: Session) -> dict[str, Namer]:
    """Each kind's key (its unique columns) in words; ids become the keys people know."""
    person = {id_: key for key, id_ in person_ids_by_key(session).items()}
    rotation = {
        id_: abbreviation for abbreviation, id_ in rotation_ids_by_abbreviation(session).items()
    }
    return {
        "PGY levels": lambda k: f"{person[k[0]]} {k[1]}",
        "absences": lambda k: f"{person[k[0]]} {k[2]} {k[1].isoformat()}",
        "fixed rotations": lambda k: f"{person[k[0]]} {k[1]} block {k[2]}"
        + (f" half {k[3]}" if k[3] else ""),
        "curriculum": lambda k: f"PGY-{k[0]} {rotation[k[1]]}",
        "staffing rules": lambda k: f"{rotation[k[0]]} PGY-{k[1]} to PGY-{k[2]}",
    }
