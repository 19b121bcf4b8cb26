"""The JSON Schema of the article record, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

SCHEMA_FILE = "article-record.schema.json"


def schema_text() -> str:
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_text())


def validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def errors(record: dict) -> list[str]:
    """Schema violations of a record, as readable strings (empty when valid)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
            for e in validator().iter_errors(record)]
