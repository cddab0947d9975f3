"""The library API: render a source file to .docx (and PDF). The CLI is one caller."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .domain import TODO_MARKERS
from .errors import DocgenError, Problem
from .kinds import DOCUMENTS, KINDS, Kind
from .loader import Source, load
from .model import Properties
from .pdf import to_pdf
from .rendering import prepared
from .write import write_atomic


def default_template(loai: str) -> Path:
    """The bundled template of a document kind (package data under ``docgen/templates/``)."""
    return KINDS[loai].template_path()


def default_output(source: Path, out_dir: Path = Path("output")) -> Path:
    return out_dir / (source.stem + ".docx")


@dataclass
class Rendered:
    source: Path
    docx: Path
    pdf: Path | None = None


def kind(source: Source) -> Kind:
    """The document kind a source declares with ``loai:``."""
    loai = source.data.get("loai") if isinstance(source.data, dict) else None
    found = KINDS.get(loai) if isinstance(loai, str) else None
    if found is None or not found.document:
        raise DocgenError(source.problem(("loai",), f"loại văn bản '{loai}' chưa hỗ trợ; chọn một trong: "
                                         + ", ".join(k.loai for k in DOCUMENTS)))
    return found


def build_document(path: Path | str | Source) -> tuple[Source, dict[str, Any], Properties]:
    """Load (unless given a source already read), validate and build the context: (source, context, props)."""
    source = path if isinstance(path, Source) else load(path)
    context, props = kind(source).context(kind(source).load_source(source))
    return source, context, props


def render_bytes(path: Path | str | Source, template: Path | str | None = None) -> bytes:
    """The .docx bytes of a source, nothing written."""
    source, context, props = build_document(path)
    tpl = prepared(template or kind(source).template_path())
    return tpl.render(context, props)


def sources(directory: Path | str) -> list[Source]:
    """Every document source under ``directory``, read once (sorted; data files of other kinds left out)."""
    found = []
    for path in sorted(Path(directory).rglob("*.yaml")):
        source = load(path)
        loai = source.data.get("loai") if isinstance(source.data, dict) else None
        if not (isinstance(loai, str) and loai in KINDS and not KINDS[loai].document):
            found.append(source)
    return found


def build_all(directory: Path | str = "data", out_dir: Path | str = "output") -> list[Rendered]:
    """Render every source under ``directory`` into ``out_dir`` (same relative layout).

    Every source is checked before anything is written: one bad file stops the build
    with all its problems listed, and no output is half-updated.
    """
    directory, out_dir = Path(directory), Path(out_dir)
    if not directory.is_dir():
        raise DocgenError(Problem("không phải thư mục", str(directory)))
    rendered: list[tuple[Path, Path, bytes]] = []
    problems: list[Problem] = []
    for source in sources(directory):
        path = source.path
        out = out_dir / path.relative_to(directory).with_suffix(".docx")
        try:
            rendered.append((path, out, render_bytes(source)))
        except DocgenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DocgenError(problems)
    results = []
    for path, out, data in rendered:
        write_atomic(out, data)
        results.append(Rendered(path, out))
    return results


def todo_markers(path: Path | str) -> list[Problem]:
    """``# TODO(rollover)`` / ``# TODO(import)`` notes a person still has to resolve."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [Problem(line.strip().lstrip("# ").strip(), str(path), n)
            for n, line in enumerate(lines, 1) if line.strip().startswith(TODO_MARKERS)]


def render_file(path: Path | str, out: Path | str | None = None, template: Path | str | None = None,
                pdf: bool = False, strict: bool = False) -> Rendered:
    """Render ``path`` to ``out`` (default ``output/<stem>.docx``) atomically; optionally a PDF too.

    ``strict`` refuses a source that still has TODO(rollover)/TODO(import) notes.
    """
    path = Path(path)
    if strict:
        todos = todo_markers(path)
        if todos:
            raise DocgenError([Problem(f"còn việc cần xem lại (--strict): {p.message}", p.file, p.line)
                               for p in todos])
    out = Path(out) if out else default_output(path)
    if out.suffix.lower() != ".docx":
        raise DocgenError(Problem("tệp kết quả phải có đuôi .docx", str(out)))
    data = render_bytes(path, template)
    write_atomic(out, data)
    result = Rendered(path, out)
    if pdf:
        result.pdf = to_pdf(out)
    return result
