"""`docgen batch`: units from YAML and CSV, failures alone, unsafe ids refused, reruns identical, no partial files."""
import hashlib
import os
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from docgen import batching as batch_mod
from docgen import write as write_mod
from docgen.cli import main
from docgen.ooxml import q, text

from .util import ROOT, Doc

PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
REPORT = ROOT / "data" / "bao_cao_2023_quy_1.yaml"

EXPECTED = {
    "van_phong": ("VĂN PHÒNG", ["CHÁNH VĂN PHÒNG"], "Nguyễn Văn An"),
    "thanh_tra": ("THANH TRA BAN", ["CHÁNH THANH TRA"], "Lê Thị Bình"),
    "phong_chinh_sach": ("PHÒNG CHÍNH SÁCH DÂN TỘC", None, "Phạm Văn Cường"),
}
TASKS = {  # headings of section II per unit, for the plan
    "thanh_tra": ["1. Cải cách thể chế:"],
    "phong_chinh_sach": ["1. Cải cách thủ tục hành chính:",
                         "2. Xây dựng và phát triển chính quyền điện tử hướng đến chính quyền số"],
}


def _section_two(doc):
    lines = [text(p) for p in doc.body_paragraphs()]
    start = lines.index("II. NỘI DUNG TRIỂN KHAI")
    end = lines.index("III. TỔ CHỨC THỰC HIỆN")
    return [t for t in lines[start + 1:end] if t[:2].rstrip(".").isdigit()]


def _signer(doc):
    footer = doc.tables()[1]
    right = list(footer.iter(q("w:tc")))[1]
    return [text(p) for p in right.iter(q("w:p")) if text(p)]


@pytest.mark.parametrize("units", ["don_vi.yaml", "don_vi.csv"])
def test_units_from_yaml_and_csv(tmp_path, units):
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(ROOT / "data" / units),
                                       "-o", str(tmp_path), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"Đã ghi 3 văn bản vào {tmp_path}, 0 đơn vị lỗi."
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{m}.docx" for m in EXPECTED)
    for ma, (agency, titles, name) in EXPECTED.items():
        doc = Doc((tmp_path / f"{ma}.docx").read_bytes())
        assert doc.find(agency) is not None
        signer = _signer(doc)
        assert signer[-1] == name
        if titles:
            assert signer[:-1] == titles
        if ma in TASKS:
            assert _section_two(doc) == TASKS[ma]
    vp = _section_two(Doc((tmp_path / "van_phong.docx").read_bytes()))
    assert vp and all("Cải cách thể chế" not in t for t in vp)  # its tham mưu is Thanh tra, not Văn phòng
    ks = _signer(Doc((tmp_path / "phong_chinh_sach.docx").read_bytes()))
    if units == "don_vi.yaml":
        assert ks[:-1] == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]


def test_yaml_and_csv_give_the_same_documents(tmp_path):
    for units in ("don_vi.yaml", "don_vi.csv"):
        assert CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(ROOT / "data" / units),
                                         "-o", str(tmp_path / units), "-j", "1"]).exit_code == 0
    a = (tmp_path / "don_vi.yaml" / "thanh_tra.docx").read_bytes()
    b = (tmp_path / "don_vi.csv" / "thanh_tra.docx").read_bytes()
    assert a == b


def test_reports_batch_too(tmp_path):
    result = CliRunner().invoke(main, ["batch", str(REPORT), "--units", str(ROOT / "data" / "don_vi.csv"),
                                       "-o", str(tmp_path), "-j", "2"])
    assert result.exit_code == 0, result.output
    doc = Doc((tmp_path / "thanh_tra.docx").read_bytes())
    rows = list(doc.tables()[-1].iter(q("w:tr")))
    assert len(rows) == 3  # header, the one task of Thanh tra, total
    assert "BÁO CÁO" in doc.text() and "Tổng cộng: 1 nhiệm vụ" in doc.text()


