"""The ``docgen`` command line: parses arguments and calls the library, nothing more."""
from __future__ import annotations

import gc
import gettext
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from .errors import DocgenError
from .kinds import KINDS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# click's own words (usage, option help, errors from parsing the command line) in Vietnamese. click marks them for
# gettext; a catalogue for its messages would need a compiled .mo file and the user's locale, so its modules'
# ``_``/``ngettext`` are pointed at this table instead. A message missing here (a newer click) stays English.
_CLICK_VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Error: {message}": "Lỗi: {message}",
    "Aborted!": "Đã dừng.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} cần {nargs} giá trị.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "{name} {filename!r} does not exist.": "không tìm thấy {filename!r}.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is not readable.": "không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "không ghi được vào {filename!r}.",
    "{name} {filename!r} is not executable.": "không chạy được {filename!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "unknown error": "lỗi không rõ",
}
_CLICK_VI_PLURAL = {  # Vietnamese writes one form for any number
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Did you mean {possibility}?": ("Có phải là {possibility}?", "(Có phải là một trong: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Tùy chọn {name!r} cần một giá trị.",
                                              "Tùy chọn {name!r} cần {nargs} giá trị."),
    "{value!r} is not {choice}.": ("{value!r} không phải là {choice}.", "{value!r} không phải một trong {choices}."),
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có {len}.",
}


def _vi(message: str) -> str:
    return _CLICK_VI.get(message) or gettext.gettext(message)


def _vi_plural(singular: str, plural: str, n: int) -> str:
    found = _CLICK_VI_PLURAL.get(singular)
    if found is None:
        return gettext.ngettext(singular, plural, n)
    return found if isinstance(found, str) else found[0 if n == 1 else 1]


for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                click.types):
    if hasattr(_module, "_"):
        _module._ = _vi  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = _vi_plural  # type: ignore[attr-defined]


OPTIONS_METAVAR = "[TÙY CHỌN]"  # click's "[OPTIONS]" in the usage lines


class _Command(click.Command):
    """A command whose usage line names its options in Vietnamese."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Maps the library's DocgenError to ``Lỗi: ...`` lines on stderr and its exit status."""

    command_class = _Command

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI SỐ]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            show(exc)
            ctx.exit(exc.exit_code)


_loaded = False


@contextmanager
def _loading() -> Iterator[None]:
    """Around a command's import of the library: no collection while its modules load (nothing there is garbage),
    then those objects frozen out of every later collection (a fresh `docgen render` ≈ 10 ms less; see
    bench/README.md). Once per process: frozen objects are never collected, so a process calling the CLI many
    times (tests) freezes only once."""
    global _loaded
    if _loaded or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _loaded = True
        gc.freeze()
        gc.enable()


def show(exc: DocgenError) -> None:
    for line in exc.lines():
        click.echo(line, err=True)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(package_name="docgen", message="docgen %(version)s")
def main() -> None:
    """docgen: soạn văn bản hành chính (Kế hoạch, Báo cáo) đúng thể thức Nghị định 30/2020/NĐ-CP
    từ một tệp dữ liệu YAML và mẫu Word.

    Ví dụ: docgen render data/ke_hoach_2023.yaml
    """


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx kết quả (mặc định: output/<tên tệp nguồn>.docx).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Mẫu Word thay cho mẫu có sẵn (docgen/templates/<loại>.docx).")
@click.option("--pdf", is_flag=True, help="Xuất thêm tệp PDF (cần LibreOffice).")
@click.option("--strict", is_flag=True, help="Báo lỗi (không ghi tệp) nếu tệp nguồn còn ghi chú TODO(rollover)/"
              "TODO(import) hoặc có cảnh báo (ví dụ nhiệm vụ đến hạn mà báo cáo bỏ sót).")
def render(source: Path, out: Path | None, template: Path | None, pdf: bool, strict: bool) -> None:
    """Tạo văn bản Word từ tệp nguồn SOURCE (.yaml)."""
    with _loading():
        from .core import render_file, todo_markers  # api.render's body, without importing every other command

    result = render_file(source, out, template, pdf, strict)
    for todo in todo_markers(source) + result.canh_bao:
        click.echo(f"Cảnh báo: {todo}", err=True)
    click.echo(f"Đã ghi {result.docx}")
    if result.pdf:
        click.echo(f"Đã ghi {result.pdf}")


@main.command()
@click.argument("directory", required=False, default="data",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--out-dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục kết quả.")
@click.option("--pdf", is_flag=True, help="Xuất thêm tệp PDF cho mỗi văn bản (cần LibreOffice).")
def build(directory: Path, out_dir: Path, pdf: bool) -> None:
    """Tạo mọi văn bản từ các tệp nguồn trong DIRECTORY (mặc định: data/).

    Kiểm tra hết các tệp trước khi ghi: nếu một tệp có lỗi, không ghi tệp nào.
    """
    with _loading():
        from .core import build_all  # api.build's body, without importing every other command

    for result in build_all(directory, out_dir, pdf):
        for warning in result.canh_bao:
            click.echo(f"Cảnh báo: {warning}", err=True)
        click.echo(f"Đã ghi {result.docx}")
        if result.pdf:
            click.echo(f"Đã ghi {result.pdf}")


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", "year", required=True, type=click.IntRange(1981, 2099), help="Năm của kế hoạch mới.")
@click.option("--from-report", "report", type=click.Path(dir_okay=False, path_type=Path),
              help="Báo cáo năm: nhiệm vụ chưa xong được chuyển tiếp, nhiệm vụ một lần đã xong được đưa ra xem lại.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp kế hoạch mới (mặc định: tên cũ với năm mới, cùng thư mục).")
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp mới đã có.")
def rollover(plan: Path, year: int, report: Path | None, out: Path | None, force: bool) -> None:
    """Soạn dự thảo kế hoạch năm sau từ kế hoạch PLAN năm nay.

    Đổi năm của kế hoạch ở mọi chỗ là năm kế hoạch (và năm so sánh), giữ nguyên số, ngày của văn bản được
    trích dẫn và các giai đoạn nhiều năm; đánh dấu "# TODO(rollover)" những chỗ cần người quyết định.
    Không bao giờ sửa tệp cũ.
    """
    from .commands import run_rollover

    run_rollover(plan, year, report, out, force)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--units", "units", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Danh sách đơn vị (.yaml, .csv hoặc .xlsx).")
