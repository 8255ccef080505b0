"""The program file over HTTP: export it as JSON, import it as a dry run that lists every
change it would make, or for real. The same document, rules and import as
`residency program export|import` (program/schema.py, program/validation.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.program.changes import ImportChanges, apply_import, preview_import
from residency.program.export import export_program
from residency.program.schema import ProgramDocument
from residency.program.validation import check_entries
from residency.web.deps import allow, transaction

router = APIRouter(prefix="/api/v1/program", tags=["program file"])


class KindChangesOut(BaseModel):
    kind: str = Field(description="people, PGY levels, rotation templates, absences, ...")
    created: int
    updated: int
    unchanged: int
    created_keys: list[str]
    updated_keys: list[str]
    unchanged_keys: list[str]


class ImportOut(BaseModel):
    dry_run: bool = Field(description="True: nothing was written")
    changed: bool = Field(description="Whether the import changes (or changed) anything")
    changes: list[KindChangesOut]


@router.get("/export", response_model=ProgramDocument)
def export(
    request: Request, who: Principal = Depends(allow(Permission.READ_PROGRAM))
) -> ProgramDocument:
    """The program document `residency program export` writes, as JSON."""
    with transaction(request, who) as session:
        return export_program(session)


@router.post("/import", response_model=ImportOut)
def import_document(
    document: ProgramDocument,
    request: Request,
    dry_run: bool = Query(True, description="false: apply the changes"),
    who: Principal = Depends(allow(Permission.EDIT_PROGRAM)),
) -> ImportOut:
    """Validates the whole document as `residency program import` does, then lists what it
    changes per kind; with dry_run=false it also applies them (entries not in the document are
    left alone). Nothing is written on any error."""
    check_entries(document, "body")
    with transaction(request, who) as session:
        changes = (preview_import if dry_run else apply_import)(session, document)
    return _import_out(changes, dry_run)


def _import_out(changes: ImportChanges, dry_run: bool) -> ImportOut:
    return ImportOut(
        dry_run=dry_run,
        changed=changes.changed,
        changes=[
            KindChangesOut(
                kind=kind.kind,
                created=len(kind.created),
                updated=len(kind.updated),
                unchanged=len(kind.unchanged),
                created_keys=kind.created,
                updated_keys=kind.updated,
                unchanged_keys=kind.unchanged,
            )
            for kind in changes.kinds
        ],
    )