def test_a_bad_unit_fails_alone_with_its_row(tmp_path):
    units = tmp_path / "dv.csv"
    text_ = (ROOT / "data" / "don_vi.csv").read_text(encoding="utf-8")
    units.write_text(text_.replace("Chánh Thanh tra,Lê Thị Bình", ",Lê Thị Bình"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Lỗi: đơn vị thanh_tra: {units}:3: don_vi[1].nguoi_ky.chuc_vu: thiếu trường bắt buộc")
    assert result.stdout.splitlines()[-1] == f"Đã ghi 2 văn bản vào {out}, 1 đơn vị lỗi."
    assert sorted(p.name for p in out.iterdir()) == ["phong_chinh_sach.docx", "van_phong.docx"]


def test_unknown_task_of_a_unit_fails_that_unit(tmp_path):
    units = tmp_path / "dv.yaml"
    units.write_text((ROOT / "data" / "don_vi.yaml").read_text(encoding="utf-8").replace(
        "nhiem_vu: [the_che]", "nhiem_vu: [the_chee]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "Lỗi: đơn vị thanh_tra: nhiem_vu: kế hoạch không có nhiệm vụ mã the_chee" in result.stderr


@pytest.mark.parametrize("bad_id, message", [
    ("../x", "mã đơn vị '../x' không dùng làm tên tệp được: chỉ chữ không dấu, số, '_', '-', '.'"),
    ("a/b", "mã đơn vị 'a/b' không dùng làm tên tệp được: chỉ chữ không dấu, số, '_', '-', '.'"),
    ("", "mã đơn vị '' không dùng làm tên tệp được: chỉ chữ không dấu, số, '_', '-', '.'"),
    ("van_phong", "mã đơn vị 'van_phong' trùng với dòng 2"),
])
def test_unsafe_or_duplicate_ids_are_refused_before_writing(tmp_path, bad_id, message):
    units = tmp_path / "dv.csv"
    text_ = (ROOT / "data" / "don_vi.csv").read_text(encoding="utf-8")
    units.write_text(text_.replace("\nthanh_tra,", f"\n{bad_id},"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Lỗi: {units}:3: don_vi[1].ma: {message}\n"
    assert not out.exists()


def test_rerun_gives_identical_bytes(tmp_path):
    digests = []
    for run in ("a", "b"):
        assert CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(ROOT / "data" / "don_vi.yaml"),
                                         "-o", str(tmp_path / run), "-j", "2"]).exit_code == 0
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()})
    assert digests[0] == digests[1]


def test_interrupt_leaves_no_partial_file(tmp_path, monkeypatch):
    """Ctrl-C while the second file is being written: the first is whole, nothing else is left."""
    calls = {"n": 0}
    real_fdopen = write_mod.os.fdopen

    class Boom:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise KeyboardInterrupt

    def fdopen(fd, mode):
        calls["n"] += 1
        fh = real_fdopen(fd, mode)
        return Boom(fh) if calls["n"] == 2 else fh

    monkeypatch.setattr(write_mod.os, "fdopen", fdopen)
    with pytest.raises(KeyboardInterrupt):
        batch_mod.run(PLAN, ROOT / "data" / "don_vi.yaml", tmp_path, jobs=1)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["van_phong.docx"]
    zipfile.ZipFile(tmp_path / "van_phong.docx").testzip()


def test_base_source_errors_stop_the_batch(tmp_path):
    plan = tmp_path / "kh.yaml"
    shutil.copy(PLAN, plan)
    plan.write_text(plan.read_text(encoding="utf-8").replace("nam: 2023", "nam: hai"), encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(plan), "--units", str(ROOT / "data" / "don_vi.yaml"),
                                       "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Lỗi: {plan}:")
    assert not (tmp_path / "o").exists()


def _padded(path, size):
    """The example units list padded with a comment to exactly ``size`` bytes."""
    head = (ROOT / "data" / "don_vi.yaml").read_bytes().rstrip(b"\n") + b"\n# "
    path.write_bytes(head + b"x" * (size - len(head) - 1) + b"\n")
    assert path.stat().st_size == size
    return path


def test_units_list_in_yaml_up_to_8_mb(tmp_path):
    """10,600 communes in YAML (~5.6 MB) exceed the 4 MB of a source: a units list has its own limit."""
    from docgen.inputs import MAX_SOURCE, MAX_UNITS

    assert MAX_UNITS == 8 * 1024 * 1024 > 10_600 * 530 > MAX_SOURCE
    at_limit = _padded(tmp_path / "at_limit.yaml", MAX_UNITS)
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(at_limit), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [f"{m}.docx" for m in sorted(EXPECTED)]
    over = _padded(tmp_path / "over.yaml", MAX_UNITS + 1)
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(over), "-o", str(tmp_path / "o2")])
    assert result.exit_code == 1
    assert result.output == f"Lỗi: {over}: tệp quá lớn (8.388.609 byte; tối đa 8.388.608 byte)\n"
    assert not (tmp_path / "o2").exists()
    plan = _padded(tmp_path / "plan.yaml", MAX_SOURCE + 1)  # a plan keeps its 4 MB
    result = CliRunner().invoke(main, ["render", str(plan), "-o", str(tmp_path / "p.docx")])
    assert result.exit_code == 1
    assert result.output == f"Lỗi: {plan}: tệp quá lớn (4.194.305 byte; tối đa 4.194.304 byte)\n"


