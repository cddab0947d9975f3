"""Render a source of any kind (kinds.py) to .docx (and PDF); build a whole folder. ``api.py`` calls these."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain import TODO_MARKERS
from .errors import DocgenError, Problem
from .kinds import DOCUMENTS, KINDS, Kind
from .loader import Source, load
from .model import Properties
from .pdf import convert, to_pdf
from .rendering import prepared
from .validate import tidied
from .write import refuse_inputs, write_atomic


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
    canh_bao: list[Problem] = field(default_factory=list)  # warnings: written anyway, refused by --strict


def kind(source: Source) -> Kind:
    """The document kind a source declares with ``loai:``."""
    loai = source.data.get("loai") if isinstance(source.data, dict) else None
    found = KINDS.get(loai) if isinstance(loai, str) else None
    if found is None or not found.document:
        shown = f"'{loai}'" if isinstance(loai, str) or loai is None else "(không phải một từ)"
        raise DocgenError(source.problem(("loai",), f"loại văn bản {shown} chưa hỗ trợ; chọn một trong: "
                                         + ", ".join(k.loai for k in DOCUMENTS)))
    return found


def build_document(path: Path | str | Source, warnings: list[Problem] | None = None
                   ) -> tuple[Source, dict[str, Any], Properties]:
    """Load (unless given a source already read), validate and build the context: (source, context, props).

    What is written anyway but a person should look at (a due task missing from a report's
    ``tien_do``) is appended to ``warnings`` when given.
    """
    source = _read_source(path)
    found = kind(source)
    notes = tidied(source)
    context, props = found.context(found.load_source(source), warnings=notes)
    if warnings is not None:
        warnings.extend(notes)
    return source, context, props


WORD_SUFFIXES = {".docx", ".doc", ".docm", ".odt", ".pdf"}


def _read_source(path: Path | str | Source) -> Source:
    """The YAML source; a Word or PDF file given by mistake gets the command that reads it."""
    if isinstance(path, Source):
        return path
    if Path(path).suffix.lower() in WORD_SUFFIXES:
        raise DocgenError(Problem("đây là tệp văn bản đã soạn, không phải tệp nguồn YAML: dùng "
                                  "'docgen import' để chuyển nó thành tệp nguồn, hoặc 'docgen check' để kiểm "
                                  "tra thể thức", str(path)))
    return load(path)


def render_bytes(path: Path | str | Source, template: Path | str | None = None,
                 warnings: list[Problem] | None = None) -> bytes:
    """The .docx bytes of a source, nothing written."""
    source, context, props = build_document(path, warnings)
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


def build_all(directory: Path | str = "data", out_dir: Path | str = "output", pdf: bool = False
              ) -> list[Rendered]:
    """Render every source under ``directory`` into ``out_dir`` (same relative layout).

    Every source is checked before anything is written: one bad file stops the build
    with all its problems listed, and no output is half-updated. ``pdf`` also converts
    every document, all in one LibreOffice; documents it cannot convert are listed together.
    """
    directory, out_dir = Path(directory), Path(out_dir)
    if not directory.is_dir():
        raise DocgenError(Problem("không phải thư mục", str(directory)))
    rendered: list[tuple[Path, Path, bytes, list[Problem]]] = []
    problems: list[Problem] = []
    for source in sources(directory):
        path = source.path
        out = out_dir / path.relative_to(directory).with_suffix(".docx")
        try:
            warnings: list[Problem] = []
            rendered.append((path, out, render_bytes(source, warnings=warnings), warnings))
        except DocgenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DocgenError(problems)
    results = []
    for path, out, data, warnings in rendered:
        write_atomic(out, data)
        results.append(Rendered(path, out, canh_bao=warnings))
    if pdf and results:
        made = convert([r.docx for r in results])
        failed = [p for r in results for p in _pdf_problems(made[r.docx])]
        for r in results:
            made_pdf = made[r.docx]
            r.pdf = made_pdf if isinstance(made_pdf, Path) else None
        if failed:
            raise DocgenError(failed)
    return results


def _pdf_problems(made) -> list[Problem]:
    return made.problems if isinstance(made, DocgenError) else []


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

    ``strict`` refuses a source that still has TODO(rollover)/TODO(import) notes, or that
    gives warnings (a due task missing from a report's ``tien_do``).
    """
    path = Path(path)
    out = Path(out) if out else default_output(path)
    if out.suffix.lower() != ".docx":
        raise DocgenError(Problem("tệp kết quả phải có đuôi .docx", str(out)))
    refuse_inputs(out, {"tệp nguồn": path, "mẫu Word (--template)": template})
    warnings: list[Problem] = []
    data = render_bytes(path, template, warnings)
    if strict:
        refused = todo_markers(path) + warnings
        if refused:
            raise DocgenError([Problem(f"còn việc cần xem lại (--strict): {p.message}", p.file, p.line, p.field)
                               for p in refused])
    write_atomic(out, data)
    result = Rendered(path, out, canh_bao=warnings)
    if pdf:
        result.pdf = to_pdf(out)
    return result
