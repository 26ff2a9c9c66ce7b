"""The distribution's own name, the one repository URL, and CI examples that install what the README says."""

from __future__ import annotations

import re
import sys

import yaml

from policykit import __version__
from policykit.core.about import DISTRIBUTION
from tests.helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
UNRELATED = "policykit"  # the package index's `policykit`: OPA/Gatekeeper helpers, another project


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_distribution_name_is_ours_and_not_confusable() -> None:
    name = PYPROJECT["project"]["name"]
    assert name == DISTRIBUTION
    assert _normalized(name) != _normalized(UNRELATED)
    # the index also refuses names that differ only by separators or look-alike characters
    skeleton = re.sub(r"[-_.]", "", name.lower()).translate(str.maketrans("l1i0", "llio"))
    assert skeleton != UNRELATED
    assert PYPROJECT["project"]["version"] == __version__
    assert PYPROJECT["project"]["scripts"] == {"policykit": "policykit.cli:main"}


def test_every_runtime_dependency_is_bounded_on_both_sides() -> None:
    for requirement in PYPROJECT["project"]["dependencies"]:
        spec = requirement.split(";")[0]
        assert ">=" in spec, requirement
        assert "<" in spec.replace("<=", "") or spec.startswith("certifi"), requirement  # certifi: newest bundle


def test_the_aws_extra_is_boto3_bounded_and_the_tests_install_it() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert extras["aws"] == ["boto3>=1.28,<2"]
    assert "boto3>=1.28,<2" in extras["test"] and any(r.startswith("moto[server]") for r in extras["test"])


def _install_lines(text: str) -> list[str]:
    return re.findall(r"pip install [^\n'`]*cloudfront-policykit[^\n'`]*", text)


def test_ci_examples_install_exactly_what_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [readme_line] = [line for line in _install_lines(readme) if "git+" in line]
    github = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in github["jobs"]["policykit"]["steps"]] + gitlab["policykit"]["script"]
    installs = [run for run in runs if "pip install" in run]
    assert installs and all(run.strip() == readme_line for run in installs)
    assert f"@v{__version__}" in readme_line  # a release tag until the index has a release
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (ROOT / "examples" / "ci" / name).read_text(encoding="utf-8")
        assert "pip install policykit" not in text


def test_the_repository_url_has_one_value_everywhere() -> None:
    url = PYPROJECT["project"]["urls"]["Repository"]
    slug = url.removeprefix("https://github.com/")
    own = re.compile(r"https://github\.com/[\w.-]+/policykit\b")
    for name in ("README.md", ".pre-commit-hooks.yaml", "action.yml", "RELEASING.md", "examples/ci/github-actions.yml",
                 "examples/ci/gitlab-ci.yml"):
        path = ROOT / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert {m.group(0) for m in own.finditer(text)} <= {url}, name
            uses = re.findall(r"uses: ([\w.-]+/policykit)@", text)
            assert set(uses) <= {slug}, name
