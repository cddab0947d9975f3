"""The kind registry: every kind of source docgen reads, in one place.

A kind says which model validates its source, how its source is loaded (with the
sources it refers to) and turned into a template context, which template renders it,
its document type name and ký hiệu abbreviation (Phụ lục III), and what ``docgen check
--kind`` expects of the produced file. The CLI, ``build``, ``batch``, ``schema``, the
library API and the tests iterate ``KINDS``; adding a kind is one entry here plus its
model, its context builder and its template.

Models and builders are named as ``"module:attribute"`` inside the package and imported
on first use: the CLI lists the kinds for ``--help`` without importing pydantic or
docxtpl (start-up time, see bench/README.md).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import vn

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Kind:
    loai: str  # the value of ``loai:`` in a source
    ten: str  # the document type as Phụ lục III names it ("Kế hoạch"), or what the data is
    model: str  # "module:Class" validating the source
    template: str | None = None  # file under docgen/templates; None for data that is not a document
    load: str | None = None  # "module:function": Source -> the validated document (with what it cites)
    build: str | None = None  # "module:function": (loaded, unit, warnings) -> (context, Properties)
    batch: bool = False  # `docgen batch` renders it once per sub-unit
    check: str | None = None  # the code `docgen check --kind` takes for its documents

    @property
    def document(self) -> bool:
        return self.template is not None

    @property
    def ky_hieu(self) -> str | None:
        """The type's abbreviation in a ký hiệu (``KH`` in ``05/KH-BDT``); a công văn has none."""
        return vn.VIET_TAT_LOAI.get(self.ten)

    def model_class(self) -> Any:
        return _resolve(self.model)

    def template_path(self) -> Path:
        """The bundled template: package data beside this module (a file on disk: templates are opened by path;
        importlib.resources found the same path, ≈ 1 ms more in every fresh process)."""
        if self.template is None:
            raise ValueError(f"{self.loai} is not a document kind")
        return _HERE / "templates" / self.template

    def schema_path(self) -> Path:
        """The bundled JSON Schema of its sources (``docgen schema LOAI`` writes the same)."""
        return _HERE / "schemas" / f"{self.loai}.schema.json"

    def load_source(self, source: Any) -> Any:
        assert self.load is not None, self.loai
        return _resolve(self.load)(source)

    def context(self, loaded: Any, unit: Any = None, warnings: list[Any] | None = None
                ) -> tuple[dict[str, Any], Any]:
        """The template context and file properties of a loaded source (or of a sub-unit's copy of it);
        what a person should look at but does not stop the document is appended to ``warnings``."""
        assert self.build is not None, self.loai
        return _resolve(self.build)(loaded, unit, warnings)


def _resolve(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


KINDS: dict[str, Kind] = {k.loai: k for k in (
    Kind("ke_hoach", "Kế hoạch", "model:KeHoach", "ke_hoach.docx", "context:load_plan", "context:build_plan",
         batch=True, check="KH"),
    Kind("bao_cao", "Báo cáo", "model:BaoCao", "bao_cao.docx", "reporting:load_report_source",
         "reporting:build_report", batch=True, check="BC"),
    Kind("to_trinh", "Tờ trình", "model:ToTrinh", "to_trinh.docx", "trail:load_to_trinh", "trail:build_to_trinh",
         check="TTr"),
    Kind("quyet_dinh", "Quyết định", "model:QuyetDinh", "quyet_dinh.docx", "trail:load_quyet_dinh",
         "trail:build_quyet_dinh", check="QĐ"),
    Kind("cong_van", "Công văn", "model:CongVan", "cong_van.docx", "trail:load_cong_van", "trail:build_cong_van",
         check="CV"),
    Kind("don_vi", "Danh sách đơn vị", "model:DanhSachDonViSchema"),
)}

DOCUMENTS = tuple(k for k in KINDS.values() if k.document)


def kind_of(loai: str) -> Kind | None:
    return KINDS.get(loai)


def by_check_code(code: str) -> Kind | None:
    """The kind whose documents `check --kind CODE` means (``KH``, ``QĐ``...)."""
    return next((k for k in KINDS.values() if k.check == code), None)
