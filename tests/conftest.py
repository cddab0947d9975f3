import pytest

from docgen.core import render_bytes

from .util import FIXTURES, PLAN, Doc


@pytest.fixture(scope="session")
def plan_bytes() -> bytes:
    return render_bytes(PLAN)


@pytest.fixture(scope="session")
def plan_doc(plan_bytes) -> Doc:
    return Doc(plan_bytes)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8")
