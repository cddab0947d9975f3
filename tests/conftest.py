import os

import pytest

from docgen.core import render_bytes

from .util import FIXTURES, PLAN, Doc


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory):
    """Prepared templates cached in a folder of the test run (never the user's ~/.cache), subprocesses too."""
    os.environ["DOCGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("template_cache"))


@pytest.fixture(scope="session")
def plan_bytes() -> bytes:
    return render_bytes(PLAN)


@pytest.fixture(scope="session")
def plan_doc(plan_bytes) -> Doc:
    return Doc(plan_bytes)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8")
