import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from util import ROOT, Doc  # noqa: E402

from docgen.core import render_bytes  # noqa: E402

PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def plan_bytes() -> bytes:
    return render_bytes(PLAN)


@pytest.fixture(scope="session")
def plan_doc(plan_bytes) -> Doc:
    return Doc(plan_bytes)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8")
