"""SHA-256 of every example's output (each source in data/, and each unit of a batch), to keep bytes unchanged.

    python tools/output_digests.py          # print the digests as JSON
    python tools/output_digests.py --write  # update tests/fixtures/output_digests.json

tests/test_same_bytes.py compares the current outputs with the committed digests: a speed-up must not
change one byte. A change of the documents on purpose (a template, a rule of the decree) updates the
file with --write in the same commit.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = ROOT / "tests" / "fixtures" / "output_digests.json"


def digests() -> dict[str, str]:
    from docgen import batching as batch
    from docgen.core import render_bytes

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    data = ROOT / "data"
    out: dict[str, str] = {}
    sources = [p for p in sorted(data.glob("*.yaml")) if "loai: don_vi" not in p.read_text(encoding="utf-8")]
    for path in sources:
        out[path.name] = hashlib.sha256(render_bytes(path)).hexdigest()
    for path in sources:
        with tempfile.TemporaryDirectory() as tmp:
            for r in batch.run(path, data / "don_vi.yaml", Path(tmp), jobs=1):
                if r.path is not None:
                    out[f"{path.name} + {r.ma}"] = hashlib.sha256(r.path.read_bytes()).hexdigest()
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    found = digests()
    text = json.dumps(found, indent=1, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        DIGESTS.write_text(text, encoding="utf-8")
        print(f"wrote {len(found)} digests to {DIGESTS.relative_to(ROOT)}")
    else:
        print(text, end="")
