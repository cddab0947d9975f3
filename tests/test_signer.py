"""Render never writes what check refuses: signer and recipient prefixes are dropped or refused."""
import pytest
import yaml
from click.testing import CliRunner

from docgen.checker import DAT, check
from docgen.cli import main
from docgen.core import render_bytes
from docgen.ooxml import q, text

from .util import Doc

SIGNERS = [  # (nguoi_ky as a YAML mapping, expected signer lines)
    ({"chuc_vu": "Trưởng Ban", "ho_ten": "Trần Văn Mẫn"}, ["TRƯỞNG BAN"]),
    ({"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Lê An"}, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"thay_mat": "TM. Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Lê An"},
     ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"thay_mat": "tm.Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Lê An"}, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"thay_mat": "Ủy ban nhân dân", "quyen_han": "KT", "thu_truong": "Chủ tịch", "chuc_vu": "Phó Chủ tịch",
      "ho_ten": "Lê An"}, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"quyen_han": "KT", "thu_truong": "KT. Trưởng Ban", "chuc_vu": "Phó Trưởng Ban", "ho_ten": "Lê An"},
     ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]),
    ({"quyen_han": "TL", "thu_truong": "Trưởng Ban", "chuc_vu": "Chánh Văn phòng", "ho_ten": "Lê An"},
     ["TL. TRƯỞNG BAN", "CHÁNH VĂN PHÒNG"]),
    ({"quyen_han": "TUQ", "thu_truong": "Trưởng Ban", "chuc_vu": "Chánh Văn phòng", "ho_ten": "Lê An"},
     ["TUQ. TRƯỞNG BAN", "CHÁNH VĂN PHÒNG"]),
    ({"quyen_han": "Q", "chuc_vu": "Trưởng Ban", "ho_ten": "Lê An"}, ["Q. TRƯỞNG BAN"]),
]
RECIPIENTS = [  # (noi_nhan as written, lines docgen writes)
    (["Sở Nội vụ", "UBND huyện"], ["- Sở Nội vụ;", "- UBND huyện;"]),
    (["- UBND huyện;", "+ Sở Nội vụ.", "– Các phòng;"], ["- UBND huyện;", "- Sở Nội vụ;", "- Các phòng;"]),
    (["-UBND huyện ;"], ["- UBND huyện;"]),
]


def _render(tmp_path, minimal_text, nguoi_ky=None, noi_nhan=None):
    data = yaml.safe_load(minimal_text)
    if nguoi_ky is not None:
        data["nguoi_ky"] = nguoi_ky
    if noi_nhan is not None:
        data["noi_nhan"] = noi_nhan
    src = tmp_path / "ke_hoach.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "ke_hoach.docx"
    out.write_bytes(render_bytes(src))
    return out


def _footer(path):
    doc = Doc(path.read_bytes())
    cells = doc.tables()[-1].iter(q("w:tc"))
    left, right = [[text(p) for p in c.iter(q("w:p")) if text(p)] for c in cells]
    return left, right


@pytest.mark.parametrize("nguoi_ky, lines", SIGNERS, ids=[str(i) for i in range(len(SIGNERS))])
def test_every_accepted_signer_renders_what_check_passes(tmp_path, minimal_text, nguoi_ky, lines):
    out = _render(tmp_path, minimal_text, nguoi_ky=nguoi_ky)
    _, right = _footer(out)
    assert right == lines + [nguoi_ky["ho_ten"]]
    findings = {f.quy_tac: f for f in check(out)}
    assert findings["ky.chuc_vu"].trang_thai == DAT and findings["ky.ho_ten"].trang_thai == DAT


@pytest.mark.parametrize("noi_nhan, lines", RECIPIENTS, ids=[str(i) for i in range(len(RECIPIENTS))])
def test_every_accepted_recipient_list_renders_what_check_passes(tmp_path, minimal_text, noi_nhan, lines):
    out = _render(tmp_path, minimal_text, noi_nhan=noi_nhan)
    left, _ = _footer(out)
    assert left == ["Nơi nhận:"] + lines + ["- Lưu: VT."]
    assert {f.quy_tac: f for f in check(out)}["noi_nhan.muc"].trang_thai == DAT


