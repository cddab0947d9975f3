"""JSON Schema of the source kinds, for editors (yaml-language-server)."""
from __future__ import annotations

from typing import Any

from . import model as m
from .report import BaoCao
from .units import DanhSachDonViSchema

KINDS = {"ke_hoach": m.KeHoach, "bao_cao": BaoCao, "don_vi": DanhSachDonViSchema}


def json_schema(kind: str) -> dict[str, Any]:
    schema = KINDS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = {"ke_hoach": "docgen: Kế hoạch", "bao_cao": "docgen: Báo cáo",
                       "don_vi": "docgen: Danh sách đơn vị"}[kind]
    return schema
