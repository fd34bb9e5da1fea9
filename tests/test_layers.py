"""The import arrows run one way: intake, facts, the questions, presentation, delivery.

The contracts are in pyproject.toml (``[tool.importlinter]``); import-linter
checks them. A wrong-way import anywhere in the package, a function's own
import included, breaks this test and names the import.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports() -> str:
    """The ``lint-imports`` script beside this Python (the test extra installs it), else the one on the PATH."""
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "lint-imports is missing: it comes with the test extra (pip install -e '.[test]')"
    return found


def run_lint(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [lint_imports(), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600
    )


def test_the_layers_and_the_forbidden_imports_hold():
    run = run_lint()
    assert run.returncode == 0, run.stdout + run.stderr
    # the two contracts of pyproject.toml: the layers, and what the analyses must not import
    assert "Contracts: 2 kept, 0 broken." in run.stdout


def test_a_broken_contract_fails_and_names_the_import(tmp_path):
    # the report reads the key figures of delivery.summary (line 37 of report.py): forbidding it must fail
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_package = smartacct_helpers\n\n"
        "[importlinter:contract:report]\nname = the report without the key figures\n"
        "type = forbidden\nsource_modules = smartacct_helpers.delivery.report\n"
        "forbidden_modules = smartacct_helpers.delivery.summary\n",
        encoding="utf-8",
    )
    run = run_lint("--config", str(config))
    assert run.returncode != 0
    assert "smartacct_helpers.delivery.report -> smartacct_helpers.delivery.summary" in run.stdout
