"""The library API: render a source file to .docx (and PDF). The CLI is one caller."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import context as ctx
from .errors import DocgenError, Problem
from .loader import Source, load
from .render import prepared
from .validate import check_plan, validate_model
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


def _loai(source: Source) -> str:
    loai = source.data.get("loai") if isinstance(source.data, dict) else None
    if loai not in TEMPLATES:
        raise DocgenError(source.problem(("loai",), f"loại văn bản '{loai}' chưa hỗ trợ; chọn một trong: "
                                         + ", ".join(TEMPLATES)))
    return loai


def build_document(path: Path | str | Source):
    """Load (unless given a source already read), validate and build the context: (source, context, props)."""
    from . import model as m

    source = path if isinstance(path, Source) else load(path)
    if _loai(source) == "bao_cao":
        from . import report

        r = report.compute(report.load_sources(source))
        context, props = report.build(r)
        return r.source, context, props
    plan = validate_model(source, m.KeHoach)
    check_plan(source, plan)
    context, props = ctx.build(plan)
    return source, context, props


def render_bytes(path: Path | str | Source, template: Path | str | None = None) -> bytes:
    """The .docx bytes of a source, nothing written."""
    source, context, props = build_document(path)
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
        from .pdf import to_pdf

        result.pdf = to_pdf(out)
    return result
