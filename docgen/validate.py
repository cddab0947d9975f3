"""Turn loaded YAML into a model, reporting every problem at once with file:line.

Pydantic's error locations are mapped back onto the YAML paths kept by the
loader; messages are Vietnamese; an unknown key gets the closest valid key.
"""
from __future__ import annotations

import difflib
import functools
import re
import typing
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import model as m
from . import vn
from .deadline import NgayKhongCo, tu_loi
from .errors import DocgenError, Problem
from .loader import Path_, Source, load
from .placeholders import filled

M = TypeVar("M", bound=BaseModel)

_TAGS: dict[str, type[BaseModel]] = {
    "Muc": m.Muc, "Khoan": m.Khoan, "Diem": m.Diem, "NhiemVu": m.NhiemVu, "Gach": m.Gach, "Dem": m.Dem,
    "DongCon": m.DongCon, "Bang": m.Bang, "DoanChuThich": m.DoanChuThich,
}

_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "string_type": "phải là văn bản",
    "list_type": "phải là danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "model_type": "phải là một nhóm khóa: giá trị",
    "model_attributes_type": "phải là một nhóm khóa: giá trị",
    "dict_type": "phải là một nhóm khóa: giá trị",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "too_short": "không được để trống",
    "string_too_short": "không được để trống",
}