@click.option("-o", "--out-dir", default="output/don_vi", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục kết quả.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Số tiến trình chạy song song (mặc định: số CPU; tối đa 4 lần số CPU).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), help="Mẫu Word riêng.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF cho từng đơn vị (cần LibreOffice).")
def batch(source: Path, units: Path, out_dir: Path, jobs: int | None, template: Path | None, pdf: bool) -> None:
    """Tạo cùng một văn bản (kế hoạch hoặc báo cáo) cho từng đơn vị trong danh sách UNITS.

    Mỗi đơn vị một tệp <mã>.docx. Đơn vị lỗi được báo kèm lý do, các đơn vị khác vẫn tạo xong;
    mã thoát 1 nếu có đơn vị lỗi.
    """
    from .commands import run_batch

    click.get_current_context().exit(run_batch(source, units, out_dir, jobs, template, pdf))


@main.command(name="tien-do")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ky", required=True, type=click.Choice(["quy_1", "6_thang", "9_thang", "nam"]),
              help="Kỳ báo cáo.")
@click.option("--units", "units", type=click.Path(dir_okay=False, path_type=Path),
              help="Danh sách đơn vị (.yaml, .csv, .xlsx): mỗi đơn vị một bảng; không ghi: một bảng cho cả cơ quan.")
@click.option("-o", "--out-dir", default="output/tien_do", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục kết quả.")
def tien_do(plan: Path, ky: str, units: Path | None, out_dir: Path) -> None:
    """Tạo bảng tính Excel (.xlsx) để các đơn vị ghi tiến độ thực hiện kế hoạch PLAN trong kỳ.

    Mỗi đơn vị một tệp <mã>.xlsx với các nhiệm vụ đơn vị thực hiện (chọn như lệnh batch); nhiệm vụ đến hạn
    trong kỳ được tô vàng; cột Trạng thái chọn trong danh sách; các cột của kế hoạch được khóa. Bảng đã ghi
    được đọc lại vào báo cáo bằng khóa tien_do_tu.
    """
    from .commands import run_tien_do

    run_tien_do(plan, ky, units, out_dir)


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, exists=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp nguồn YAML (mặc định: data/<tên tệp>.yaml).")
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp đã có.")
def import_(file: Path, out: Path | None, force: bool) -> None:
    """Chuyển một kế hoạch có sẵn (.docx, hoặc .txt trích từ PDF) thành tệp nguồn YAML để sửa tiếp.

    Nhận ra phần đầu, trích yếu, câu mở đầu và văn bản căn cứ, các mục I/1/1.1/a)/-/+/(1), nhiệm vụ
    với các trường, nơi nhận và người ký. Chỗ chưa chắc được ghi chú "# TODO(import)", không bỏ chữ nào.
    """
    from .commands import run_import

    run_import(file, out, force)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Dạng kết quả: text cho người đọc, json cho máy.")
@click.option("--kind", type=str, default=None, help="Loại văn bản phải là (KH, BC, QĐ...).")
@click.option("--chi-loi", is_flag=True, help="Chỉ in các quy tắc không đạt hoặc không đánh giá được.")
def check(files: tuple[Path, ...], fmt: str, kind: str | None, chi_loi: bool) -> None:
    """Kiểm tra thể thức Nghị định 30/2020/NĐ-CP trên tệp .docx bất kỳ.

    Mỗi quy tắc một dòng: ĐẠT, KHÔNG ĐẠT hoặc KHÔNG ĐÁNH GIÁ (không tìm thấy thành phần để đánh giá).
    Mã thoát 0 nếu mọi quy tắc đạt, 1 nếu có quy tắc không đạt, 2 nếu có tệp không đọc hoặc không kiểm
    tra được (các tệp khác vẫn được kiểm tra).
    """
    from .commands import run_check

    ctx = click.get_current_context()
    ctx.exit(run_check(files, fmt, kind, chi_loi))


@main.command()
@click.argument("kind", required=False, default="ke_hoach", type=click.Choice(list(KINDS)))
def schema(kind: str) -> None:
    """In JSON Schema của tệp nguồn (để trình soạn thảo gợi ý và kiểm tra khóa)."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))


@main.command()
@click.argument("directory", required=False, default="data", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ nghe. Khác 127.0.0.1 (cho máy khác trong mạng dùng) thì phải có --mat-khau.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng.")
@click.option("--mat-khau", envvar="DOCGEN_MAT_KHAU", default=None,
              help="Mật khẩu cho mọi trang khi nghe trên địa chỉ khác (hoặc biến môi trường DOCGEN_MAT_KHAU).")
def serve(directory: Path, host: str, port: int, mat_khau: str | None) -> None:
    """Mở docgen trong trình duyệt: sửa kế hoạch, ghi tiến độ báo cáo, xem trước, kiểm tra, năm sau.

    Làm việc trên các tệp nguồn trong DIRECTORY (mặc định: data/). Mặc định chỉ máy này mở được
    (http://127.0.0.1:8000); dừng bằng Ctrl+C.
    """
    from .web.server import serve as run

    run(directory, host, port, mat_khau)


if __name__ == "__main__":  # pragma: no cover
    main()
