"""The program file on the web: `/program/file` offers the export (`GET /program/file/export`,
the YAML file `residency program export` writes) and an upload that is previewed before it is
applied. The preview validates the file as `residency program import` does (program/files.py,
validation.py), lists every problem with its path in the file, or every entry the import would
create or update (program/changes.py preview_import, in a savepoint that is rolled back).

"Apply" must import exactly the previewed file. Nothing is stored between the two requests:
the preview page carries the file's bytes (compressed, base64) in a hidden field with an HMAC
of them bound to the session (web/csrf.py session_signature), so the apply request proves it
sends the very file this session previewed, unchanged, without asking the coordinator to
upload it again (a second upload could be another file). Apply then validates and imports it
for real, which writes the import's one audit row."""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from residency.auth.permissions import Permission
from residency.auth.tokens import Principal
from residency.errors import InputError
from residency.program.changes import ImportChanges, apply_import, preview_import
from residency.program.export import export_program
from residency.program.files import dump_program, load_yaml
from residency.program.schema import ProgramDocument
from residency.program.validation import Problem, checked_document
from residency.web import csrf
from residency.web.deps import transaction
from residency.web.page_deps import page_user, see_other
from residency.web.templating import flash, render

router = APIRouter(include_in_schema=False)
SIGNED = "program-file"  # the signature's purpose: it signs nothing else
EXPORT_NAME = "program.yaml"
NAME_LENGTH = 128  # of the uploaded file's name, which the messages repeat
EDITOR = Depends(page_user(Permission.EDIT_PROGRAM))


@dataclass(frozen=True)
class Upload:
    name: str  # as the browser named the file: the messages start with it
    content: bytes


@router.get("/program/file")
def file_page(request: Request, who: Principal = EDITOR) -> Response:
    return _file_page(request, who, [])


@router.get("/program/file/export")
def export_file(
    request: Request, who: Principal = Depends(page_user(Permission.READ_PROGRAM))
) -> Response:
    """The program file, as a download (the API's GET /api/v1/program/export, as YAML)."""
    with transaction(request, who) as session:
        text = dump_program(export_program(session))
    disposition = f'attachment; filename="{EXPORT_NAME}"'
    return Response(
        text, media_type="application/yaml", headers={"Content-Disposition": disposition}
    )


@router.post("/program/file/preview")
def preview(
    request: Request, file: UploadFile | None = File(None), who: Principal = EDITOR
) -> Response:
    """Nothing is written: the import runs in a savepoint that is rolled back."""
    content = file.file.read() if file is not None else b""
    if not content:
        missing = Problem("file", "file: choose a program file (YAML) to upload")
        return _file_page(request, who, [missing], status=422)
    named = (file.filename if file is not None else None) or "file"
    upload = Upload(named[:NAME_LENGTH], content)
    document, problems = _checked(upload)
    if document is None:
        return _file_page(request, who, problems, status=422)
    try:
        with transaction(request, who) as session:
            changes = preview_import(session, document)
    except InputError as clash:  # valid in itself, but it clashes with stored entries
        return _file_page(request, who, [_problem(clash)], status=422)
    encoded = base64.b64encode(zlib.compress(upload.content)).decode("ascii")
    context: dict[str, Any] = {
        "title": f"Preview of {upload.name}",
        "name": upload.name,
        "changes": changes,
        "content": encoded,
        "signature": csrf.session_signature(request, SIGNED, _signed(upload.name, encoded)),
    }
    return render(request, "program/file_preview.html", who, **context)


@router.post("/program/file/apply")
def apply(
    request: Request,
    name: str = Form("", max_length=NAME_LENGTH),
    content: str = Form(""),
    signature: str = Form("", max_length=128),
    who: Principal = EDITOR,
) -> Response:
    """Imports the previewed file: the same validation, then the import for real."""
    upload = _previewed(request, name, content, signature)
    if upload is None:
        stale = Problem(
            "file",
            "file: this is not the file previewed in this session (the preview is from "
            "another sign-in, or was changed); upload the file and preview it again",
        )
        return _file_page(request, who, [stale], status=422)
    document, problems = _checked(upload)
    if document is None:
        return _file_page(request, who, problems, status=422)
    try:
        with transaction(request, who) as session:
            changes: ImportChanges = apply_import(session, document)
    except InputError as clash:
        return _file_page(request, who, [_problem(clash)], status=422)
    response = see_other("/program/file")
    flash(response, "program_imported" if changes.changed else "program_unchanged")
    return response


def _previewed(request: Request, name: str, content: str, signature: str) -> Upload | None:
    if not csrf.signature_matches(request, SIGNED, _signed(name, content), signature):
        return None
    try:  # only after the signature matched: these are bytes this server compressed
        return Upload(name, zlib.decompress(base64.b64decode(content, validate=True)))
    except (binascii.Error, ValueError, zlib.error):
        return None


def _signed(name: str, encoded: str) -> str:
    return f"{name}\0{encoded}"


def _checked(upload: Upload) -> tuple[ProgramDocument | None, list[Problem]]:
    """The checks of `residency program import`, every problem at once."""
    try:
        text = upload.content.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem("file", f"{upload.name}: is not UTF-8 text (a YAML file is)")]
    try:
        raw = load_yaml(text, upload.name)
    except InputError as bad:
        return None, [_problem(bad)]
    return checked_document(raw, upload.name)


def _problem(bad: InputError) -> Problem:
    return Problem(bad.field or "file", str(bad))


def _file_page(
    request: Request, who: Principal, problems: list[Problem], status: int = 200
) -> Response:
    return render(
        request,
        "program/file.html",
        who,
        status=status,
        title="Program file",
        problems=problems,
    )
