"""Mutation testing of the verdict logic: mutmut over one module at a time, against the unit tests that cover it.

Usage (from the repository root, with the `mutation` extra installed):
    python scripts/mutation.py policykit/core/truth.py     # one module (or several)
    python scripts/mutation.py --all                       # every module of [tool.policykit-mutation.tests]
    python scripts/mutation.py --report                    # the score table of the last runs
    python scripts/mutation.py --show policykit/core/truth.py   # the diff of each survivor of a module

pyproject.toml holds the configuration: [tool.mutmut] what every run shares, [tool.policykit-mutation.tests]
each module with the fast unit tests that cover it. mutmut reads its configuration from the pyproject.toml of
the directory it runs in, so each module runs in its own scratch directory, build/mutation/<module>/ (links to
the sources, the tests and what they read, and a pyproject.toml written for that module): its results stay
there between runs. Each run starts afresh unless --keep (then mutmut re-tests only the functions that changed,
not the survivors a new test may now kill). docs/mutation.md lists the mutants that are equivalent (the same
behaviour; not counted) with one line why each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
EQUIVALENTS = ROOT / "docs" / "mutation.md"
LINKED = ("policykit", "tests", "policies", "examples", "README.md")  # what the tests read
# A mutant's status as mutmut names it (mutmut.stats): a test run that timed out killed it too.
KILLED, SURVIVED = {"killed", "timeout"}, {"survived"}
NO_TESTS = {"no tests"}  # no test of the selection runs the mutated function


def load_pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def modules_and_tests() -> dict[str, list[str]]:
    tests: dict[str, list[str]] = load_pyproject()["tool"]["policykit-mutation"]["tests"]
    return tests


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def toml_value(value: object) -> str:
    return json.dumps(value)  # strings, lists of strings, numbers and booleans are the same in JSON and TOML


def write_workdir(module: str, tests: list[str]) -> Path:
    """The scratch directory mutmut runs in for `module`: links to the sources and a pyproject.toml of its own."""
    work = WORK / slug(module)
    work.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = work / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=(ROOT / name).is_dir())
    pyproject = load_pyproject()
    settings = dict(pyproject["tool"]["mutmut"], only_mutate=[module], pytest_add_cli_args_test_selection=tests)
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in pyproject["tool"]["pytest"]["ini_options"].items()]
    lines += ["", "[tool.mutmut]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    text = "\n".join(lines) + "\n"
    target = work / "pyproject.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return work


def run_module(module: str, tests: list[str], jobs: int, keep: bool) -> float:
    missing = [test for test in tests if not (ROOT / test).exists()]
    if missing:
        print(f"   not found, left out: {' '.join(missing)}")
    tests = [test for test in tests if test not in missing]
    if not keep:
        # mutmut re-tests only the functions that changed: a new test would not be tried on an old survivor
        shutil.rmtree(WORK / slug(module) / "mutants", ignore_errors=True)
    work = write_workdir(module, tests)
    start = time.monotonic()
    print(f"== {module}: {' '.join(tests)}", flush=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    (work / "mutmut.log").write_text(done.stdout, encoding="utf-8")
    if done.returncode:
        print(done.stdout[-3000:])
        print(f"mutmut failed on {module} (exit {done.returncode}); its log: {work / 'mutmut.log'}")
    return time.monotonic() - start


def statuses(module: str) -> dict[str, str]:
    """Each mutant of the module's last run and its status: killed, survived, no tests, timeout..."""
    from mutmut.stats import status_by_exit_code  # the mutation extra: only where runs are read

    meta = WORK / slug(module) / "mutants" / (module + ".meta")
    if not meta.is_file():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in codes.items()}


def equivalents() -> dict[str, str]:
    """The mutants docs/mutation.md lists as equivalent: `- \\`name\\`: why` lines."""
    text = EQUIVALENTS.read_text(encoding="utf-8") if EQUIVALENTS.is_file() else ""
    found = re.findall(r"^- `([\w.]+__mutmut_\d+)`: (.+)$", text, re.MULTILINE)
    return dict(found)


def score_rows(modules: list[str]) -> list[tuple[str, int, int, int, int]]:
    """(module, killed, survived, not covered, equivalent) per module. A mutant no selected test runs is a
    survivor too (counted apart, to say which tests are missing): nothing would catch that bug."""
    listed = equivalents()
    rows = []
    for module in modules:
        found = statuses(module)
        equivalent = sum(1 for name, status in found.items() if name in listed and status in SURVIVED | NO_TESTS)
        killed = sum(1 for status in found.values() if status in KILLED)
        survived = sum(1 for name, status in found.items() if status in SURVIVED and name not in listed)
        uncovered = sum(1 for name, status in found.items() if status in NO_TESTS and name not in listed)
        rows.append((module, killed, survived, uncovered, equivalent))
    return rows


def report(modules: list[str]) -> int:
    """The score table; exit 1 when a module that ran scores below 85%."""
    print("| module | killed | survived | not covered | equivalent | score |")
    print("|---|---:|---:|---:|---:|---:|")
    below = 0
    for module, killed, survived, uncovered, equivalent in score_rows(modules):
        tried = killed + survived + uncovered
        score = f"{100 * killed / tried:.0f}%" if tried else "not run"
        below += tried > 0 and killed / tried < 0.85
        print(f"| {module} | {killed} | {survived} | {uncovered} | {equivalent} | {score} |")
    return 1 if below else 0


def survivors(module: str) -> list[str]:
    listed = equivalents()
    return sorted(name for name, status in statuses(module).items() if status in SURVIVED | NO_TESTS
                  and name not in listed)


def show(module: str) -> None:
    work = WORK / slug(module)
    for name in survivors(module):
        done = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, capture_output=True, text=True)
        print(done.stdout)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules of [tool.policykit-mutation.tests] (paths)")
    parser.add_argument("--all", action="store_true", help="every module")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the last run's results: re-test only the functions that changed since")
    parser.add_argument("--report", action="store_true", help="only print the scores of the last runs")
    parser.add_argument("--show", action="store_true", help="print the diff of each survivor of the modules")
    args = parser.parse_args(argv)
    table = modules_and_tests()
    modules = list(table) if args.all or (args.report and not args.modules) else args.modules
    unknown = [m for m in modules if m not in table]
    if unknown or not modules:
        parser.error(f"not in [tool.policykit-mutation.tests]: {', '.join(unknown) or 'no module given'}")
    if args.show:
        for module in modules:
            show(module)
        return 0
    if not args.report:
        for module in modules:
            seconds = run_module(module, table[module], args.jobs, args.keep)
            print(f"   {seconds:.0f} s", flush=True)
    return report(modules)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
