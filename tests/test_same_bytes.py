"""Speed-ups change no byte: every example's output (each source, each batch unit) against committed digests.

If the documents change on purpose, update the digests in the same commit:
``python tools/output_digests.py --write``.
"""
import importlib.util
import json

from .util import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("output_digests", ROOT / "tools" / "output_digests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_gives_the_committed_bytes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    tool = _tool()
    expected = json.loads(tool.DIGESTS.read_text(encoding="utf-8"))
    found = tool.digests()
    assert len(found) >= 20
    changed = sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))
    assert not changed, (f"outputs changed: {changed}; if on purpose, run "
                         "`python tools/output_digests.py --write` and commit the file")
