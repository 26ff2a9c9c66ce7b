"""The floor plan reads as the pipeline: the dependency rule, no import circles, small modules, one home for
the built-in ids, few `Any`. Read from the package's imports with `ast` (TYPE_CHECKING and function-local
imports included: a lazy import is still a dependency).

    cli -> api -> {source, cfn, terraform, serverless, probes, edge, aws, policy, filters, reporters, config}
        -> facts -> model -> core

`findings` (what a scan produces) and `scenarios` (deploy-time choices) sit below the stages and above core;
`source` (the loaders) is the one stage the others may use; reporters read findings and core only.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "policykit"

# What each area may import (besides itself and the package's face, `policykit`, which holds the version).
STAGE_BASE = {"findings", "facts", "model", "core"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "model": {"core"},
    "facts": {"model", "core"},
    "findings": {"core"},
    "scenarios": {"findings", "core"},
    "source": {"findings", "core"},
    "cfn": {"source", "scenarios", *STAGE_BASE},
    "terraform": {"source", "scenarios", *STAGE_BASE},
    "serverless": {"source", "scenarios", *STAGE_BASE},
    "probes": STAGE_BASE,
    "edge": {"source", *STAGE_BASE},
    "aws": {"source", *STAGE_BASE},
    "policy": {"source", "scenarios", *STAGE_BASE},
    "filters": {"source", "findings", "core"},
    "reporters": {"findings", "core"},
    "config": {"source", "filters", "findings", "core"},
    "api": {"source", "cfn", "terraform", "serverless", "probes", "edge", "aws", "policy", "filters", "reporters",
            "config", "scenarios", *STAGE_BASE},
    "cli": {"api", "source", "cfn", "terraform", "serverless", "probes", "edge", "aws", "policy", "filters",
            "reporters", "config", "scenarios", *STAGE_BASE},
    "main": {"cli"},
}
# (importer, imported) pairs that break the rule on purpose, each with why. The catalog tester runs a scan
# of each fixture (`policykit policies test`), so it drives the library as the CLI does, lazily.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("policykit.policy.testing", "policykit.api"): "the catalog tester scans each fixture as the CLI would",
}
MAX_LINES = 400
ANY_BUDGET = 38  # `python scripts/count_any.py`: 472 before the renovation, whose target was under 300


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def area(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "face"
    if parts[1] in ("api", "inputs", "options", "outlines"):
        return "api"
    if parts[1] == "__main__":
        return "main"
    if parts[1] in ("suppress", "baseline", "selection"):  # today's homes of the filters
        return "filters"
    return parts[1]


def _modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, name: str, known: dict[str, Path]) -> Iterator[str]:
    """The policykit modules `path` imports anywhere in it (a `from x import y` of a submodule names y)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "policykit")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "policykit":
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in known else target


def graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: set(imports(path, name, known)) - {name} for name, path in known.items()}


def broken_rules(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    out = set()
    for source, targets in edges.items():
        for target in targets:
            here, there = area(source), area(target)
            if there in ("face", here) or there in ALLOWED[here]:
                continue
            out.add((source, target))
    return out


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_every_module_has_an_area_with_a_rule() -> None:
    unknown = sorted({area(name) for name in _modules()} - {*ALLOWED, "face"})
    assert unknown == [], f"areas with no dependency rule: {unknown} (add them to ALLOWED)"


def test_no_import_circle() -> None:
    found = circles(graph())
    assert found == [], "import circles:\n" + "\n".join(" <-> ".join(group) for group in found)


def test_the_dependency_rule_holds() -> None:
    broken = broken_rules(graph()) - set(EXCEPTIONS)
    assert broken == set(), "imports that break the layer rule (see this module's docstring):\n" + "\n".join(
        f"  {a} ({area(a)}) imports {b} ({area(b)}); {area(a)} may import {sorted(ALLOWED[area(a)])}"
        for a, b in sorted(broken))


def test_no_module_is_over_the_size_limit() -> None:
    large = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    over = {name: lines for name, lines in large.items() if lines > MAX_LINES}
    assert over == {}, f"modules over {MAX_LINES} lines: split them by job"


def test_any_stays_within_budget() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from count_any import count_tree
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    total = sum(count_tree(PACKAGE).values())
    assert total <= ANY_BUDGET, f"{total} uses of Any (budget {ANY_BUDGET}): give the value a type that says what it is"


def test_the_rule_test_sees_a_break() -> None:
    """The checks above can fail: a made-up model module importing a probe is a break, and a pair is a circle."""
    edges = {"policykit.model.x": {"policykit.probes.y"}, "policykit.probes.y": {"policykit.model.x"}}
    assert broken_rules(edges) == {("policykit.model.x", "policykit.probes.y")}
    assert circles(edges) == [["policykit.model.x", "policykit.probes.y"]]



def test_builtin_ids_are_spelled_in_one_module() -> None:
    """PK002-PK010 are named by the constants of core/builtins.py everywhere else (selection, SARIF rules,
    suppression bookkeeping read the one table)."""
    spelled = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in {f"PK0{n:02d}" for n in range(2, 11)}:
                spelled.setdefault(str(path.relative_to(PACKAGE)), []).append(node.value)
    assert list(spelled) == ["core/builtins.py"], spelled
