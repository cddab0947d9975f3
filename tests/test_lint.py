"""Code rules run as tests, so `.ci/run` enforces them: ruff, mypy, imports pointing down, one home per fact."""
import ast
import subprocess
import sys

import pytest

from docgen.kinds import KINDS

from .util import ROOT

PACKAGE = ROOT / "docgen"

# Layers, lowest first: a module imports only from its own layer or below (CLI -> API -> features ->
# model, rendering, OOXML reading -> Vietnamese rules). A module not listed sits at the layer of the
# highest module it imports; subpackages (the web app) sit with the CLI on top.
LAYERS = {
    "vn": 0, "errors": 0, "domain": 0, "metrics": 0,
    "kinds": 1, "loader": 1, "model": 1, "ooxml": 1, "write": 1, "docx_safe": 1, "lines": 1, "deadline": 1,
    "pdf": 1, "parts": 1, "yaml_errors": 1, "template_cache": 1,
    "validate": 2, "rendering": 2, "sandbox": 2, "layout": 2,
    "context": 3, "reporting": 3, "units": 3, "batching": 3, "next_year": 3, "importer": 3, "checker": 3,
    "schema": 3, "core": 3, "schedule": 3, "progress": 3,
    "api": 4, "commands": 5, "cli": 5, "__main__": 5, "__init__": 5,
}
# Imports inside functions, only where measured for start-up: the CLI layer imports each command's code when
# the command runs (`import docgen.cli` stays ≈ 45 ms, bench/README.md); and these heavy libraries are imported
# where first needed: docxtpl/python-docx ≈ 115 ms (design.md), openpyxl ≈ 220 ms (python -X importtime,
# needed only to write progress workbooks).
LAZY_IMPORTS_ALLOWED = {"cli", "commands", "__init__", "__main__"}  # __main__: imports the CLI under its Ctrl-C guard
HEAVY_LIBRARIES = {"docxtpl", "docx", "openpyxl"}


def _modules():
    return sorted(p for p in PACKAGE.glob("*.py"))


def _layer(name: str, seen: frozenset[str] = frozenset()) -> int:
    if (PACKAGE / name).is_dir():
        return 5
    if name in LAYERS:
        return LAYERS[name]
    path = PACKAGE / f"{name}.py"
    if name in seen or not path.exists():
        return 0
    deps = [t for _, t in _imports(ast.parse(path.read_text(encoding="utf-8")))]
    return max((_layer(t, seen | {name}) for t in deps), default=0)


def _imports(tree: ast.Module):
    """Top-level relative imports: (line, module name)."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                yield node.lineno, node.module.split(".")[0]
            else:
                for alias in node.names:
                    yield node.lineno, alias.name


def test_ruff():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "docgen", "tests"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy():
    done = subprocess.run([sys.executable, "-m", "mypy", "docgen"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_imports_point_down():
    wrong = []
    for path in _modules():
        here = path.stem
        for line, target in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if _layer(target) > _layer(here):
                wrong.append(f"docgen/{path.name}:{line}: {here} (layer {_layer(here)}) imports {target} "
                             f"(layer {_layer(target)})")
    assert not wrong, "\n".join(wrong)


def test_no_function_level_imports_outside_the_measured_ones():
    found = []
    for path in _modules():
        if path.stem in LAZY_IMPORTS_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found += [f"docgen/{path.name}:{n.lineno}: {ast.unparse(n)}" for n in ast.walk(fn)
                          if isinstance(n, (ast.Import, ast.ImportFrom)) and not _heavy(n)]
    assert not found, "\n".join(found)


def _heavy(node: ast.Import | ast.ImportFrom) -> bool:
    names = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
        [a.name for a in node.names] if isinstance(node, ast.Import) else [""]
    return all(n.split(".")[0] in HEAVY_LIBRARIES for n in names)


def _string_constants(tree: ast.Module):
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


FACTS = {
    "TODO markers": ("domain", lambda value: "# TODO(" in value),
    "task states": ("domain", lambda value: value in ("hoan_thanh", "dang_thuc_hien", "chua_thuc_hien")),
    "template file names": ("kinds", lambda value: value in {f"{loai}.docx" for loai in KINDS}),
}


@pytest.mark.parametrize("fact", FACTS)
def test_one_home_per_fact(fact):
    home, is_it = FACTS[fact]
    elsewhere = [f"docgen/{path.name}:{line}: {value!r}" for path in _modules() if path.stem != home
                 for line, value in _string_constants(ast.parse(path.read_text(encoding="utf-8"))) if is_it(value)]
    assert not elsewhere, f"{fact} belong in docgen/{home}.py:\n" + "\n".join(elsewhere)
