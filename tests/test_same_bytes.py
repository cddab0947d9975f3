"""Speed-ups change no byte.

The fast path (prepared template, one process or many) is compared with the reference path, plain
docxtpl (a new DocxTemplate per document, ``render.render_plain``), on every example source (see
test_property) and here on every unit of every example batch; and a batch in two workers writes the
same bytes as in one. For a before/after check of a change, ``python tools/output_digests.py``
prints the digest of every example's output.
"""
import io
import zipfile
from pathlib import Path

import pytest

from docgen import batching as batch
from docgen.errors import DocgenError
from docgen.kinds import DOCUMENTS
from docgen.loader import load
from docgen.rendering import render_plain
from docgen.units import load_units

from .util import EXAMPLES, ROOT

_BATCHABLE = {k.loai for k in DOCUMENTS if k.batch}
SOURCES = sorted(p for p in EXAMPLES if load(p).data.get("loai") in _BATCHABLE)  # kinds `batch` renders


def _xml_parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()
            if n == "word/document.xml" or n.startswith(("word/header", "word/footer", "word/footnotes"))}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_batch_unit_equals_plain_docxtpl(source, monkeypatch):
    base = batch.Base(source, None)
    captured = []
    real = base.template.render
    monkeypatch.setattr(base.template, "render", lambda context, props: captured.append(context)
                        or real(context, props))
    rendered = 0
    for unit in load_units(ROOT / "data" / "don_vi.yaml"):
        try:
            fast = _xml_parts(base.render(unit))
        except DocgenError:  # a unit naming tasks this plan does not have
            continue
        rendered += 1
        plain = _xml_parts(render_plain(base.template.path, captured[-1]))
        assert fast.keys() == plain.keys() and len(fast) >= 3
        for name in fast:
            assert fast[name] == plain[name], (unit.ma, name)
    assert rendered >= 1


@pytest.mark.parametrize("source", [SOURCES[0], ROOT / "data" / "ke_hoach_2023.yaml"], ids=lambda p: p.stem)
def test_two_workers_write_the_bytes_of_one(tmp_path, source):
    outs = {}
    for jobs in (1, 2):
        results = batch.run(source, ROOT / "data" / "don_vi.csv", tmp_path / str(jobs), jobs=jobs)
        assert all(r.path for r in results)
        outs[jobs] = {p.name: p.read_bytes() for p in sorted(Path(tmp_path / str(jobs)).iterdir())}
    assert len(outs[1]) == 3 and outs[1] == outs[2]
