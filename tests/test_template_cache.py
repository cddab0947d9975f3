"""The persistent cache of prepared templates (template_cache.py): same bytes, never trusted blindly, never an error."""
import os
import zipfile

import pytest

from docgen import template_cache
from docgen.core import build_document, default_template
from docgen.errors import DocgenError
from docgen.kinds import DOCUMENTS
from docgen.loader import load
from docgen.rendering import PreparedTemplate

from .util import EXAMPLES, PLAN, docx_with

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(folder))
    return folder


def entries(folder):
    return sorted(folder.glob("*" + template_cache.SUFFIX)) if folder.is_dir() else []


def uncached(path, monkeypatch) -> PreparedTemplate:
    with monkeypatch.context() as m:
        m.setenv("DOCGEN_CACHE_DIR", "")
        return PreparedTemplate(path)


def restored(path) -> PreparedTemplate:
    """A template prepared by an earlier process: taken from the cache, docxtpl not opened."""
    PreparedTemplate(path)
    tpl = PreparedTemplate(path)
    assert "_tpl" not in vars(tpl), "not taken from the cache"
    return tpl


def test_every_bundled_kind_has_an_example():
    assert {k.loai for k in DOCUMENTS} <= {load(p).data.get("loai") for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_cached_template_writes_the_bytes_of_a_prepared_one(path, cache, monkeypatch):
    _, context, props = build_document(path)
    template = default_template(load(path).data["loai"])
    assert restored(template).render(context, props) == uncached(template, monkeypatch).render(context, props)
    assert len(entries(cache)) == 1


def test_docxtpl_passes_from_a_cached_template(cache, monkeypatch):
    """A tab and a line break in the data (docxtpl's resolve_listing), a table docxtpl fixes, a drawing
    (fix_docpr_ids): docxtpl is opened on first need, and the bytes are those of a template prepared here."""
    from docgen import rendering

    template = docx_with(default_template("ke_hoach"), cache.parent / "hinh.docx", edits={"word/document.xml": [(
        "<w:body>", '<w:body><w:p><w:r><w:drawing><wp:inline><wp:docPr id="7" name="h"/></wp:inline>'
        "</w:drawing></w:r></w:p>")]})
    _, context, props = build_document(PLAN)
    context["trich_yeu"] = "một\tdòng\nhai"
    monkeypatch.setattr(rendering, "_fix_tables_changes", lambda tbl: True)
    fresh = uncached(template, monkeypatch).render(context, props)
    tpl = restored(template)
    assert tpl.render(context, props) == fresh
    assert "_tpl" in vars(tpl)  # opened for the passes
    text = zipfile.ZipFile(__import__("io").BytesIO(fresh)).read("word/document.xml")
    assert b'<wp:docPr id="1001"' in text and b"<w:tab/>" in text and b"<w:br/>" in text


def test_the_second_process_takes_the_template_from_the_cache(cache):
    first = PreparedTemplate(default_template("ke_hoach"))
    assert "_tpl" in vars(first) and len(entries(cache)) == 1
    assert "_tpl" not in vars(PreparedTemplate(default_template("ke_hoach")))


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "empty", "other format", "other key", "not marshal",
                                    "other shape", "not code"])
