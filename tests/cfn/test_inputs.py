"""The deploy-time inputs of a resource and the condition-idle pass (policykit/cfn/inputs.py): each `Fn::If` is
simplified once, so nested `Fn::If`s cost their size, not two walks per level."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykit.cfn import inputs
from policykit.cfn.inputs import without_idle_ifs
from policykit.core.nodes import MDict, MList, Node
from tests.helpers import ROOT
from tests.templates import cfn_distribution, cfn_template

_PARAMETERS = "  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"
_CONDITION = "Conditions:\n  C: !Equals [!Ref Env, prod]\n"


def _if(condition: str, then: Node, otherwise: Node) -> MDict:
    node, arg = MDict(), MList()
    for item in (condition, then, otherwise):
        arg.add(item, arg.mark)
    node.set("Fn::If", arg, node.mark, node.mark)
    return node


def _nested(depth: int, otherwise: str = "other.example.com") -> Node:
    """`!If [C, !If [C, ... origin.example.com ..., x], x]`, `depth` deep."""
    node: Node = "origin.example.com"
    for _ in range(depth):
        node = _if("C", node, otherwise)
    return node


def _with_condition(template: str) -> str:
    return template.replace("Resources:\n", _CONDITION + "Resources:\n", 1)


def test_200_nested_ifs_are_simplified_once_each() -> None:
    """Walked twice per level (once for the comparison, once more inside the mapping), 200 levels were 2^200
    walks; each is simplified once."""
    started = time.perf_counter()
    chosen = _nested(200)
    assert without_idle_ifs(chosen) is chosen  # every level chooses: nothing to drop
    idle = _nested(200, otherwise="origin.example.com")
    assert without_idle_ifs(idle) == "origin.example.com"  # every level idle: the value itself
    assert time.perf_counter() - started < 5


def test_a_node_shared_by_many_ifs_is_simplified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node YAML aliases share is one node: 60 levels that each hold the one below twice are 61 nodes."""
    node: Node = "origin.example.com"
    for _ in range(60):
        holder = MList()
        holder.add(node, holder.mark)
        node = _if("C", node, holder)
    seen: list[int] = []
    original = inputs._IdleIfs._if

    def counted(self: inputs._IdleIfs, item: MDict) -> Node:
        seen.append(id(item))
        return original(self, item)

    monkeypatch.setattr(inputs._IdleIfs, "_if", counted)
    assert without_idle_ifs(node) is node
    assert len(seen) == len(set(seen)) == 60


def _scan(tmp_path: Path, text: str) -> tuple[int, str, float]:
    template = tmp_path / "t.yaml"
    template.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policykit", "scan", "--no-config", str(template)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - started


def _nested_text(depth: int) -> str:
    text = "origin.example.com"
    for _ in range(depth):
        text = f"!If [C, {text}, b.example.com]"
    return text


def test_26_nested_ifs_on_one_condition_scan_in_seconds(tmp_path: Path) -> None:
    """26 nested `!If` on one condition in an 892-byte template ran more than a minute."""
    text = _with_condition(cfn_template(cfn_distribution(domain=_nested_text(26)), _PARAMETERS))
    code, out, elapsed = _scan(tmp_path, text)
    assert code in (0, 1), out
    assert "1 distribution(s)" in out and elapsed < 20


def test_200_ifs_nested_as_deep_as_the_bound_allows_scan_in_seconds(tmp_path: Path) -> None:
    """Four origins, each a chain of 50 nested `!If` (the deepest YAML policykit reads is 128 levels, two per
    `!If`), scan in seconds; a chain of 200 is refused by that bound, at once, on one line."""
    origins = "".join(f"""\
          - Id: o{index}
            DomainName: {_nested_text(50)}
            CustomOriginConfig: {{OriginProtocolPolicy: https-only}}
""" for index in range(4))
    text = _with_condition(cfn_template(cfn_distribution(domain="a.example.com", origin_id="o0"), _PARAMETERS))
    head, _, rest = text.partition("        Origins:\n")
    text = head + "        Origins:\n" + origins + rest[rest.index("        DefaultCacheBehavior"):]
    assert text.count("!If") == 200
    code, out, elapsed = _scan(tmp_path, text)
    assert code in (0, 1), out
    assert "1 distribution(s)" in out and elapsed < 20
    code, out, elapsed = _scan(tmp_path, _with_condition(cfn_template(cfn_distribution(domain=_nested_text(200)),
                                                                      _PARAMETERS)))
    assert code == 2 and "nested deeper than 128 levels" in out and elapsed < 20
