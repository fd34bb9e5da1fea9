"""pyproject.toml is the one list of dependencies; environment.yml only installs the package."""

import tomllib

import yaml

from tests.conftest import ROOT


def test_environment_yml_installs_the_package_and_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert sorted(c.split("=")[0] for c in conda) == ["pip", "python"]
    assert pip == [{"pip": ["-e .[test]"]}]


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    wanted = python.split("=")[1]
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, wanted.split("."))) >= tuple(map(int, minimum.split(".")))


def test_test_extra_and_script_exist():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["smartacct"] == "smartacct_helpers.delivery.cli:main"
    assert "test" in project["optional-dependencies"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make test" in ci