def _model_field_names(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (Optional[X], list[X], Annotated[...]), if exactly one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_field_names(arg)
        if found is not None:
            return found
    return None


def _model_at(root: type[BaseModel], raw_loc: tuple) -> type[BaseModel] | None:
    cls: type[BaseModel] | None = root
    for el in raw_loc:
        if isinstance(el, str) and el in _TAGS:
            cls = _TAGS[el]
        elif isinstance(el, str) and cls is not None and el in cls.model_fields:
            cls = _model_field_names(cls.model_fields[el].annotation)
    return cls


def _data_loc(data: Any, raw_loc: tuple) -> Path_:
    """Keep only the parts of a pydantic location that index the data (drop union tags)."""
    out: list[str | int] = []
    cur = data
    for i, el in enumerate(raw_loc):
        if isinstance(cur, list) and isinstance(el, int) and 0 <= el < len(cur):
            out.append(el)
            cur = cur[el]
        elif isinstance(cur, dict) and isinstance(el, str) and el in cur and not (
                el in _TAGS and i + 1 < len(raw_loc)):
            out.append(el)
            cur = cur[el]
        elif isinstance(cur, dict) and isinstance(el, str) and i == len(raw_loc) - 1 and el not in _TAGS:
            out.append(el)  # a missing key: name it
    return tuple(out)


def _message(err: Any, root: type[BaseModel], raw_loc: tuple) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = raw_loc[-1]
        cls = _model_at(root, raw_loc[:-1])
        names = list(cls.model_fields) if cls else []
        close = _closest(str(key), tuple(names))
        hint = f"; có phải là '{close[0]}'?" if close else (
            f"; các khóa hợp lệ: {', '.join(names)}" if names else "")
        return f"khóa không hợp lệ '{key}'{hint}"
    if kind == "literal_error":
        expected = re.sub(r" or (?=[^,]*$)", " hoặc ", str(err["ctx"]["expected"]))  # pydantic writes English
        return f"giá trị '{err['input']}' không hợp lệ; chọn một trong: {expected}"
    if kind == "string_pattern_mismatch":
        return f"giá trị '{err['input']}' không đúng dạng"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"giá trị {err['input']} phải {'≥' if kind == 'greater_than_equal' else '≤'} " + str(
            err["ctx"].get("ge", err["ctx"].get("le")))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if err["msg"].isascii():  # pydantic's own wording, English: never shown to a clerk
        return f"giá trị '{err.get('input')}' không hợp lệ"
    return err["msg"]  # our own PydanticCustomError messages are already Vietnamese


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _read_as_mapping(data: Any, loc: Path_) -> tuple[Path_, str, str] | None:
    """A line of text YAML read as ``key: value`` because it holds ': ' (``- Chỉ đạo: Giám đốc Sở``).

    Found along ``loc`` (or among the items of the list it ends on): a one-key mapping whose key
    is words, not a field name.
    """
    def misread(node: Any) -> tuple[str, str] | None:
        if isinstance(node, dict) and len(node) == 1:
            key, value = next(iter(node.items()))
            if isinstance(key, str) and not _FIELD_NAME.fullmatch(key) and isinstance(value, (str, type(None))):
                return key, value or ""
        return None

    node: Any = data
    here: tuple[str | int, ...] = ()
    for step in (None, *loc):
        if step is not None:
            if isinstance(node, (list, dict)) and (step in node if isinstance(node, dict) else
                                                   isinstance(step, int) and step < len(node)):
                node, here = node[step], here + (step,)  # type: ignore[index]  # checked above
            else:
                break
        found = misread(node)
        if found:
            return here, *found
    if isinstance(node, list):
        for i, item in enumerate(node):
            found = misread(item)
            if found:
                return here + (i,), *found
    return None


@functools.lru_cache(maxsize=4096)
def _closest(key: str, names: tuple[str, ...]) -> list[str]:
    """The valid key closest to a misspelt one (cached: the same typo repeated 20,000 times costs once)."""
    return difflib.get_close_matches(key, names, n=1, cutoff=0.6)


def validate_model(source: Source, cls: type[M]) -> M:
    """Validate ``source.data`` as ``cls``; raise DocgenError with every problem, located."""
    if not isinstance(source.data, dict):
        raise DocgenError(source.problem((), "tệp phải là một nhóm khóa: giá trị ở cấp ngoài cùng"))
    try:
        return cls.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key explains the "missing" error of the key it was meant to be: report it once.
        explained = set()
        for err in errors:
            if err["type"] == "extra_forbidden":
                raw_loc = tuple(err["loc"])
                cls_at = _model_at(cls, raw_loc[:-1])
                close = _closest(str(raw_loc[-1]), tuple(cls_at.model_fields) if cls_at else ())
                if close:
                    explained.add(raw_loc[:-1] + (close[0],))
        problems: list[Problem] = []
        seen: set[Problem] = set()
        for err in errors:
            raw_loc = tuple(err["loc"])
            if err["type"] == "missing" and raw_loc in explained:
                continue
            data_loc = _data_loc(source.data, raw_loc)
            misread = _read_as_mapping(source.data, data_loc)
            if misread:
                loc, key, value = misread
                problem = source.problem(loc, f"dòng '{key}: {value}' có dấu ': ' nên YAML đọc thành cặp khóa: giá "
                                              f"trị (khóa '{key}'), không phải một dòng chữ; đặt cả dòng trong ngoặc "
                                              f"kép: - \"{key}: {value}\"")
            else:
                problem = source.problem(data_loc, _message(err, cls, raw_loc))
            if problem not in seen:  # a set: a list membership test made 20,000 errors take minutes
                seen.add(problem)
                problems.append(problem)
        problems.sort(key=lambda p: p.line or 0)
        raise DocgenError(problems) from None


def iter_tasks(blocks: list, loc: Path_ = ("noi_dung",)) -> list[tuple[Path_, m.NhiemVu]]:
    """Every task of a body, depth first, with its YAML path (a list: one walk, not a generator per level)."""
    out: list[tuple[Path_, m.NhiemVu]] = []
    _collect_tasks(blocks, loc, out)
    return out


_HEADED = (m.Muc, m.Khoan, m.Diem, m.NhiemVu)  # the blocks with a body of their own


def _collect_tasks(blocks: list, loc: Path_, out: list[tuple[Path_, m.NhiemVu]]) -> None:
    for i, block in enumerate(blocks):
        if isinstance(block, _HEADED):
            here = loc + (i,)
            if isinstance(block, m.NhiemVu):
                out.append((here, block))
            _collect_tasks(block.noi_dung, here + ("noi_dung",), out)


def check_plan(source: Source, plan: m.KeHoach) -> None:
    """Rules across the document that a single field cannot see."""
    problems: list[Problem] = []
    seen: dict[str, Path_] = {}
    tasks = iter_tasks(plan.noi_dung)
    for loc, task in tasks:
        if task.id in seen:
            problems.append(source.problem(loc + ("id",), f"mã nhiệm vụ '{task.id}' đã dùng ở dòng "
                                           f"{source.line_of(seen[task.id] + ('id',))}"))
        else:
            seen[task.id] = loc
    problems.extend(_too_many_sections(source, plan.noi_dung, ("noi_dung",)))
    problems.extend(_impossible_dates(source, plan, tasks))
    if problems:
        raise DocgenError(problems)


def _impossible_dates(source: Source, plan: m.KeHoach, tasks: list[tuple[Path_, m.NhiemVu]]) -> Iterator[Problem]:
    """A date or year in a task's ``thoi_gian`` that does not exist is wrong in the plan itself (its reports
    would compute deadlines from it): reported here, at the plan's line."""
    for loc, task in tasks:
        if task.thoi_gian is None:
            continue
        words = task.thoi_gian if isinstance(task.thoi_gian, str) else "; ".join(task.thoi_gian)
        try:
            tu_loi(words, plan.nam)
        except NgayKhongCo as exc:
            yield source.problem(loc + ("thoi_gian",), str(exc))
        except ValueError:
            pass  # words without a readable deadline are the report's concern (it asks for 'han')


def _too_many_sections(source: Source, blocks: list, loc: Path_) -> Iterator[Problem]:
    """Sections (mục) are numbered I, II, ...: Roman numerals stop at 3,999."""
    count = 0
    for i, block in enumerate(blocks):
        if isinstance(block, m.Muc):
            count += 1
            if count == vn.MAX_LA_MA + 1:
                yield source.problem(loc + (i,), f"quá {vn.MAX_LA_MA:_} mục: số La Mã (I, II, ...) chỉ viết được "
                                     f"đến {vn.MAX_LA_MA:_} (MMMCMXCIX); gộp bớt mục".replace("_", "."))
        if isinstance(block, (m.Muc, m.Khoan, m.Diem, m.NhiemVu)):
            yield from _too_many_sections(source, block.noi_dung, loc + (i, "noi_dung"))


def load_plan(path) -> tuple[Source, m.KeHoach]:
    """Load, validate and check a plan file."""
    source = load(path)
    plan = validate_model(filled(source), m.KeHoach)
    check_plan(source, plan)
    return source, plan


def tidied(source: Source) -> list[Problem]:
    """Warnings for what validation dropped because docgen writes it itself: ``TM.`` before ``thay_mat``,
    ``KT.`` before ``thu_truong``, ``- `` and ``;`` around a recipient. The document is right; the source
    is worth tidying, so the writer knows what docgen did."""
    data = source.data if isinstance(source.data, dict) else {}
    out: list[Problem] = []
    signer = data.get("nguoi_ky")
    if isinstance(signer, dict):
        for key in ("thay_mat", "thu_truong"):
            value = signer.get(key)
            found = vn.TIEN_TO_KY.match(value) if isinstance(value, str) else None
            if found:
                out.append(source.problem(("nguoi_ky", key), f"đã bỏ '{found.group().strip()}' ở đầu: docgen tự viết "
                                          "TM./KT./TL./TUQ. trên dòng chữ ký; xóa khỏi tệp nguồn cho gọn"))
    for key in ("noi_nhan", "kinh_gui"):
        items = data.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, str) and item.strip() and vn.bo_dau_dong(item) != item.strip():
                out.append(source.problem((key, i), f"đã bỏ dấu ở đầu/cuối '{item.strip()}': docgen tự thêm '- ' "
                                          "và ';'; chỉ ghi tên nơi nhận"))
    return out


