"""The folder the web app serves: safe paths, listing, validated saving with a version check.

Every path a request names is resolved inside the folder (``..``, absolute paths and
symlinks that lead out are refused). A save edits the person's file in place (see
``yamledit``), is refused when the file changed since the page read it, never writes a
source that does not validate, and keeps the previous version (``.bak``, or a git
commit when the folder is a git repository).
"""
from __future__ import annotations

import hashlib
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import DocgenError, Problem
from ..loader import load_text
from ..write import write_atomic
from .yamledit import patch

NEW = "moi"  # the version of a file that does not exist yet
TABLES = (".csv", ".xlsx")
SOURCES = (".yaml", ".yml", *TABLES)
KINDS = {"ke_hoach": "Kế hoạch", "bao_cao": "Báo cáo", "don_vi": "Danh sách đơn vị"}


class Refused(Exception):
    """A request the app will not carry out; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


class Conflict(Refused):
    def __init__(self) -> None:
        super().__init__("Tệp đã được lưu ở nơi khác (một thẻ hay một người khác) sau khi bạn mở nó: thay đổi của "
                         "bạn CHƯA được lưu. Chép lại phần vừa sửa, tải lại trang để xem bản mới nhất rồi sửa lại.",
                         409)


def version_of(data: bytes | None) -> str:
    return NEW if data is None else hashlib.sha256(data).hexdigest()[:16]


@dataclass
class Saved:
    version: str
    backup: str  # where the previous version went, as told to the person


class Workspace:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise DocgenError(Problem("không phải thư mục", str(root)))
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()
        self.git = self._is_git()

    # ---- paths ----
    def path(self, rel: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> Path:
        """``rel`` inside the folder, or Refused: no absolute path, no ``..``, no symlink leading out."""
        if not rel or "\x00" in rel or "\\" in rel:
            raise Refused("tên tệp không hợp lệ")
        pure = PurePosixPath(rel)
        if pure.is_absolute() or rel.startswith("~") or ":" in pure.parts[0] or ".." in pure.parts:
            raise Refused("chỉ được dùng tệp trong thư mục làm việc", 403)
        if pure.suffix.lower() not in suffixes:
            raise Refused(f"tệp phải có đuôi {' hoặc '.join(suffixes)}")
        path = self.root / pure
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise Refused("chỉ được dùng tệp trong thư mục làm việc", 403)
        return resolved

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def lock(self, path: Path) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(path, threading.Lock())

    # ---- reading ----
    def read(self, rel: str) -> tuple[Path, bytes]:
        path = self.path(rel)
        if not path.is_file():
            raise Refused("không tìm thấy tệp", 404)
        return path, path.read_bytes()

    def listing(self) -> list[dict[str, Any]]:
        """Every source in the folder with its state: valid, n errors, n TODO notes (unit lists from .csv/.xlsx too)."""
        from ..core import build_document, todo_markers

        out = []
        found = [p for p in self.root.rglob("*") if p.suffix.lower() in SOURCES]
        for path in sorted(found):
            if any(part.startswith(".") for part in path.relative_to(self.root).parts) or not path.is_file():
                continue
            if not path.resolve().is_relative_to(self.root):
                continue  # a symlink out of the folder is not listed either
            rel = self.rel(path)
            entry: dict[str, Any] = {"tep": rel, "loai": None, "ten_loai": "", "loi": [], "todo": 0, "tieu_de": ""}
            try:
                if path.suffix.lower() in TABLES:
                    entry.update({"ten_loai": KINDS["don_vi"], **self._units(path)})
                    out.append(entry)
                    continue
                text = path.read_bytes().decode("utf-8-sig")
                source = load_text(text, path)
                data = source.data if isinstance(source.data, dict) else {}
                entry["loai"] = data.get("loai")
                entry["ten_loai"] = KINDS.get(str(entry["loai"]), "")
                entry["tieu_de"] = data.get("trich_yeu") or ""
                if entry["loai"] in ("ke_hoach", "bao_cao"):
                    entry["tieu_de"] = build_document(source)[1].get("trich_yeu") or entry["tieu_de"]
                elif entry["loai"] == "don_vi":
                    entry.update(self._units(path))
            except DocgenError as exc:
                entry["loi"] = [self.message(p) for p in exc.problems]
            except UnicodeDecodeError:
                entry["loi"] = [{"thong_bao": "tệp không phải văn bản UTF-8", "truong": None, "dong": None,
                                 "dong_lenh": f"Lỗi: {rel}: tệp không phải văn bản UTF-8"}]
            entry["todo"] = len(todo_markers(path)) if path.suffix.lower() in (".yaml", ".yml") else 0
            out.append(entry)
        return out

    def _units(self, path: Path) -> dict[str, Any]:
        """A unit list's state (the reading ``docgen batch`` does). A table without a 'ma' column (or one not read
        as a table whose name does not say don_vi) is another kind of sheet (a progress workbook...), listed
        without a verdict."""
        from ..tabular import read_table
        from ..units import load_units

        other = {"loai": "bang", "ten_loai": "Bảng tính", "loi": []}
        try:
            if path.suffix.lower() in TABLES:
                try:
                    if "ma" not in read_table(path).header:
                        return other
                except DocgenError:
                    if "don_vi" not in path.stem:  # unreadable as a table: a unit list only by its name
                        return other
                    raise
            units = load_units(path)
        except DocgenError as exc:
            return {"loai": "don_vi", "loi": [self.message(p) for p in exc.problems]}
        return {"loai": "don_vi", "tieu_de": f"{len(units)} đơn vị", "loi": []}

    def message(self, problem: Problem) -> dict[str, Any]:
        """A problem as the page shows it: at its field, and as the CLI prints it."""
        file = problem.file
        if file:
            try:
                file = self.rel(Path(file))
            except ValueError:
                file = Path(file).name
        shown = Problem(problem.message, file, problem.line, problem.field)
        return {"thong_bao": problem.message, "truong": problem.field, "dong": problem.line, "tep": file,
                "dong_lenh": f"Lỗi: {shown}"}

    # ---- writing ----
    def validate(self, text: str, path: Path) -> None:
        """Raise DocgenError unless ``text`` is a source that renders (the same checks as ``docgen render``)."""
        from ..core import build_document

        source = load_text(text, path)
        if not isinstance(source.data, dict) or source.data.get("loai") not in ("ke_hoach", "bao_cao"):
            raise DocgenError(source.problem(("loai",), "chỉ sửa được Kế hoạch (ke_hoach) và Báo cáo (bao_cao) ở đây"))
        build_document(source)

    def save(self, rel: str, data: Any, version: str, base: str | None = None) -> Saved:
        """Write ``data`` into the file ``rel`` if nobody saved it since ``version``; DocgenError if invalid.

        A new file (version ``NEW``) may start from ``base``, the text of a similar source, so that its comments
        and layout carry over.
        """
        path = self.path(rel)
        with self.lock(path):
            current = path.read_bytes() if path.is_file() else None
            if version_of(current) != version:
                raise Conflict()
            old = (current or b"").decode("utf-8-sig") if current is not None or base is None else base
            bom = (current or b"").startswith(b"\xef\xbb\xbf")
            crlf = "\r\n" in old
            text = patch(old.replace("\r\n", "\n"), data)
            made = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)  # a report's plan is found relative to its folder
            try:
                self.validate(text, path)
            except DocgenError:
                for folder in made:
                    folder.rmdir()
                raise
            if crlf:
                text = text.replace("\n", "\r\n")
            new = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
            backup = self._keep(path, current)
            write_atomic(path, new)
            if self.git:
                self._commit(path, f"docgen serve: lưu {self.rel(path)}")
            return Saved(version_of(new), backup)

    def _keep(self, path: Path, current: bytes | None) -> str:
        if current is None:
            return ""
        if self.git:
            if self._git("status", "--porcelain", "--", str(path)).strip():
                self._commit(path, f"docgen serve: bản trước khi sửa {self.rel(path)}")
            return "git"
        bak = path.with_name(path.name + ".bak")
        write_atomic(bak, current)
        return self.rel(bak)

    # ---- git ----
    def _git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, timeout=60)
        return done.stdout if done.returncode == 0 else ""

    def _is_git(self) -> bool:
        try:
            return self._git("rev-parse", "--is-inside-work-tree").strip() == "true"
        except (OSError, subprocess.SubprocessError):
            return False

    def _commit(self, path: Path, message: str) -> None:
        self._git("add", "--", str(path))
        self._git("-c", "user.name=docgen", "-c", "user.email=docgen@localhost", "commit", "-q", "-m", message,
                  "--", str(path))