def test_with_workers_the_units_are_parsed_in_a_child(tmp_path, monkeypatch):
    """With -j 2 the parent never holds the parsed units (their freed blocks would be copied into both
    processes); with -j 1 it parses them itself. The documents are the same."""
    import os

    real = batch_mod.load_units
    seen = tmp_path / "pids"

    def spy(path):
        with seen.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(batch_mod, "load_units", spy)
    units = ROOT / "data" / "don_vi.yaml"
    one = batch_mod.run(PLAN, units, tmp_path / "j1", jobs=1)
    two = batch_mod.run(PLAN, units, tmp_path / "j2", jobs=2)
    first, second = [int(p) for p in seen.read_text().split()]
    assert first == os.getpid() != second
    assert [(r.ma, r.problems) for r in one] == [(r.ma, r.problems) for r in two]
    for r in one:
        assert (tmp_path / "j2" / r.path.name).read_bytes() == r.path.read_bytes()


@pytest.mark.parametrize("units, code", [("missing.yaml", 1), ("dup.csv", 1)])
def test_a_refused_units_list_reads_the_same_with_or_without_workers(tmp_path, units, code):
    (tmp_path / "dup.csv").write_text("ma,co_quan.ten\nxa_1,UBND XÃ A\nXA_1,UBND XÃ B\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(tmp_path / units), "-o",
                                           str(tmp_path / f"o{jobs}"), "-j", jobs])
        assert result.exit_code == code, result.output
        assert not (tmp_path / f"o{jobs}").exists()
        outputs.append(result.output)
    assert outputs[0] == outputs[1] and outputs[0].startswith(f"Lỗi: {tmp_path / units}")


def test_a_batch_syncs_its_own_folders_filesystem_only(tmp_path, monkeypatch):
    """Durability once per batch through syncfs(2) of the output folder, not sync(2) of every filesystem
    (which waits for a stalled network share or USB drive that has nothing to do with the batch)."""
    synced = []
    real = batch_mod._libc_syncfs()
    assert real is not None  # Linux has syncfs

    def syncfs(fd):
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}"))
        return real(fd)

    def no_sync():
        raise AssertionError("sync(2) of every filesystem")

    monkeypatch.setattr(batch_mod, "_libc_syncfs", lambda: syncfs)
    monkeypatch.setattr(batch_mod.os, "sync", no_sync)
    out = tmp_path / "ra"
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(ROOT / "data" / "don_vi.csv"),
                                       "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert synced == [str(out.resolve())]


def test_sync_falls_back_to_sync_where_syncfs_is_missing(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(batch_mod, "_libc_syncfs", lambda: None)
    monkeypatch.setattr(batch_mod.os, "sync", lambda: calls.append("sync"))
    batch_mod.sync_folder(tmp_path)
    assert calls == ["sync"]
