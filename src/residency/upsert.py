"""Idempotent writes keyed on real unique constraints, identical on SQLite and PostgreSQL.

Rows are classified against what is stored (created / updated / unchanged) so commands can say
what they did, then written with INSERT ... ON CONFLICT (key) DO UPDATE, which both engines
accept only when the key columns carry a unique constraint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from residency.orm import Base


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written_keys: set[tuple[Any, ...]] = field(default_factory=set, repr=False, compare=False)
    # The keys of each outcome, in the order met: what a dry run lists as its changes.
    created_keys: list[tuple[Any, ...]] = field(default_factory=list, repr=False, compare=False)
    updated_keys: list[tuple[Any, ...]] = field(default_factory=list, repr=False, compare=False)
    unchanged_keys: list[tuple[Any, ...]] = field(default_factory=list, repr=False, compare=False)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.written_keys |= other.written_keys
        self.created_keys += other.created_keys
        self.updated_keys += other.updated_keys
        self.unchanged_keys += other.unchanged_keys
        return self

    def mark_updated(self, key: tuple[Any, ...]) -> None:
        """A row that was unchanged itself but whose dependent rows changed."""
        if key not in self.written_keys:
            self.written_keys.add(key)
            self.unchanged -= 1
            self.updated += 1
            self.unchanged_keys.remove(key)
            self.updated_keys.append(key)


def _dialect_insert(session: Session, table: Table) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database engine {name!r}")


def upsert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    key_columns: Sequence[str],
    where: ColumnElement[bool] | None = None,
) -> UpsertResult:
    """`where` narrows the key to a partial unique index (the rows it holds)."""
    table = cast(Table, model.__table__)
    value_columns = [c for c in rows[0] if c not in key_columns] if rows else []
    query = select(*(table.c[c] for c in (*key_columns, *value_columns)))
    stored = {
        tuple(row[: len(key_columns)]): tuple(row[len(key_columns) :])
        for row in session.execute(query if where is None else query.where(where))
    }
    result = UpsertResult()
    to_write = []
    for row in rows:
        key = tuple(row[c] for c in key_columns)
        values = tuple(row[c] for c in value_columns)
        if key not in stored:
            result.created += 1
            result.created_keys.append(key)
        elif stored[key] != values:
            result.updated += 1
            result.updated_keys.append(key)
        else:
            result.unchanged += 1
            result.unchanged_keys.append(key)
            continue
        to_write.append(row)
        result.written_keys.add(key)
    if not to_write:
        return result
    # One statement for every row (executemany): SQLAlchemy compiles and caches it once and
    # batches the rows itself, where a multi-row VALUES of 730 half-days compiled anew each
    # time took most of creating an academic year.
    statement = _dialect_insert(session, table)
    update = {c: statement.excluded[c] for c in value_columns}
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=list(key_columns), index_where=where, set_=update
        )
    else:
        statement = statement.on_conflict_do_nothing(
            index_elements=list(key_columns), index_where=where
        )
    session.execute(statement, to_write)
    return result
