"""docgen: Vietnamese administrative documents (Decree 30/2020/NĐ-CP) from YAML and Word templates.

The library API (``api.py``) is imported on first use, so that ``docgen --help`` and
each command load only what they use::

    from docgen import render, build, check, DocgenError
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: Ctrl-C during start-up is handled in __main__ just after
    from typing import Any

API = ("render", "build", "report", "rollover", "batch", "check", "import_",
       "Rendered", "ReportFigures", "RolloverResult", "BatchResult", "ImportResult", "Finding")
__all__ = [*API, "DocgenError", "Problem"]


def __getattr__(name: str) -> Any:
    if name in API:
        from . import api

        return getattr(api, name)
    if name in ("DocgenError", "Problem"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(name)
