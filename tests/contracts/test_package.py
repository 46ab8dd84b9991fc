"""The contracts distribution installs alone: a fresh virtualenv with only ``contracts/`` (and
what it depends on: pydantic, orjson) reads every example message and the schema files.

Run with this interpreter, and with every other Python that pydantic supports (3.10+) found on
PATH or in pyenv's versions; the ones not found are skipped with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 300.0
"""Seconds for pip to build and install the package (the registry may be slow)."""

CHECK = r"""
import importlib.metadata as md, importlib.util, json, sys
from pydantic import TypeAdapter
import wirestream_contracts as wc
from wirestream_contracts import headers, schemas, topics

# Only the package and its dependencies: no service code, no spaCy, faust, pyarrow or duckdb.
for name in ("wirestream", "spacy", "faust", "pyarrow", "duckdb", "pydantic_settings"):
    assert importlib.util.find_spec(name) is None, name
installed = {d.metadata["Name"].lower().replace("_", "-") for d in md.distributions()}
allowed = {"wirestream-contracts", "pydantic", "pydantic-core", "annotated-types",
           "typing-extensions", "typing-inspection", "orjson", "pip", "setuptools"}
assert installed <= allowed, installed - allowed

checked = 0
for topic in topics.ALL_TOPICS:
    example = schemas.example(topic.key)
    TypeAdapter(topic.value).validate_python(example)
    schema = schemas.load_schema(topic.value.__name__, topic.schema_version)
    assert schemas.history(topic.value.__name__, topic.schema_version)
    assert set(schema["required"]) <= set(example), topic.key
    if topic.key != "raw":  # readers tolerate a field from a later minor version
        record = topic.value.model_validate({**example, "added_later": [1, 2]})
        assert "added_later" not in record.model_dump()
    checked += 1
assert (schemas.SCHEMAS_DIR / "asyncapi.yaml").is_file()
assert topics.EVENTS.name() == "wirestream.events"
assert headers.KIND == "wirestream-kind"
print(json.dumps({"checked": checked, "python": sys.version.split()[0]}))
"""


SUPPORTED = [(3, minor) for minor in range(10, 15)]
"""The Python versions pydantic supports (its Requires-Python: >=3.10), up to the newest known."""


def find_python(version: tuple[int, int]) -> str | None:
    """An interpreter of ``version``: this one, one of pyenv's versions, or one on PATH (not a
    pyenv shim: a shim fails for a version that is not selected)."""
    if sys.version_info[:2] == version:
        return sys.executable
    name = f"python{version[0]}.{version[1]}"
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob(f"{version[0]}.{version[1]}.*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    return found if found and "/shims/" not in found else None


@pytest.mark.parametrize("version", SUPPORTED, ids=lambda v: f"py{v[0]}.{v[1]}")
def test_contracts_install_alone_and_read_every_example(
    version: tuple[int, int], tmp_path: Path
) -> None:
    interpreter = find_python(version)
    if interpreter is None:
        pytest.skip(f"no Python {version[0]}.{version[1]} on this machine")
    source = tmp_path / "contracts"  # a copy: pip builds in the source tree (build/, egg-info)
    shutil.copytree(
        ROOT / "contracts", source, ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    env_dir = tmp_path / "venv"
    subprocess.run([interpreter, "-m", "venv", str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(ROOT / "contracts"),
        ],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if install.returncode != 0:
        pytest.fail(f"pip install contracts/ failed:\n{install.stdout}\n{install.stderr}")
    result = subprocess.run(
        [str(python), "-c", CHECK],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # not the repository: nothing importable from the source tree
        check=False,
    )
    assert result.returncode == 0, result.stderr
    examples = len(list((ROOT / "schemas" / "examples").glob("*.json")))
    assert f'"checked": {examples}' in result.stdout, result.stdout
    assert f'"python": "{version[0]}.{version[1]}.' in result.stdout, result.stdout
