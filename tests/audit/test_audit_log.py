"""The audit log on both engines: append-only in the database itself, secrets never stored,
values made plain JSON, the actor and the clock of the session, and each filter of the list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from residency import clock
from residency.audit.actor import SYSTEM, Actor
from residency.audit.models import AuditEvent
from residency.audit.service import AuditFilter, list_events, record
from residency.db import unit_of_work
from residency.errors import InputError

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
ALICE = Actor("user", "alice@example.org", user_id=1, client_address="10.0.0.1")
BOB = Actor("user", "bob@example.org", user_id=2)
CAROL = Actor("os", "carol")


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def _stored(engine: Engine, event_id: int) -> AuditEvent:
    with Session(engine) as fresh:
        return fresh.get_one(AuditEvent, event_id)


def _one_event(engine: Engine) -> int:
    with unit_of_work(engine, actor=ALICE) as session:
        return record(session, "person.create", "person", "r1", after={"name": "R One"}).id


def test_update_and_delete_are_refused_by_the_database(db_engine: Engine) -> None:
    event_id = _one_event(db_engine)
    for statement in (
        "UPDATE audit_events SET action = 'person.delete'",
        "DELETE FROM audit_events",
    ):
        with (
            pytest.raises(DBAPIError, match="audit_events is append-only"),
            db_engine.begin() as connection,
        ):
            connection.execute(text(statement))
    kept = _stored(db_engine, event_id)
    assert (kept.action, kept.after) == ("person.create", {"name": "R One"})


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # SQLite has no TRUNCATE
def test_truncate_stays_possible_on_postgresql(db_engine: Engine) -> None:
    """The test databases are wiped with TRUNCATE (fixtures/databases.py)."""
    _one_event(db_engine)
    with db_engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_events"))
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one() == 0


def test_secrets_are_dropped_at_every_depth(db_engine: Engine) -> None:
    change = {
        "email": "a@example.org",
        "password": "hunter2",
        "password_hash": "$argon2id$...",
        "Token": "abc",
        "reset_token_hash": "f00",
        "mfa_hash": "c0ffee",
        "profile": {
            "name": "A",
            "client_secret": "s3",
            "roles": [{"role": "admin", "api_token": "t"}],
        },
        "old_passwords": ["x", "y"],
    }
    with unit_of_work(db_engine, actor=ALICE) as session:
        event_id = record(session, "user.create", "user", 5, before=change, after=change).id
    stored = _stored(db_engine, event_id)
    wanted = {"email": "a@example.org", "profile": {"name": "A", "roles": [{"role": "admin"}]}}
    assert stored.before == stored.after == wanted
    with db_engine.connect() as connection:
        raw = connection.execute(text("SELECT before, after FROM audit_events")).one()
    assert not any(secret in str(raw) for secret in ("hunter2", "argon2", "abc", "s3", "c0ffee"))


class Colour(StrEnum):
    RED = "red"


def test_values_are_made_plain_json_and_unknown_ones_refused(db_engine: Engine) -> None:
    change: dict[str, Any] = {
        "day": date(2026, 3, 10),
        "at": datetime(2026, 3, 10, 7, 30, tzinfo=UTC),
        "colour": Colour.RED,
        "levels": {3, 1, 2},
        "span": (date(2026, 3, 10), date(2026, 4, 6)),
        "pgy": {2025: 1},
    }
    with unit_of_work(db_engine) as session:
        event_id = record(session, "absence.create", "absence", after=change).id
        with pytest.raises(TypeError, match="cannot record a object"):
            record(session, "absence.create", "absence", after={"what": object()})
    assert _stored(db_engine, event_id).after == {
        "day": "2026-03-10",
        "at": "2026-03-10T07:30:00+00:00",
        "colour": "red",
        "levels": [1, 2, 3],
        "span": ["2026-03-10", "2026-04-06"],
        "pgy": {"2025": 1},
    }
    with Session(db_engine) as fresh:
        assert fresh.scalar(select(func.count(AuditEvent.id))) == 1


def test_the_session_names_the_actor_and_the_clock_the_moment(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, T0)
    with unit_of_work(db_engine, actor=ALICE) as session:
        by_alice = record(
            session, "settings.update", "settings", before={"a": 1}, after={"a": 2}
        ).id
    monkeypatch.setenv("LOGNAME", "dana")  # the OS login, as getpass reads it
    with unit_of_work(db_engine) as session:
        by_login = record(session, "settings.update", "settings").id
    with Session(db_engine) as plain, plain.begin():  # no unit_of_work: still the OS user
        by_plain_session = record(plain, "settings.update", "settings").id
    first = _stored(db_engine, by_alice)
    assert (first.actor_kind, first.actor_name, first.user_id, first.client_address) == (
        "user",
        "alice@example.org",
        1,
        "10.0.0.1",
    )
    assert clock.aware(first.occurred_at) == T0
    for event_id in (by_login, by_plain_session):
        stored = _stored(db_engine, event_id)
        assert (stored.actor_kind, stored.actor_name, stored.user_id) == ("os", "dana", None)
        assert stored.before is None and stored.after is None


def _five_events(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made = [
        (ALICE, "person.create", "person", "r1", "r1"),
        (BOB, "absence.create", "absence", "7", "r1"),
        (CAROL, "run.claim", "schedule_run", "3", None),
        (ALICE, "person.update", "person", "r2", "r2"),
        (SYSTEM, "run.publish", "published_version", "block_schedule/2025/10", None),
    ]
    ids = []
    for day, (actor, action, entity, entity_id, person) in enumerate(made):
        _at(monkeypatch, T0 + timedelta(days=day))
        with unit_of_work(engine, actor=actor) as session:
            ids.append(record(session, action, entity, entity_id, person_key=person).id)
    return ids


EAST = timezone(timedelta(hours=2))
# Each filter, and the events (by position, 0 the oldest) it leaves, newest first.
FILTERS = {
    "entity": (AuditFilter(entity="person"), [3, 0]),
    "entity_id": (AuditFilter(entity_id="3"), [2]),
    "person": (AuditFilter(person_key="r1"), [1, 0]),
    "user_id": (AuditFilter(user_id=1), [3, 0]),
    "actor_name": (AuditFilter(actor_name="carol"), [2]),
    "action": (AuditFilter(action="run.publish"), [4]),
    "since_inclusive": (AuditFilter(since=T0 + timedelta(days=3)), [4, 3]),
    "since_with_an_offset": (AuditFilter(since=datetime(2026, 1, 4, 11, 0, tzinfo=EAST)), [4, 3]),
    "until_inclusive": (AuditFilter(until=T0 + timedelta(days=1)), [1, 0]),
    "limit": (AuditFilter(limit=2), [4, 3]),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_list(
    name: str, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _five_events(db_engine, monkeypatch)
    wanted, positions = FILTERS[name]
    with unit_of_work(db_engine) as session:
        assert [e.id for e in list_events(session, AuditFilter())] == ids[::-1]
        assert [e.id for e in list_events(session, wanted)] == [ids[p] for p in positions]


def test_before_id_pages_through_older_events(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _five_events(db_engine, monkeypatch)
    with unit_of_work(db_engine) as session:
        first_page = list_events(session, AuditFilter(limit=3))
        next_page = list_events(session, AuditFilter(limit=3, before_id=first_page[-1].id))
    assert [e.id for e in first_page] == [ids[4], ids[3], ids[2]]
    assert [e.id for e in next_page] == [ids[1], ids[0]]


def test_since_after_until_and_a_bad_limit_are_refused(db_engine: Engine) -> None:
    backwards = AuditFilter(since=T0 + timedelta(days=1), until=T0)
    with unit_of_work(db_engine) as session:
        with pytest.raises(InputError, match=r"since: 2026-01-02T09:00:00\+00:00 is after until"):
            list_events(session, backwards)
        with pytest.raises(InputError, match="limit: 1001 is not between 1 and 1000"):
            list_events(session, AuditFilter(limit=1001))
