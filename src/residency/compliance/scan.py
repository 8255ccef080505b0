"""The compliance scan of every published block: the checks a generation and a manual edit
run (the ACGME checker re-deriving duty from the saved rows, every hard rule, conflicts with
absences), run again on what is published now, the findings kept as alerts. Run nightly by
`residency beat`, or by hand with `residency compliance scan`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from residency import clock
from residency.compliance.alerts import Found, ScanSummary, record_scan
from residency.errors import ResidencyError

# The published versions are read through scheduling's own verdict, the one a generation
# must pass: the scan asks the same question of the schedule as it stands today.
from residency.scheduling.block.published import (
    PublishedBlock,
    breaks_in_published,
    published_blocks,
)
from residency.scheduling.block.verdict import RuleBreak


def scan_published_blocks(session: Session) -> ScanSummary:
    """In the caller's transaction. A block that cannot be checked (its plan is gone, say) is
    named among the problems and its alerts are left as they were."""
    started = clock.now()
    scanned: list[str] = []
    found: list[Found] = []
    problems: list[str] = []
    for block in published_blocks(session):
        try:
            breaks = breaks_in_published(session, block)
        except ResidencyError as exc:
            problems.append(f"{block}: {exc}")
            continue
        scanned.append(block.scope)
        found += [_found(block, rule_break) for rule_break in breaks]
    return record_scan(session, scanned, found, problems, started)


def _found(block: PublishedBlock, rule_break: RuleBreak) -> Found:
    start = rule_break.day or block.start  # a rule of the whole block
    return Found(
        scope=block.scope,
        academic_year=block.academic_year,
        block=block.block,
        run_id=block.run_id,
        rule=rule_break.rule,
        person_key=rule_break.person_id or "",
        period_start=start,
        period_end=rule_break.last_day or start,
        message=rule_break.detail,
        citation=rule_break.citation,
    )
