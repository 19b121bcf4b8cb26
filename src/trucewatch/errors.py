"""Exceptions that carry a reason fit for a one-line message."""


class RejectedDocument(Exception):
    """The document cannot be turned into an article; ``str(exc)`` is the reason."""


class UsageError(Exception):
    """The caller asked for something impossible (bad option, bad database URL, ...)."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Invisible characters that reorder what a terminal shows (bidirectional overrides and isolates).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` made safe for a one-line message on a terminal: line breaks, tabs, escape
    sequences and other control characters, bidirectional overrides, and the bytes of a file
    name that are not valid in its encoding (Python keeps them as lone surrogates) are written
    as backslash escapes, so a name can neither start a new line, forge another message nor
    drive the terminal."""
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        code = ord(ch)
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
