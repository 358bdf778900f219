"""The bureau's sheets in the browser: upload an import, read its dry run, confirm; export.

The schema has no mutation for sheets (a file upload and a long report are no fit for it),
so these routes call the transfer services that `ipdir import` and `ipdir export` call,
with the signed-in bureau's viewer: the same rules, all or nothing, and audit entries
naming the bureau's token. The confirmed load checks every row again, so the sheet sent
back with the confirmation (in the form, as the dry run read it) needs no trust.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from directory.accounts.models import Role
from directory.clock import Moment
from directory.transfer.commands import IMPORTERS
from directory.transfer.exporting import EXPORTABLE, export
from directory.transfer.files import SheetError, read_table
from directory.transfer.importing import import_table
from directory.transfer.report import ImportReport
from directory.transfer.sheets import SHEETS
from directory.web.csrf import checked_form
from directory.web.field_errors import describe
from directory.web.render import language, render
from directory.web.signin import signed_in_as

MAX_SHEET = 5 * 1024 * 1024  # bytes; the bureau's sheets are far smaller
# bytes: the whole upload form, the sheet sent back in base64 (a third longer) and the rest
MAX_UPLOAD_BYTES = 2 * MAX_SHEET + 64 * 1024
SUFFIXES = (".xlsx", ".csv")
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _read(content: bytes, suffix: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        return read_table(path)


async def _run(
    request: Request, what: str, content: bytes, suffix: str, dry_run: bool
) -> ImportReport:
    """SheetError when the file is no sheet; otherwise the report."""
    session = signed_in_as(request, Role.BUREAU)
    table = await asyncio.to_thread(_read, content, suffix)
    at = Moment.at(request.app.state.clock())
    return await import_table(table, IMPORTERS[what](session.viewer, at), dry_run)


def _page(request: Request, **context: Any) -> dict[str, Any]:
    return {"nav_current": "bureau", "sheets": SHEETS, "exportable": EXPORTABLE, **context}


async def import_page(request: Request) -> Response:
    signed_in_as(request, Role.BUREAU)
    return await render(request, "bureau/import.html", _page(request))


def _problems(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "row": p.row,
            "column": p.column,
            "what": describe(p.code.value, lang),
            "detail": p.message,
        }
        for p in report.problems
    ]


async def _sheet_sent(form: FormData) -> tuple[str, bytes] | None:
    """The file's name and content: uploaded, or sent back by the confirmation form."""
    file, confirm = form.get("file"), form.get("content")
    if isinstance(file, UploadFile) and file.filename:
        return file.filename, await file.read(MAX_SHEET + 1)
    if isinstance(confirm, str) and confirm:
        try:
            return str(form.get("filename", "")), base64.b64decode(confirm, validate=True)
        except binascii.Error:
            return None
    return None


async def upload(request: Request) -> Response:
    """Check the sheet with nothing written and show what a load would do; or load it."""
    session = signed_in_as(request, Role.BUREAU)
    # The confirmation sends the sheet back in a field: base64 is a third longer.
    form = await checked_form(request, session, max_part_size=2 * MAX_SHEET)
    try:
        what = str(form.get("sheet", ""))
        sent = await _sheet_sent(form)
        load = form.get("load") == "1" and not isinstance(form.get("file"), UploadFile)
    finally:
        await form.close()
    if what not in SHEETS:
        return await render(request, "bureau/import.html", _page(request, error="sheet"))
    name, content = sent or ("", b"")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES or not content or len(content) > MAX_SHEET:
        return await render(request, "bureau/import.html", _page(request, error="file"))
    try:
        report = await _run(request, what, content, suffix, dry_run=not load)
    except SheetError as exc:
        context = _page(request, error="unreadable", detail=str(exc), chosen=what)
        return await render(request, "bureau/import.html", context)
    context = _page(
        request,
        report=report,
        problems=_problems(report, language(request)),
        chosen=what,
        filename=name,
        digest=hashlib.sha256(content).hexdigest()[:12],
        content=base64.b64encode(content).decode() if not load and not report.problems else "",
    )
    return await render(request, "bureau/import.html", context)


async def download(request: Request) -> Response:
    signed_in_as(request, Role.BUREAU)
    what, fmt = request.path_params["sheet"], request.path_params["format"]
    if what not in EXPORTABLE or fmt not in _MEDIA:
        return await render(request, "bureau/import.html", _page(request, error="sheet"), 404)
    private = request.query_params.get("private") == "1"

    def _path(folder: str) -> Path:
        return Path(folder) / f"export.{fmt}"

    with tempfile.TemporaryDirectory() as folder:
        await export(SHEETS[what], _path(folder), fmt, private)
        content = await asyncio.to_thread(_path(folder).read_bytes)
    name = f"{what}{'-private' if private else ''}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=_MEDIA[fmt], headers=headers)


def transfer_routes() -> list[BaseRoute]:
    return [
        Route("/bureau/import", import_page, methods=["GET"]),
        Route("/bureau/import", upload, methods=["POST"]),
        Route("/bureau/export/{sheet}.{format}", download, methods=["GET"]),
    ]
