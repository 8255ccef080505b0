"""Generating several blocks of a year in block order: one claim per block, each block's run
built on the previous block's new draft (its boundary context: rest after call, consecutive
nights), executed one after another (a Celery chain with a worker, the server's own thread
otherwise). A block that finds no schedule stops the rest: each later run ends failed,
naming the run it waited for. Blocks of other years, and the annual plan, run beside a chain
on other workers."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from sqlalchemy.orm import Session

from residency.errors import InputError
from residency.scheduling.block.service import GenerateRequest, claim_block
from residency.scheduling.runs.versions import get_run


def claim_blocks_in_order(
    session: Session,
    request: GenerateRequest,
    blocks: range,
    claimed_by: dict[str, Any] | None = None,
) -> list[int]:
    """Queued runs of `blocks` (the request's `block` is ignored), each naming the run before
    it (`after_run`) and the run after it (`next_run`, whose queue wait restarts when this one
    ends: a chain's last block may wait for twelve solves)."""
    if not blocks or blocks.start < 1 or blocks.stop > 14 or blocks.step != 1:
        raise InputError(
            f"blocks: {blocks.start}..{blocks.stop - 1} is not a range of blocks 1 to 13",
            field="blocks",
        )
    ids: list[int] = []
    for number in blocks:
        after = ids[-1] if ids else None
        ids.append(
            claim_block(
                session, replace(request, block=number, after_run=after), claimed_by=claimed_by
            )
        )
    for earlier, later in pairwise(ids):
        run = get_run(session, earlier)
        run.parameters = {**run.parameters, "next_run": later}
    session.flush()
    return ids
