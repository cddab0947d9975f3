"""SHA-256 of every example's output (each source in data/, and each unit of a batch).

    python tools/output_digests.py > before.json   # before a change meant to keep the bytes
    python tools/output_digests.py > after.json && cmp before.json after.json
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def digests() -> dict[str, str]:
    from docgen import batching as batch
    from docgen.core import render_bytes
    from docgen.kinds import KINDS

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    data = ROOT / "data"
    out: dict[str, str] = {}
    sources = [p for p in sorted(data.glob("*.yaml")) if "loai: don_vi" not in p.read_text(encoding="utf-8")]
    for path in sources:
        out[path.name] = hashlib.sha256(render_bytes(path)).hexdigest()
    for path in sources:
        if not KINDS[yaml.safe_load(path.read_text(encoding="utf-8"))["loai"]].batch:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            for r in batch.run(path, data / "don_vi.yaml", Path(tmp), jobs=1):
                if r.path is not None:
                    out[f"{path.name} + {r.ma}"] = hashlib.sha256(r.path.read_bytes()).hexdigest()
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(digests(), indent=1, sort_keys=True))
