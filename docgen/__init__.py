"""docgen: Vietnamese administrative documents (Decree 30/2020/NĐ-CP) from YAML and Word templates.

The public API is imported lazily so that ``docgen --help`` and each command load only
what they use.
"""
from typing import Any

__all__ = ["DocgenError", "Problem", "render_bytes", "render_file"]


def __getattr__(name: str) -> Any:
    if name in ("render_bytes", "render_file"):
        from . import core

        return getattr(core, name)
    if name in ("DocgenError", "Problem"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(name)
