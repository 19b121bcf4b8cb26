"""Reading an upload without trusting it: the token before the body, the declared size before
reading, and the body streamed through a multipart parser with a running cap.

Nothing is spooled to disk: the files are kept in memory, which the limits bound (at most
``max_files`` files of ``max_file_bytes`` each, and a body of at most :func:`body_cap` bytes).
The API's token is a header, checked before the body is touched.  The upload form's token is a
form field: it must come before the files (the page puts it first), and reading stops at the
first file part that arrives without a valid token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParser, parse_options_header

PART_OVERHEAD = 16 * 1024  # room for one part's boundary and headers
FORM_OVERHEAD = 64 * 1024  # room for the token field and the closing boundary
MAX_FIELD = 1024  # the longest form field (the token) read
FILES_FIELD = "files"
TOKEN_FIELD = "token"


def body_cap(max_files: int, max_file_bytes: int) -> int:
    """The largest body an upload within the limits can need."""
    return max_files * (max_file_bytes + PART_OVERHEAD) + FORM_OVERHEAD


def safe_name(name: str) -> str:
    """An uploaded file's own name, without folders and with only word characters, dots and
    dashes: it names the document and gives the article its id, as a file read from disk does."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-]+", "_", base).strip("._")[:100] or "upload"


def refuse_oversized(request: Request, cap: int) -> None:
    """Refuse a body whose declared length is over the cap, before reading any of it."""
    declared = request.headers.get("content-length")
    if declared is None:
        return
    try:
        size = int(declared)
    except ValueError:
        raise HTTPException(400, "invalid Content-Length") from None
    if size > cap:
        raise HTTPException(413, f"upload of {size:,} bytes is over the limit of {cap:,} bytes; nothing was read")


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    field_name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


async def read_files(request: Request, *, max_files: int, max_file_bytes: int,
                     form_token: Callable[[str], None] | None = None) -> list[tuple[str, bytes]]:
    """The uploaded files as (safe name, bytes), in order.  ``form_token``, when given, is called
    with the form's token field and must raise to refuse it; a file part before an accepted token
    is refused at once.  Raises HTTPException: 413 over a limit, 401 for a missing token, 400 or
    415 for a body that is not a complete multipart form."""
    cap = body_cap(max_files, max_file_bytes)
    refuse_oversized(request, cap)
    ctype, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise HTTPException(415, "send the files as multipart/form-data")
    files: list[tuple[str, bytes]] = []
    state = {"part": _Part(), "field": b"", "value": b"", "token_ok": form_token is None, "done": False}

    def header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]
        if len(state["field"]) > PART_OVERHEAD:
            raise HTTPException(400, "a part header is too long")

    def header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]
        if len(state["value"]) > PART_OVERHEAD:
            raise HTTPException(400, "a part header is too long")

    def header_end() -> None:
        part: _Part = state["part"]
        part.headers[state["field"].decode("latin-1").lower()] = state["value"].decode("utf-8", "replace")
        state["field"] = state["value"] = b""

    def headers_finished() -> None:
        part: _Part = state["part"]
        _disp, opts = parse_options_header(part.headers.get("content-disposition", ""))
        part.field_name = opts.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in opts:
            part.filename = opts[b"filename"].decode("utf-8", "replace")
        if part.field_name == FILES_FIELD and not state["token_ok"]:
            raise HTTPException(401, "a valid token is required to ingest (give it before the files)")

    def part_data(data: bytes, start: int, end: int) -> None:
        part: _Part = state["part"]
        if part.field_name == FILES_FIELD:
            part.data += data[start:end]
            if len(part.data) > max_file_bytes:
                raise HTTPException(413, f"{safe_name(part.filename or 'upload')}: larger than {max_file_bytes} bytes; "
                                         f"nothing was stored")
        elif part.field_name == TOKEN_FIELD:
            part.data += data[start:end]
            if len(part.data) > MAX_FIELD:
                raise HTTPException(401, "a valid token is required to ingest")

    def part_end() -> None:
        part: _Part = state["part"]
        if part.field_name == TOKEN_FIELD and form_token is not None:
            form_token(bytes(part.data).decode("utf-8", "replace"))
            state["token_ok"] = True
        elif part.field_name == FILES_FIELD and (part.filename or part.data):
            if len(files) == max_files:
                raise HTTPException(413, f"too many files: more than {max_files} per upload")
            files.append((safe_name(part.filename or "upload"), bytes(part.data)))
        state["part"] = _Part()

    def end() -> None:
        state["done"] = True

    parser = MultipartParser(boundary, {
        "on_header_field": header_field, "on_header_value": header_value, "on_header_end": header_end,
        "on_headers_finished": headers_finished, "on_part_data": part_data, "on_part_end": part_end,
        "on_end": end,
    })
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap:
                raise HTTPException(413, f"upload over the limit of {cap:,} bytes; nothing was stored")
            parser.write(chunk)
            if state["done"]:
                break
        parser.finalize()
    except HTTPException:
        raise
    except Exception as exc:  # python-multipart's parse errors: a malformed body
        raise HTTPException(400, f"malformed multipart body: {type(exc).__name__}") from None
    if not state["done"]:
        raise HTTPException(400, "incomplete multipart body")
    if not state["token_ok"]:
        raise HTTPException(401, "a valid token is required to ingest")
    if not files:
        raise HTTPException(422, "no files uploaded")
    return files
