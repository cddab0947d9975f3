"""The library API: render a source file to .docx (and PDF). The CLI is one caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import context as ctx
from .errors import DocgenError, Problem
from .loader import Source, load
from .render import prepared
from .validate import check_plan, tidied, validate_model
from .write import write_atomic

ROOT = Path(__file__).resolve().parent.parent
# Templates and schemas are package data, so an installed docgen finds them outside any checkout.
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = {"ke_hoach": "ke_hoach.docx", "bao_cao": "bao_cao.docx"}
# Kinds that are data for other commands, not documents: `build` passes them by.
NOT_DOCUMENTS = {"don_vi"}


def default_template(loai: str) -> Path:
    """The bundled template of a document kind (package data under ``docgen/templates/``)."""
    return PACKAGE / "templates" / TEMPLATES[loai]


def default_output(source: Path, out_dir: Path = Path("output")) -> Path:
    return out_dir / (source.stem + ".docx")


@dataclass
class Rendered:
    source: Path
    docx: Path
    pdf: Path | None = None
    canh_bao: list[Problem] = field(default_factory=list)  # warnings: written anyway, refused by --strict


def _loai(source: Source) -> str:
    loai = source.data.get("loai") if isinstance(source.data, dict) else None
    if not isinstance(loai, str) or loai not in TEMPLATES:
        shown = f"'{loai}'" if isinstance(loai, str) or loai is None else "(không phải một từ)"
        raise DocgenError(source.problem(("loai",), f"loại văn bản {shown} chưa hỗ trợ; chọn một trong: "
                                         + ", ".join(TEMPLATES)))
    return loai


def build_document(path: Path | str | Source, warnings: list[Problem] | None = None):
    """Load (unless given a source already read), validate and build the context: (source, context, props).

    What is written anyway but a person should look at (a due task missing from a report's
    ``tien_do``) is appended to ``warnings`` when given.
    """
    from . import model as m

    source = _read_source(path)
    if _loai(source) == "bao_cao":
        from . import report

        r = report.compute(report.load_sources(source))
        if warnings is not None:
            warnings.extend(tidied(source) + r.bo_sot)
        context, props = report.build(r)
        return r.source, context, props
    from .placeholders import filled

    plan = validate_model(filled(source), m.KeHoach)
    check_plan(source, plan)
    if warnings is not None:
        warnings.extend(tidied(source))
    context, props = ctx.build(plan)
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
    tpl = prepared(template or default_template(_loai(source)))
    return tpl.render(context, props)


def sources(directory: Path | str) -> list[Source]:
    """Every document source under ``directory``, read once (sorted; data files of other kinds left out)."""
    found = []
    for path in sorted(Path(directory).rglob("*.yaml")):
        source = load(path)
        loai = source.data.get("loai") if isinstance(source.data, dict) else None
        if loai not in NOT_DOCUMENTS:
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
        from .pdf import convert

        made = convert([r.docx for r in results])
        failed = [p for r in results for p in _pdf_problems(made[r.docx])]
        for r in results:
            r.pdf = made[r.docx] if isinstance(made[r.docx], Path) else None
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
    notes = ("# TODO(rollover)", "# TODO(import)")
    return [Problem(line.strip().lstrip("# ").strip(), str(path), n)
            for n, line in enumerate(lines, 1) if line.strip().startswith(notes)]


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
        from .pdf import to_pdf

        result.pdf = to_pdf(out)
    return result
