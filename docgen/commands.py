"""Command bodies that print more than one line; the CLI stays a thin wiring layer."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .domain import TODO_IMPORT, TODO_ROLLOVER
from .errors import DocgenError

# Each command imports what it needs when it runs (``docgen check`` does not load pydantic or docxtpl):
# these lazy imports are the measured start-up exception to imports at the top (bench/README.md).


# what a clerk can do with a file check cannot walk (the exception's own text is English or internal)
UNCHECKABLE = ("không kiểm tra được tệp này: cấu trúc tệp Word lạ hoặc hỏng; mở tệp bằng Word, "
               "lưu lại dạng .docx rồi kiểm tra lại")


def run_check(files: tuple[Path, ...], fmt: str, kind: str | None, only_problems: bool) -> int:
    """Check each file, print findings; return the exit status.

    0: every rule passed in every file; 1: some rule is KHÔNG ĐẠT; 2: some file could not be read or
    checked. A file that fails never stops the others; JSON always holds one entry per file.
    """
    from .checker import DAT, KHONG_DANH_GIA, KHONG_DAT, as_dicts, check

    status = 0
    everything: list[dict] = []
    for path in files:
        try:
            findings = check(path, kind)
        except DocgenError as exc:
            errors = [str(p) for p in exc.problems]
        except Exception:  # noqa: BLE001 - one strange file must not stop the others
            errors = [f"{path}: {UNCHECKABLE}"]
        else:
            errors = []
        if errors:
            status = 2
            for e in errors:
                click.echo(f"Lỗi: {e}", err=True)
            if fmt == "json":
                everything.append({"tep": str(path), "loi": "; ".join(errors), "ket_qua": []})
            continue
        if any(f.trang_thai == KHONG_DAT for f in findings):
            status = max(status, 1)
        counts = {s: sum(f.trang_thai == s for f in findings) for s in (DAT, KHONG_DAT, KHONG_DANH_GIA)}
        if fmt == "json":
            everything.append({"tep": str(path), "loi": None,
                               "tong_hop": {"dat": counts[DAT], "khong_dat": counts[KHONG_DAT],
                                            "khong_danh_gia": counts[KHONG_DANH_GIA]},
                               "ket_qua": list(as_dicts(findings))})
            continue
        click.echo(f"== {path}")
        for f in findings:
            if not (only_problems and f.trang_thai == DAT):
                click.echo(f.line())
        click.echo(", ".join(f"{n} {s.lower()}" for s, n in counts.items()))
    if fmt == "json":
        click.echo(json.dumps(everything, ensure_ascii=False, indent=2))
    return status


def run_batch(source: Path, units: Path, out_dir: Path, jobs: int | None, template: Path | None,
              pdf: bool) -> int:
    """Render one document per unit with a progress bar; print failures and a summary."""
    from . import api

    def progress(results, total):
        with click.progressbar(results, length=total, label="Đang tạo văn bản", file=sys.stderr,
                               show_pos=True) as bar:
            yield from bar

    results = api.batch(source, units, out_dir, jobs=jobs, template=template, pdf=pdf, progress=progress)
    failed = [r for r in results if r.problems]
    for r in failed:
        for problem in r.problems:
            click.echo(f"Lỗi: đơn vị {r.ma}: {problem}", err=True)
    click.echo(f"Đã ghi {len(results) - len(failed)} văn bản vào {out_dir}, {len(failed)} đơn vị lỗi.")
    return 1 if failed else 0


def run_rollover(plan: Path, year: int, report: Path | None, out: Path | None, force: bool) -> None:
    from . import api

    result = api.rollover(plan, year, from_report=report, out=out, force=force)
    path = result.path
    click.echo(f"Đã ghi {path} (tệp cũ không đổi).")
    click.echo(f"Thay đổi ({len(result.changes)}), số dòng theo tệp mới:")
    for c in result.changes:
        before, after = changed_part(c.old, c.new)
        click.echo(f"  {path}:{result.dong_moi(c.line)}: {c.path}: {before} → {after}")
    if result.carried:
        click.echo(f"Chuyển tiếp ({len(result.carried)}): {', '.join(result.carried)}")
    click.echo(f"Cần xem lại ({len(result.flags)}), đã ghi '{TODO_ROLLOVER}' ngay trên dòng đó trong tệp mới:")
    for f in result.flags:
        click.echo(f"  {path}:{result.dong_moi(f.line)}: {f.path}: {f.reason}")
    click.echo(f"Giữ nguyên ({len(result.kept)} chỗ có năm của văn bản trích dẫn, giai đoạn, tiêu chuẩn).")


def changed_part(old: str, new: str, width: int = 70, context: int = 25) -> tuple[str, str]:
    """Both sides of a change, cut around the part that differs when a side is longer than ``width``."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= width and len(new) <= width:
        return old, new
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - suffix + context, start + width)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return cut(old), cut(new)


def run_import(file: Path, out: Path | None, force: bool) -> None:
    from . import api
    from .loader import format_path

    imported = api.import_(file, out, force=force)
    path, c = imported.path, imported.counts
    click.echo(f"Đã ghi {path}: {c['muc']} mục, {c['nhiem_vu']} nhiệm vụ, {c['can_cu']} văn bản căn cứ.")
    click.echo(f"Cần xem lại ({len(imported.todos)}), đã ghi '{TODO_IMPORT}' trong tệp:")
    for loc, note in imported.todos.items():
        click.echo(f"  {format_path(loc)}: {note}")


def run_tien_do(plan: Path, ky: str, units: Path | None, out_dir: Path) -> None:
    from .progress import write_workbooks

    books = write_workbooks(plan, ky, units, out_dir)
    for book in books:
        click.echo(f"Đã ghi {book.path}: {book.rows} nhiệm vụ, {book.due} nhiệm vụ đến hạn trong kỳ.")
