"""Helpers shared by the tests: reading produced documents back."""
from __future__ import annotations

import difflib
import io
import zipfile
from pathlib import Path

from lxml import etree

from docgen.ooxml import Styles, parse, q, text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_ke_hoach_cchc_2023.txt"  # copy of ../shared/seed
PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
FIXTURES = ROOT / "tests" / "fixtures"


class Doc:
    """A produced .docx opened for assertions on effective formatting."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        names = self.zip.namelist()
        self.document = parse(self.zip.read("word/document.xml"))
        self.styles = Styles(self.zip.read("word/styles.xml"),
                             self.zip.read("word/theme/theme1.xml") if "word/theme/theme1.xml" in names else None)
        self.body = self.document.find(q("w:body"))

    def part(self, name: str) -> etree._Element:
        return parse(self.zip.read(name))

    def paragraphs(self, within: etree._Element | None = None) -> list[etree._Element]:
        return list((within if within is not None else self.body).iter(q("w:p")))

    def body_paragraphs(self) -> list[etree._Element]:
        """Paragraphs outside tables."""
        return [p for p in self.body.findall(q("w:p"))]

    def find(self, needle: str) -> etree._Element:
        for p in self.paragraphs():
            if needle in text(p):
                return p
        raise AssertionError(f"no paragraph contains {needle!r}")

    def text(self) -> str:
        return "\n".join(text(p) for p in self.paragraphs())

    def tables(self) -> list[etree._Element]:
        return self.body.findall(q("w:tbl"))


def tokens(s: str) -> list[str]:
    return s.split()


def recall_in_order(reference: str, produced: str) -> tuple[float, list[str]]:
    """Share of reference tokens found in order in produced; and the missing ones."""
    ref, out = tokens(reference), tokens(produced)
    sm = difflib.SequenceMatcher(None, ref, out, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    missing = []
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag in ("replace", "delete"):
            missing.extend(ref[i1:i2])
    return matched / len(ref), missing
