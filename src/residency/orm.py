"""The declarative base every domain's models share, with one constraint-naming scheme so that
migrations name the same constraint the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
from enum import StrEnum

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every module that defines tables, so metadata is complete for Alembic and for tests.
MODEL_MODULES = (
    "residency.calendar.models",
    "residency.people.models",
    "residency.rotations.models",
    "residency.absences.models",
    "residency.scheduling.models",
    "residency.ops.models",
    "residency.auth.models",
    "residency.audit.models",
    "residency.compliance.models",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_cls: type[StrEnum], name: str) -> Enum:
    """Enums stored as their values in a plain VARCHAR with a CHECK, identical on both engines."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


def load_all_models() -> MetaData:
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base.metadata
