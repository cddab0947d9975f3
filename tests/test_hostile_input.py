"""Hostile and unlucky input files: each a clear Vietnamese error (or correct output), exit 0/1,
never a traceback, and never more than 500 MB (each case runs in a subprocess under that limit).
"""
from __future__ import annotations

import os
import zipfile

import pytest

from .util import FIXTURES, run_docgen

MINIMAL = (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8")
HEAD, TAIL = MINIMAL.split("noi_dung:\n")[0], "noi_nhan:\n  - Sở Nội vụ\nnguoi_ky:\n  chuc_vu: Trưởng Ban\n" \
                                                  "  ho_ten: Trần Văn Mẫn\n"


def alias_bomb() -> str:
    """493 bytes, 9 levels of 9 aliases: 387 million values once expanded."""
    lines = ["loai: ke_hoach", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def plan(sections: int, tasks_per_section: int = 1) -> str:
    out = [HEAD, "noi_dung:\n"]
    k = 0
    for s in range(sections):
        out.append(f"  - muc: Mục {s}\n    noi_dung:\n")
        for _ in range(tasks_per_section):
            k += 1
            out.append(f"      - nhiem_vu: Nhiệm vụ số {k} về cải cách hành chính và hiện đại hóa nền hành chính "
                       f"nhà nước trên địa bàn\n        id: nv{k}\n        thoi_gian: Quý I năm 2023\n"
                       "        chu_tri: Văn phòng Ban\n")
    return "".join(out) + TAIL


def report(ke_hoach: str) -> str:
    return f"loai: bao_cao\nke_hoach: {ke_hoach}\nky: nam\nnoi_nhan: [Sở Nội vụ]\n"


LONG = "a/" * 3000 + "x.yaml"
LONG_SHOWN = LONG[:60] + "…" + LONG[-59:]

# (id, files to write, arguments after `docgen`, environment, exit status, exact stderr lines)
CASES = [
    ("alias_bomb", {"s.yaml": alias_bomb()}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: bí danh YAML (*tên) lặp lại quá 10.000 giá trị; viết thẳng giá trị thay cho bí danh"]),
    ("recursive_alias", {"s.yaml": "loai: ke_hoach\na: &a [*a]\n"}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: dữ liệu lồng nhau quá sâu (hơn 64 cấp)"]),
    ("deep_nesting", {"s.yaml": "a: " + "[" * 100000 + "]" * 100000 + "\n"}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:1: dữ liệu lồng nhau quá sâu (hơn 64 cấp)"]),
    ("dev_zero", {}, ["render", "/dev/zero"], {}, 1,
     ["Lỗi: /dev/zero: không phải tệp thường (thiết bị hay ống dẫn): không đọc"]),
    ("fifo_source", {"s.yaml": None}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml: không phải tệp thường (thiết bị hay ống dẫn): không đọc"]),
    ("fifo_units", {"s.yaml": MINIMAL, "dv.csv": None}, ["batch", "s.yaml", "--units", "dv.csv"], {}, 1, None),
    ("directory_plan", {"s.yaml": report("thu_muc.yaml"), "thu_muc.yaml/x": ""}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: ke_hoach: không tìm thấy kế hoạch 'thu_muc.yaml' (đường dẫn tính từ thư mục của tệp báo "
      "cáo)"]),
    ("too_big", {"s.yaml": "loai: ke_hoach\nx: " + "y" * 5_000_000 + "\n"}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml: tệp quá lớn (5.000.019 byte; tối đa 4.194.304 byte)"]),
    ("roman_4000", {"s.yaml": plan(4000)}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:24008: noi_dung[3999]: quá 3.999 mục: số La Mã (I, II, ...) chỉ viết được đến 3.999 "
      "(MMMCMXCIX); gộp bớt mục"]),
    ("roman_3999", {"s.yaml": plan(3999)}, ["render", "s.yaml", "-o", "o.docx"], {}, 0, ["Đã ghi o.docx"]),
    ("loai_list", {"s.yaml": MINIMAL.replace("loai: ke_hoach", "loai: [x]")}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:1: loai: loại văn bản (không phải một từ) chưa hỗ trợ; chọn một trong: ke_hoach, bao_cao, "
      "to_trinh, quyet_dinh, cong_van"]),
    ("long_plan_path", {"s.yaml": report(LONG)}, ["render", "s.yaml"], {}, 1,
     [f"Lỗi: s.yaml:2: ke_hoach: không tìm thấy kế hoạch '{LONG_SHOWN}' (đường dẫn tính từ thư mục của tệp báo "
      "cáo)"]),
    ("plan_not_yaml", {"s.yaml": report("/etc/passwd")}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: ke_hoach: '/etc/passwd' không phải tệp nguồn kế hoạch (tệp .yaml có loai: ke_hoach)"]),
    ("plan_other_yaml", {"s.yaml": report("bi_mat.yaml"), "bi_mat.yaml": "loai: khoa\ntoken: BI-MAT-123\n"},
     ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: ke_hoach: 'bi_mat.yaml' không phải tệp nguồn kế hoạch (cần loai: ke_hoach ở đầu tệp)"]),
    ("plan_is_a_report", {"s.yaml": report("s.yaml")}, ["render", "s.yaml"], {}, 1,
     ["Lỗi: s.yaml:2: ke_hoach: 's.yaml' không phải tệp nguồn kế hoạch (cần loai: ke_hoach ở đầu tệp)"]),
    ("source_date_epoch_far", {"s.yaml": MINIMAL}, ["render", "s.yaml", "-o", "o.docx"],
     {"SOURCE_DATE_EPOCH": "999999999999"}, 0, ["Đã ghi o.docx"]),
]


@pytest.mark.parametrize("name,files,args,env,code,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_input(tmp_path, name, files, args, env, code, expected):
    for file, text in files.items():
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            os.mkfifo(tmp_path / file)  # opening it would wait for a writer for ever
        else:
            (tmp_path / file).write_text(text, encoding="utf-8")
    run = run_docgen(*args, cwd=tmp_path, env=env)
    run.assert_clean(codes=(code,))
    if expected is not None:
        assert (run.err if code else run.out).splitlines() == expected
    assert "BI-MAT-123" not in run.err + run.out
    if code:
        assert not list(tmp_path.rglob("*.docx"))


def test_far_source_date_epoch_is_the_last_zip_time(tmp_path):
    (tmp_path / "s.yaml").write_text(MINIMAL, encoding="utf-8")
    run_docgen("render", "s.yaml", "-o", "o.docx", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "999999999999"})
    with zipfile.ZipFile(tmp_path / "o.docx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2107, 12, 31, 23, 59, 58)}


def test_largest_accepted_plan_renders_within_memory(tmp_path):
    """A plan just under the 4 MB limit (17,000 tasks) renders under 500 MB."""
    text = plan(170, 100)
    assert 3_500_000 < len(text.encode()) < 4 * 1024 * 1024
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    run = run_docgen("render", "s.yaml", "-o", "o.docx", cwd=tmp_path, cpu_s=240)
    run.assert_clean(codes=(0,))
    assert (tmp_path / "o.docx").exists()


def lying_docx(path) -> None:
    """A .docx whose styles.xml is 1 GiB of zeros while its headers say 20 kB."""
    import struct
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    bomb = b"".join(comp.compress(chunk) for _ in range(1024)) + comp.flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)  # the checksum of what is really there: only the sizes lie
    document = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p/></w:body></w:document>")
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    rows = [(b"word/document.xml", zlib.crc32(document), deflate.compress(document) + deflate.flush(),
             len(document)),
            (b"word/styles.xml", crc, bomb, 20_000)]
    out, central = bytearray(), bytearray()
    for name, crc, data, size in rows:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
        out += name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(rows), len(rows), len(central), start, 0)
    path.write_bytes(bytes(out))


@pytest.fixture(scope="module")
def lying(tmp_path_factory):
    path = tmp_path_factory.mktemp("lying") / "lying.docx"
    lying_docx(path)
    return path


BROKEN = "tệp Word bị hỏng (không giải nén được phần word/styles.xml)"


@pytest.mark.parametrize("args,code", [
    (["check", "{f}"], 2),  # check: 2 for a file it cannot read
    (["import", "{f}", "-o", "out.yaml"], 1),
    (["render", str(FIXTURES / "toi_thieu.yaml"), "-o", "o.docx", "--template", "{f}"], 1),
], ids=["check", "import", "template"])
def test_zip_headers_that_lie_cost_no_more_than_the_limit(tmp_path, lying, args, code):
    expected = f"Lỗi: {{f}}: {BROKEN}"
    run = run_docgen(*[a.format(f=lying) for a in args], cwd=tmp_path)
    run.assert_clean(codes=(code,))
    assert expected.format(f=lying) in run.err.splitlines()
    assert run.peak_mb < 200


def test_every_limit_is_stated_in_the_readme():
    from docgen import docx_safe, inputs, loader, sandbox, tabular, vn

    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")

    def vi(n: int) -> str:
        return f"{n:_}".replace("_", ".")

    stated = [f"{vi(inputs.MAX_SOURCE)} byte", f"{vi(inputs.MAX_UNITS)} byte", f"{inputs.MAX_TEXT // 2**20} MB",
              f"{inputs.MAX_DOCX // 2**20} MB",
              f"{docx_safe.MAX_MEMBER // 2**20} MB", f"{docx_safe.MAX_TOTAL // 2**20} MB",
              f"{docx_safe.MAX_RATIO} lần", f"{vi(docx_safe.MAX_MEMBERS)} phần",
              f"{vi(loader.MAX_ALIAS_NODES)} giá trị",
              f"{loader.MAX_DEPTH} cấp", f"{tabular.MAX_BYTES // 2**20} MB", f"{vi(tabular.MAX_CELLS)} ô",
              f"{tabular.MAX_UNZIPPED // 2**20} MB", vi(vn.MAX_LA_MA), vi(sandbox.MAX_STEPS),
              f"{vi(sandbox.MAX_CHARS)} ký tự", f"{sandbox.MAX_INT_BITS} bit", f"{sandbox.CHARS_PER_STEP} ký tự"]
    missing = [s for s in stated if s not in readme]
    assert not missing
