"""Exceptions that carry a reason fit for a one-line message."""


class RejectedDocument(Exception):
    """The document cannot be turned into an article; ``str(exc)`` is the reason."""


class UsageError(Exception):
    """The caller asked for something impossible (bad option, bad database URL, ...)."""
