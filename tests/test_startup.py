"""Start-up: each command imports only what it uses (fresh processes; the time itself is in bench/render.py)."""
import json
import os
import subprocess
import sys

import pytest

from .util import PLAN, ROOT

# what a fresh `docgen ARGS` has imported when it is done: docgen's modules and the heavy libraries
_PROBE = """
import json, sys
from docgen.cli import main
try:
    main(sys.argv[1:], prog_name="docgen")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("docgen.") or "." not in m)))
"""
OTHER_COMMANDS = {"docgen.api", "docgen.batching", "docgen.checker", "docgen.importer", "docgen.next_year",
                  "docgen.progress", "docgen.schema", "openpyxl", "fastapi", "multiprocessing"}


def loaded(*args: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True, env=None if env is None else {**os.environ, **env})
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["render", "--help"]])
def test_help_and_version_import_no_library(args):
    modules = loaded(*args)
    assert not modules & {"pydantic", "yaml", "jinja2", "lxml", "docx", "docxtpl", "docgen.core", "docgen.model",
                          *OTHER_COMMANDS}, sorted(modules)


def test_render_imports_only_what_rendering_uses(tmp_path):
    out = tmp_path / "kh.docx"
    modules = loaded("render", str(PLAN), "-o", str(out))
    assert out.is_file()
    assert {"docgen.core", "docgen.model", "docgen.rendering", "docgen.context"} <= modules
    assert not modules & OTHER_COMMANDS, sorted(modules & OTHER_COMMANDS)


def test_a_template_seen_before_needs_no_python_docx(tmp_path):
    """The prepared template comes from the cache (template_cache.py): python-docx and docxtpl are not imported."""
    env = {"DOCGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = loaded("render", str(PLAN), "-o", str(tmp_path / "a.docx"), env=env)
    second = loaded("render", str(PLAN), "-o", str(tmp_path / "b.docx"), env=env)
    assert {"docx", "docxtpl"} <= first
    assert not second & {"docx", "docxtpl"}, sorted(second & {"docx", "docxtpl"})
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
