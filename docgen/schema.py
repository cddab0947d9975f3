"""JSON Schema of the source kinds, for editors (yaml-language-server).

Editors show the schema's descriptions to the person typing, so they are Vietnamese: the
models' docstrings (English, for developers) are replaced by ``MO_TA``.
"""
from __future__ import annotations

from typing import Any

from .kinds import KINDS

MO_TA = {
    "KeHoach": "Kế hoạch: phần đầu, câu mở đầu, nội dung, nơi nhận và người ký.",
    "BaoCao": "Báo cáo định kỳ về một kế hoạch: docgen tính số liệu từ kế hoạch và phần tiến độ.",
    "DanhSachDonViSchema": "Danh sách đơn vị: mỗi đơn vị một văn bản riêng khi chạy docgen batch.",
    "DonVi": "Một đơn vị: mã (tên tệp kết quả), những khóa khác với văn bản gốc, và cách chọn nhiệm vụ.",
    "CoQuan": "Ô 2: cơ quan ban hành và cơ quan chủ quản.",
    "NguoiKy": "Ô 7: quyền hạn, chức vụ và họ tên người ký.",
    "TienDo": "Tiến độ của một nhiệm vụ trong kỳ báo cáo.",
    "DanhGia": "Đánh giá chung: ưu điểm, tồn tại hạn chế, nguyên nhân.",
    "VanBan": "Văn bản được trích dẫn: loại, số ký hiệu, ngày, cơ quan, trích yếu (docgen viết thành câu).",
    "MoDau": "Câu mở đầu: <truoc> <các văn bản căn cứ>, <sau>; tung_dong: mỗi văn bản căn cứ một đoạn.",
    "Nhan": "Nhãn các trường của nhiệm vụ, in đúng như kế hoạch.",
    "NhanRieng": "Nhãn riêng của một nhiệm vụ; nhãn không ghi lấy theo kế hoạch.",
    "NhiemVu": "Nhiệm vụ: đánh số như các mục cùng cấp, các trường in thành dòng có nhãn.",
    "Muc": "Mục (I., II.), in hoa, đậm.",
    "Khoan": "Khoản (1.; trong khoản khác là 1.1.), đậm khi có nội dung con.",
    "Diem": "Điểm (a), b), c)...).",
    "Gach": "Danh sách gạch đầu dòng (- ...).",
    "Dem": "Danh sách đánh số (1), (2)...",
    "DongCon": "Một dòng có danh sách con (- rồi +).",
    "DoanChuThich": "Đoạn văn có chú thích cuối trang (chu_thich).",
    "OBang": "Ô của bảng: giá trị (số viết kiểu Việt Nam), gộp cột (gop), gộp dòng tiêu đề (gop_dong), chú thích.",
    "Cot": "Cột của bảng: tên, độ rộng tương đối (rong), căn lề (trai, giua, phai; số mặc định căn phải).",
    "NoiDungBang": "Bảng: tên, đơn vị tính, các cột, dòng tiêu đề (có ô gộp), các dòng và dòng tổng cộng.",
    "Bang": "Khối bảng số liệu hoặc văn bản.",
    "BangNhiemVu": "Bảng nhiệm vụ tính từ các nhiệm vụ của kế hoạch: chọn cột, đổi tên cột (ten_cot).",
    "PhuLuc": "Phụ lục: tên, hướng trang (doc, ngang), nội dung; đánh số trang riêng.",
}


def _vietnamese(node: Any, name: str | None = None) -> None:
    if isinstance(node, dict):
        if name in MO_TA:
            node["description"] = MO_TA[name]
        for key, value in node.items():
            if key == "$defs":
                for def_name, definition in value.items():
                    _vietnamese(definition, def_name)
            elif key != "description":
                _vietnamese(value)
    elif isinstance(node, list):
        for item in node:
            _vietnamese(item)


def json_schema(loai: str) -> dict[str, Any]:
    kind = KINDS[loai]
    cls = kind.model_class()
    schema: dict[str, Any] = cls.model_json_schema()
    _vietnamese(schema, cls.__name__)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"docgen: {kind.ten}"
    return schema