_TEN_LOAI = {"ke_hoach": "kế hoạch", "bao_cao": "báo cáo"}


def cited_source(source: Source, key: str, loai: str) -> Source:
    """The source another source names by path in ``key`` (a report's plan, a công văn's report...), read
    and checked to be of kind ``loai``; the path is relative to the citing file's folder."""
    value = str(source.data.get(key, "")) if isinstance(source.data, dict) else ""
    shown = value if len(value) <= 120 else value[:60] + "…" + value[-59:]
    what = _TEN_LOAI.get(loai, loai)
    path = source.path.parent / value
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise DocgenError(source.problem((key,), f"'{shown}' không phải tệp nguồn {what} (tệp .yaml có "
                                         f"loai: {loai})"))
    try:
        found = path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL byte
        found = False
    if not found:
        raise DocgenError(source.problem((key,), f"không tìm thấy {what} '{shown}' (đường dẫn tính từ thư mục "
                                         "của tệp này)"))
    cited = load(path)
    if (cited.data.get("loai") if isinstance(cited.data, dict) else None) != loai:
        # another kind of file: say so without echoing any of its content
        raise DocgenError(source.problem((key,), f"'{shown}' không phải tệp nguồn {what} (cần loai: {loai} ở "
                                         "đầu tệp)"))
    return cited
