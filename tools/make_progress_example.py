"""Regenerate the example progress workbooks of data/ (quý I 2023) as the units filled them in.

`docgen tien-do` writes the sheets; the filling below is what a person types in Excel (statuses from the
drop-down, free text). Example data, not the Ban's real progress. Run from the repository root:

    PYTHONPATH=$PWD python tools/make_progress_example.py
"""
from __future__ import annotations

from pathlib import Path

import openpyxl

from docgen.progress import SHEET, write_workbooks

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "tien_do_quy_1"

FILLED = {
    "van_phong": {
        "chi_dao_dieu_hanh": ("Đang thực hiện", "Đã ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2023; "
                              "cập nhật thường xuyên Chuyên mục “Cải cách hành chính” trên Trang thông tin điện tử.",
                              "Kế hoạch số 35/KH-BDT ngày 16/01/2023 về tuyên truyền cải cách hành chính năm 2023",
                              None),
        "thu_tuc_hanh_chinh": ("Hoàn thành", "Đã ban hành Kế hoạch kiểm soát TTHC năm 2023; công khai đầy đủ TTHC "
                               "tại trụ sở.", "Kế hoạch số 41/KH-BDT ngày 20/01/2023 về kiểm soát thủ tục hành "
                               "chính năm 2023", None),
        "to_chuc_bo_may": ("Đang thực hiện", "Rà soát, bổ sung quy hoạch chức danh trưởng, phó phòng.", None, None),
        "dao_tao_boi_duong": ("Hoàn thành", "Đã ban hành Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2023.",
                              None, None),
        "chuyen_doi_vi_tri": ("Chưa thực hiện", None, None,
                              "Chờ hướng dẫn của Sở Nội vụ về danh mục vị trí định kỳ chuyển đổi"),
        "ky_luat_ky_cuong": ("Đang thực hiện", "Quán triệt Quyết định số 48/2021/QĐ-UBND đến toàn thể công chức.",
                             None, None),
        "tai_chinh_cong": ("Đang thực hiện", "Đã sửa đổi Quy chế chi tiêu nội bộ năm 2023.", None, None),
        "chinh_quyen_so": ("Đang thực hiện", "100% văn bản đi được ký số và gửi qua phần mềm iOffice.", None, None),
    },
    "thanh_tra": {
        "the_che": ("Đang thực hiện", "Rà soát 12 văn bản QPPL thuộc lĩnh vực công tác dân tộc; chưa phát hiện "
                    "văn bản trái quy định.", None, None),
    },
    "phong_chinh_sach": {
        "thu_tuc_hanh_chinh": ("Hoàn thành", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính đúng quy "
                               "trình; không có phản ánh quá hạn.", None, None),
        "chinh_quyen_so": ("Đang thực hiện", "Sử dụng thư điện tử công vụ trong trao đổi văn bản với các xã.",
                           None, None),
    },
}


def main() -> None:
    books = write_workbooks(ROOT / "data" / "ke_hoach_2023.yaml", "quy_1", ROOT / "data" / "don_vi.csv", OUT)
    for book in books:
        wb = openpyxl.load_workbook(book.path)
        ws = wb[SHEET]
        for row in ws.iter_rows(min_row=6):
            values = FILLED[book.path.stem].get(row[0].value)
            if values:
                for cell, value in zip(row[4:8], values, strict=True):
                    cell.value = value
        wb.save(book.path)
        print(f"Đã ghi {book.path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
