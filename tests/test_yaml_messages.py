"""YAML clerks can write: README snippets parse and validate; syntax errors are Vietnamese with the fix."""
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import render_bytes
from docgen.errors import DocgenError
from docgen.loader import load_text

from .util import FIXTURES, ROOT, Doc

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", README, re.S)
# inline code that is YAML: "key: value", "- key: value", "[a, b]"
INLINE = sorted({c for c in re.findall(r"`([^`\n]+)`", README)
                 if re.match(r"^(?:- )?[a-z_]+: \S|^\[.*\]$", c) and "→" not in c})


def test_readme_has_yaml_examples():
    assert len(BLOCKS) >= 2 and len(INLINE) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_every_readme_yaml_block_parses_and_validates(tmp_path, block):
    shutil.copy(ROOT / "data" / "ke_hoach_2023.yaml", tmp_path / "ke_hoach_2023.yaml")
    data = yaml.safe_load(block)
    if "loai" in data:
        src = tmp_path / "vi_du.yaml"
        src.write_text(block, encoding="utf-8")
    else:  # a part of a plan: put into the minimal plan
        plan = yaml.safe_load((FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8"))
        plan.update(data)
        src = tmp_path / "vi_du.yaml"
        src.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert Doc(render_bytes(src)).text()


@pytest.mark.parametrize("snippet", INLINE)
def test_every_inline_yaml_example_in_the_readme_parses(snippet):
    load_text(snippet, "vi_du.yaml")  # raises DocgenError on a syntax error


def _error(tmp_path, monkeypatch, text):
    (tmp_path / "kh.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "kh.yaml", "-o", "kh.docx"])
    assert result.exit_code == 1 and not (tmp_path / "kh.docx").exists()
    return result.stderr.splitlines()


COLON = ("cú pháp YAML sai: dấu ':' theo sau là dấu cách (hoặc ở cuối dòng) nằm trong đoạn chữ, YAML hiểu nhầm là "
         "khóa mới: đặt cả đoạn chữ trong ngoặc kép, ví dụ ")
INDENT = ("cú pháp YAML sai: thụt lề không khớp với các dòng trên: các khóa cùng cấp phải thẳng cột (cùng số dấu cách "
          "đầu dòng), các mục '- ' của cùng một danh sách cũng vậy")
QUOTE = ("cú pháp YAML sai: dấu ngoặc mở ở dòng này chưa được đóng: thêm dấu ngoặc đóng cùng loại (\" hoặc ') ở cuối "
         "đoạn chữ")
MAPPING = ("dòng '{k}: {v}' có dấu ': ' nên YAML đọc thành cặp khóa: giá trị (khóa '{k}'), không phải một dòng chữ; "
           "đặt cả dòng trong ngoặc kép: - \"{k}: {v}\"")
NOI_DUNG = "      - nhiem_vu: Nhiệm vụ hai\n"
SYNTAX = [
    ("colon_at_end", ("  - muc: Mục đích\n", "  - muc: Mục đích\n    noi_dung:\n      - khoan: Mục đích:\n"), 16,
     COLON + '- khoan: "Mục đích:"'),
    ("colon_inside", ("trich_yeu: Thực hiện công tác", "trich_yeu: Kế hoạch: thực hiện công tác"), 10,
     COLON + 'trich_yeu: "Kế hoạch: thực hiện công tác cải cách hành chính năm 2023"'),
    ("tab", ("  ten: BAN DÂN TỘC", "\tten: BAN DÂN TỘC"), 4,
     "cú pháp YAML sai: dòng này thụt lề bằng phím Tab; YAML chỉ nhận dấu cách: xóa Tab, gõ dấu cách thay vào"),
    ("unclosed_double_quote", ("trich_yeu: Thực hiện", 'trich_yeu: "Thực hiện'), 10, QUOTE),
    ("unclosed_single_quote", ("trich_yeu: Thực hiện", "trich_yeu: 'Thực hiện"), 10, QUOTE),
    ("unclosed_bracket", ("nam: 2023", "nam: [2023"), 9,
     "cú pháp YAML sai: ngoặc '[' mở ở dòng này chưa được đóng bằng ']', hoặc thiếu dấu ',' giữa các mục; mục nào "
     "có dấu ',' hay ': ' thì đặt trong ngoặc kép"),
    ("star", ("  - Sở Nội vụ", "  - *Lưu ý"), 22,
     "cú pháp YAML sai: đoạn chữ bắt đầu bằng '*' hoặc '&' (YAML hiểu là ký hiệu riêng): đặt cả đoạn trong ngoặc "
     "kép, ví dụ - \"*Lưu ý: ...\""),
    ("indent", ("  ten: BAN DÂN TỘC", "   ten: BAN DÂN TỘC"), 4,
     INDENT + "; nếu dòng trên là đoạn chữ có dấu ': ' thì đặt đoạn đó trong ngoặc kép"),
    ("list_item_as_mapping", (NOI_DUNG, "      - gach:\n          - Chỉ đạo: Giám đốc Sở\n" + NOI_DUNG), 20,
     "noi_dung[0].noi_dung[1].gach[0]: " + MAPPING.format(k="Chỉ đạo", v="Giám đốc Sở")),
    ("block_as_mapping", (NOI_DUNG, "      - Mục tiêu: nâng cao chất lượng\n" + NOI_DUNG), 19,
     "noi_dung[0].noi_dung[1]: " + MAPPING.format(k="Mục tiêu", v="nâng cao chất lượng")),
    ("recipient_as_mapping", ("  - Sở Nội vụ", "  - Kính gửi: Sở Nội vụ"), 22,
     "noi_nhan[0]: " + MAPPING.format(k="Kính gửi", v="Sở Nội vụ")),
    ("time_line_as_mapping",
     ("        thoi_gian: Quý I năm 2023", "        thoi_gian:\n          - Quý I: báo cáo"), 19,
     "noi_dung[0].noi_dung[0].thoi_gian[0]: " + MAPPING.format(k="Quý I", v="báo cáo")),
]


@pytest.mark.parametrize("name, edit, line, message", SYNTAX, ids=[s[0] for s in SYNTAX])
def test_yaml_mistakes_are_explained_in_vietnamese(tmp_path, monkeypatch, minimal_text, name, edit, line, message):
    assert edit[0] in minimal_text
    assert _error(tmp_path, monkeypatch, minimal_text.replace(*edit)) == [f"Lỗi: kh.yaml:{line}: {message}"]


def test_no_english_from_the_parser_in_any_syntax_error(minimal_text):
    for bad in ("nam: {2023", "a: b: c", "- x\ny: z", "x: 'a' b", "x: \"\\q\"", "x: @a", "? a\n: b\n  - c"):
        try:
            load_text(bad, "x.yaml")
        except DocgenError as exc:
            message = exc.problems[0].message
            assert message.startswith("cú pháp YAML sai: ")
            assert not re.search(r"\b(while|found|expected|scanning|parsing|mapping|could not|the)\b", message), bad


def test_render_given_a_word_file_points_to_import_or_check(tmp_path, monkeypatch):
    (tmp_path / "ke_hoach.docx").write_bytes(render_bytes(FIXTURES / "toi_thieu.yaml"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "ke_hoach.docx"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Lỗi: ke_hoach.docx: đây là tệp văn bản đã soạn, không phải tệp nguồn YAML: dùng 'docgen import' để chuyển "
        "nó thành tệp nguồn, hoặc 'docgen check' để kiểm tra thể thức"]
    assert not (tmp_path / "output").exists()
