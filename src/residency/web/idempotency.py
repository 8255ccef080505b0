"""Idempotency-Key: a client that retries a POST (after a timeout or a dropped connection)
with the same key gets the first answer again instead of a second effect, e.g. a second run.

A key belongs to one user and one request (method, path and body, hashed): the same key with
another request is refused, naming the header. The answer is stored in the route's own
transaction, so it exists exactly when the effect does; a refused request stores nothing, so
it may be retried with its key. Keys are kept for a day, then forgotten."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from residency import clock
from residency.auth.models import IdempotentRequest
from residency.errors import InputError, RefusedError

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
KEY_SHAPE = re.compile(r"[\x21-\x7e]{1,128}")  # printable ASCII, no spaces, as in the column


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Once:
    """One request under its key (key None: the client sent none; nothing is kept)."""

    user_id: int
    key: str | None
    fingerprint: str

    @classmethod
    def of(cls, request: Request, user_id: int, key: str | None, body: BaseModel) -> Once:
        if key is not None and not KEY_SHAPE.fullmatch(key):
            raise InputError(
                f"{HEADER}: {key[:40]!r} is not a key: 1 to 128 printable characters, no spaces",
                field=HEADER,
            )
        request_text = json.dumps(
            [request.method, request.url.path, body.model_dump(mode="json")], sort_keys=True
        )
        return cls(user_id, key, hashlib.sha256(request_text.encode()).hexdigest())

    def earlier_answer(self, session: Session) -> Answer | None:
        """The first answer to this request, or None (and the key reserved for it)."""
        if self.key is None:
            return None
        row = session.get(IdempotentRequest, (self.user_id, self.key))
        if row is not None and clock.aware(row.created_at) + KEPT_FOR < clock.now():
            session.delete(row)  # forgotten: the key starts afresh
            session.flush()
            row = None
        if row is None:
            self._reserve(session)
            return None
        if row.fingerprint != self.fingerprint:
            raise InputError(
                f"{HEADER}: {self.key!r} was sent with another request; a key stands for one "
                "request (send a new key with a new request)",
                field=HEADER,
            )
        return Answer(row.status_code, json.loads(row.body))

    def remember(self, session: Session, status_code: int, body: BaseModel) -> Answer:
        answer = Answer(status_code, body.model_dump(mode="json"))
        if self.key is not None:
            row = session.get(IdempotentRequest, (self.user_id, self.key))
            assert row is not None, "earlier_answer reserves the key"
            row.status_code, row.body = status_code, json.dumps(answer.body)
            session.flush()
        return answer

    def _reserve(self, session: Session) -> None:
        # Written before the work, so a second request with the key waits on this row and is
        # refused, instead of doing the work twice.
        session.add(
            IdempotentRequest(
                user_id=self.user_id,
                key=self.key,
                fingerprint=self.fingerprint,
                status_code=0,
                body="{}",
                created_at=clock.now(),
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise RefusedError(
                f"{HEADER}: a request with {self.key!r} is being answered; send it again in a "
                "moment to get its answer",
                field=HEADER,
            ) from None
