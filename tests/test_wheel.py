"""The built wheel carries everything a render needs: installed in a fresh venv outside the checkout, it
renders the example plan and reads back as a Decree 30 document (templates and schemas are package data)."""
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .util import ROOT, Doc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv with only the docgen wheel; its third-party dependencies come from this environment's
    site-packages as a plain path (no network, and no docgen from there: the editable hook is not run)."""
    where = tmp_path_factory.mktemp("wheel")
    source = where / "src"  # built from a copy: the build leaves build/ and *.egg-info behind
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "output", "build", "*.egg-info",
                                                               "__pycache__", ".hypothesis", ".pytest_cache"))
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(where / "dist"), str(source)],
                           capture_output=True, text=True, cwd=where)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next((where / "dist").glob("docgen-*.whl"))
    env_dir = where / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--ignore-installed", "--no-index", "-q", str(wheel)],
                          capture_output=True, text=True, cwd=where)
    assert done.returncode == 0, done.stdout + done.stderr
    # the docgen of this environment (an editable install, seen through _deps.pth) must not count as installed
    assert (env_dir / "bin" / "docgen").exists(), done.stdout + done.stderr
    return wheel, python, where


def _run(python, *args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(python), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_wheel_holds_templates_schemas_and_types(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("docgen/templates/ke_hoach.docx", "docgen/templates/bao_cao.docx", "docgen/py.typed",
                   "docgen/schemas/ke_hoach.schema.json", "docgen/kinds.py", "docgen/api.py"):
        assert needed in names


def test_installed_wheel_renders_the_example_outside_the_checkout(installed):
    _, python, where = installed
    work = where / "ngoai"
    work.mkdir()
    (work / "ke_hoach_2023.yaml").write_text((ROOT / "data" / "ke_hoach_2023.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    done = _run(python.parent / "docgen", "render", "ke_hoach_2023.yaml", cwd=work)  # the installed command
    assert done.returncode == 0, done.stdout + done.stderr
    doc = Doc((work / "output" / "ke_hoach_2023.docx").read_bytes())
    assert "KẾ HOẠCH" in doc.text() and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text()
    probe = _run(python, "-c", "import docgen, docgen.kinds as k; from docgen import render, build, check; "
                 "print(docgen.__file__); print(k.KINDS['ke_hoach'].template_path())", cwd=work)
    assert probe.returncode == 0, probe.stderr
    module, template = probe.stdout.split()
    assert str(where) in module and str(ROOT) not in module  # the wheel's docgen, not the checkout's
    assert template.startswith(str(where)) and template.endswith("ke_hoach.docx")
