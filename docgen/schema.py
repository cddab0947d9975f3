"""JSON Schema of the source kinds, for editors (yaml-language-server)."""
from __future__ import annotations

from typing import Any

from .kinds import KINDS


def json_schema(loai: str) -> dict[str, Any]:
    kind = KINDS[loai]
    schema: dict[str, Any] = kind.model_class().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"docgen: {kind.ten}"
    return schema
