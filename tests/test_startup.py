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


@pytest.mark.parametrize("caller_collects", [True, False])
def test_the_collector_is_on_again_after_the_library_loads(tmp_path, caller_collects):
    """The CLI turns the garbage collector off only while a command imports the library (cli._loading), and
    leaves a caller's own choice as it was."""
    import gc

    from click.testing import CliRunner

    from docgen.cli import main

    if not caller_collects:
        gc.disable()
    try:
        for n in range(2):
            done = CliRunner().invoke(main, ["render", str(PLAN), "-o", str(tmp_path / f"{n}.docx")])
            assert done.exit_code == 0, done.output
            assert gc.isenabled() is caller_collects
    finally:
        gc.enable()


def test_cleanups_at_exit_still_run(tmp_path):
    """`python -m docgen` freezes its objects before the interpreter's last collection: atexit handlers and
    weakref.finalize callbacks (the PDF converter's clean-up) still run."""
    marks = tmp_path / "marks"
    code = ("import atexit, sys, weakref\n"
            "class Owner: pass\n"
            "owner = Owner()\n"
            f"weakref.finalize(owner, lambda: open({str(marks)!r}, 'a').write('finalize\\n'))\n"
            f"atexit.register(lambda: open({str(marks)!r}, 'a').write('atexit\\n'))\n"
            f"sys.argv = ['docgen', 'render', {str(PLAN)!r}, '-o', {str(tmp_path / 'kh.docx')!r}]\n"
            "from docgen.__main__ import run\n"
            "run()\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(marks.read_text().split()) == ["atexit", "finalize"]
    assert (tmp_path / "kh.docx").is_file()