REFUSED = [
    ("ho_ten: Trần Văn Mẫn", "ho_ten: ThS. Nguyễn Văn Hùng",
     "nguoi_ky.ho_ten: bỏ 'ThS.' trước họ tên: Nghị định 30 chỉ ghi họ và tên người ký, không kèm học hàm, học vị "
     "(ghi 'Nguyễn Văn Hùng')"),
    ("ho_ten: Trần Văn Mẫn", "ho_ten: PGS.TS. Nguyễn Văn Hùng",
     "nguoi_ky.ho_ten: bỏ 'PGS.TS.' trước họ tên: Nghị định 30 chỉ ghi họ và tên người ký, không kèm học hàm, học "
     "vị (ghi 'Nguyễn Văn Hùng')"),
    ("ho_ten: Trần Văn Mẫn", "ho_ten: Tiến sĩ Nguyễn Văn Hùng",
     "nguoi_ky.ho_ten: bỏ 'Tiến sĩ' trước họ tên: Nghị định 30 chỉ ghi họ và tên người ký, không kèm học hàm, học "
     "vị (ghi 'Nguyễn Văn Hùng')"),
    ("chuc_vu: Trưởng Ban", "chuc_vu: KT. Trưởng Ban",
     "nguoi_ky.chuc_vu: không ghi 'KT.' trong 'chuc_vu': ghi 'quyen_han: KT', 'thu_truong' (ví dụ Chủ tịch) và "
     "'chuc_vu' chỉ là chức vụ người ký (ví dụ Phó Chủ tịch); docgen tự viết dòng KT."),
    ("chuc_vu: Trưởng Ban", "chuc_vu: Trưởng Ban\n  thay_mat: KT. Ban Dân tộc",
     "nguoi_ky.thay_mat: không ghi 'KT.' ở 'thay_mat': docgen tự viết TM. trước 'thay_mat'; KT./Q./TL./TUQ. theo "
     "'quyen_han'"),
    ("  - Sở Nội vụ", "  - Sở Nội vụ\n  - 'Lưu: VT, VP'",
     "noi_nhan[1]: nơi lưu ghi ở khóa 'luu' (ví dụ luu: [VT, VP]), không ghi trong 'noi_nhan'"),
    ("  - Sở Nội vụ", "  - '- ;'", "noi_nhan[0]: không được để trống"),
]


@pytest.mark.parametrize("old, new, message", REFUSED, ids=[r[1][:30] for r in REFUSED])
def test_prefixes_docgen_cannot_decide_are_refused_with_a_message(tmp_path, minimal_text, monkeypatch, old, new,
                                                                   message):
    assert old in minimal_text
    (tmp_path / "kh.yaml").write_text(minimal_text.replace(old, new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "kh.yaml", "-o", "kh.docx"])
    assert result.exit_code == 1
    assert [line.split(": ", 2)[2] for line in result.stderr.splitlines()] == [message]
    assert not (tmp_path / "kh.docx").exists()


def test_what_docgen_dropped_is_said_once_as_a_warning(tmp_path, minimal_text, monkeypatch):
    text_ = minimal_text.replace("  - Sở Nội vụ", "  - \"- UBND huyện;\"\n  - Sở Nội vụ").replace(
        "  chuc_vu: Trưởng Ban", "  thay_mat: TM. Ban Dân tộc\n  chuc_vu: Trưởng Ban")
    (tmp_path / "kh.yaml").write_text(text_, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "kh.yaml", "-o", "kh.docx"])
    assert result.exit_code == 0, result.output
    lines = text_.splitlines()
    recipient = lines.index('  - "- UBND huyện;"') + 1
    assert result.stderr.splitlines() == [
        f"Cảnh báo: kh.yaml:{lines.index('  thay_mat: TM. Ban Dân tộc') + 1}: nguoi_ky.thay_mat: đã bỏ 'TM.' ở đầu: "
        "docgen tự viết TM./KT./TL./TUQ. trên dòng chữ ký; xóa khỏi tệp nguồn cho gọn",
        f"Cảnh báo: kh.yaml:{recipient}: noi_nhan[0]: đã bỏ dấu ở đầu/cuối "
        "'- UBND huyện;': docgen tự thêm '- ' và ';'; chỉ ghi tên nơi nhận"]
    assert (tmp_path / "kh.docx").exists()


@pytest.mark.parametrize("typed", ["TM. TM. ỦY BAN NHÂN DÂN", "TM. KT. ỦY BAN NHÂN DÂN", "KT.TM. ỦY BAN NHÂN DÂN"])
def test_check_refuses_a_hand_typed_double_prefix(tmp_path, minimal_text, typed):
    """A clerk who types the prefix that docgen (or Word's template) already wrote gets two on one line."""
    import zipfile

    out = _render(tmp_path, minimal_text, {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Lê An"})
    with zipfile.ZipFile(out) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    edited = tmp_path / "go_tay.docx"
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "word/document.xml":
                assert data.count("TM. ỦY BAN NHÂN DÂN".encode()) == 1
                data = data.replace("TM. ỦY BAN NHÂN DÂN".encode(), typed.encode())
            zf.writestr(name, data)
    assert {f.quy_tac: f for f in check(out)}["ky.chuc_vu"].trang_thai == DAT
    finding = {f.quy_tac: f for f in check(edited)}["ky.chuc_vu"]
    assert finding.trang_thai != DAT
    assert "một quyền hạn mỗi dòng" in finding.line()
