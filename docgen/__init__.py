"""docgen: Vietnamese administrative documents (Decree 30/2020/NĐ-CP) from YAML and Word templates."""
from .core import render_bytes, render_file
from .errors import DocgenError, Problem

__all__ = ["DocgenError", "Problem", "render_bytes", "render_file"]