def test_a_damaged_entry_is_ignored_and_replaced(cache, monkeypatch, damage):
    import hashlib
    import marshal

    template = default_template("quyet_dinh")
    _, context, props = build_document(next(p for p in EXAMPLES if load(p).data["loai"] == "quyet_dinh"))
    expected = uncached(template, monkeypatch).render(context, props)
    PreparedTemplate(template)
    [entry] = entries(cache)
    good = entry.read_bytes()
    head = len(template_cache.MAGIC) + 32

    def signed(value) -> bytes:
        payload = marshal.dumps(value)
        return template_cache.MAGIC + hashlib.sha256(payload).digest() + payload

    key = entry.stem
    entry.write_bytes({
        "truncated": good[:len(good) // 2],
        "corrupt": good[:head + 100] + bytes([good[head + 100] ^ 1]) + good[head + 101:],
        "empty": b"",
        "other format": good.replace(template_cache.MAGIC, b"docgen prepared template 0\n", 1),
        "other key": signed(("0" * 64, marshal.loads(good[head:])[1])),
        "not marshal": template_cache.MAGIC + hashlib.sha256(b"\xff\xff").digest() + b"\xff\xff",
        "other shape": signed((key, {"body": "print(1)"})),
        "not code": signed((key, {**marshal.loads(good[head:])[1], "body": "print('from the cache')"})),
    }[damage])
    tpl = PreparedTemplate(template)
    assert "_tpl" in vars(tpl)  # prepared again
    assert tpl.render(context, props) == expected
    assert entry.read_bytes() == good  # and the entry written again


def test_someone_elses_entry_is_not_trusted(cache, monkeypatch):
    if not hasattr(os, "getuid"):
        pytest.skip("file owners are a POSIX notion")
    PreparedTemplate(default_template("to_trinh"))
    monkeypatch.setattr(os, "getuid", lambda: os.stat(entries(cache)[0]).st_uid + 1)
    assert "_tpl" in vars(PreparedTemplate(default_template("to_trinh")))


@pytest.mark.parametrize("setting", ["", "file", "under a file"])
def test_no_cache_or_a_folder_that_cannot_be_written_still_renders(tmp_path, monkeypatch, setting):
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    folder = {"": "", "file": str(blocker), "under a file": str(blocker / "docgen")}[setting]
    monkeypatch.setenv("DOCGEN_CACHE_DIR", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _, context, props = build_document(PLAN)
    for _ in range(2):
        assert PreparedTemplate(default_template("ke_hoach")).render(context, props)[:2] == b"PK"
    assert blocker.read_text() == "x"
    assert not (tmp_path / "xdg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tep"]


def test_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert template_cache.cache_dir() == tmp_path / "docgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert template_cache.cache_dir() == tmp_path / "home" / ".cache" / "docgen"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert template_cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "  ")
    assert template_cache.cache_dir() is None


def test_a_template_edited_in_place_is_prepared_again(cache, tmp_path):
    """Same size, same modification time, other content: the key is the content."""
    path = tmp_path / "mau.docx"
    _, context, props = build_document(PLAN)
    outputs = []
    for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAX"):
        docx_with(default_template("ke_hoach"), path, edits={"word/document.xml": [(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", heading)]})
        os.utime(path, ns=(10**18, 10**18))
        outputs.append((path.stat().st_size, PreparedTemplate(path).render(context, props)))
    (size_a, a), (size_b, b) = outputs
    assert size_a == size_b
    assert b"VI\xe1\xbb\x86T NAX" in zipfile.ZipFile(__import__("io").BytesIO(b)).read("word/document.xml")
    assert a != b and len(entries(cache)) == 2


def test_a_template_error_is_the_same_every_time_and_never_cached(cache, tmp_path):
    path = docx_with(default_template("ke_hoach"), tmp_path / "sai.docx", edits={"word/document.xml": [(
        "{{ so_ky_hieu }}", "{{ so_ky_hieu ")]})
    messages = []
    for _ in range(2):
        with pytest.raises(DocgenError) as exc:
            PreparedTemplate(path)
        messages.append(str(exc.value))
    assert messages[0] == messages[1] and "thẻ mẫu sai cú pháp" in messages[0]
    assert entries(cache) == []


def test_old_entries_are_trimmed(cache, monkeypatch):
    monkeypatch.setattr(template_cache, "KEEP", 2)
    for n in range(4):
        template_cache.store(f"{n:064x}", ("x",))
        os.utime(cache / f"{n:064x}.tpl", ns=(n * 10**9, n * 10**9))
    template_cache.store("f" * 64, ("x",))
    assert [p.stem for p in entries(cache)] == [f"{3:064x}", "f" * 64]
    assert template_cache.load("f" * 64) == ("x",)
