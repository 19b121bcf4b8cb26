"""Bytes to text: encoding detection and refusal of binary data.

UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are; anything else goes
to charset-normalizer, and a document it cannot place is rejected rather than guessed.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from trucewatch.errors import RejectedDocument

# Signatures of common binary formats, so the error names what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"SQLite format 3", "an SQLite database"),
    (b"RIFF", "a RIFF media file"),
    (b"ID3", "an MP3 file"),
)


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None if it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        return "binary data (control bytes)"
    return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode document bytes; raise RejectedDocument when that cannot be done honestly."""
    if not data or not data.strip():
        raise RejectedDocument("empty document")
    what = binary_kind(data)
    if what:
        raise RejectedDocument(f"not a text document: {what}")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    for enc in filter(None, (declared, "utf-8")):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise RejectedDocument("unknown text encoding (charset detection found no match)")
    text = str(best)
    if not text.strip():
        raise RejectedDocument("empty document after decoding")
    return text


def _strict(data: bytes, enc: str) -> str:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise RejectedDocument(f"invalid {enc}: {exc.reason} at byte {exc.start}") from None
    if not text.strip():
        raise RejectedDocument("empty document")
    return text
