"""Evaluate policies over the model: three-valued, so an unknown value never makes an error finding."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from policykit.core.builtins import INTERNAL_ERROR, WRONG_TYPE
from policykit.core.location import Location
from policykit.core.patterns import lazy_pattern
from policykit.core.truth import Truth, all_true, any_true, negate
from policykit.core.values import Partial, Unknown
from policykit.facts import FACTS
from policykit.facts.associated_functions import function_settings
from policykit.facts.settings import origin_settings
from policykit.facts.tls import origin_names
from policykit.findings import EvidenceValue, Finding, Severity, builtin_finding, with_scenario
from policykit.model.base import ModelObject
from policykit.model.cloudfront import Distribution, Model
from policykit.model.subjects import EDGE_KINDS, Subjects
from policykit.policy.model import Check, Policy
from policykit.policy.operators import OPERATORS, RUNS_ON_UNKNOWN
from policykit.scenarios import Describer, Scenario

# Which objects a policy's `applies_to` walks, from each distribution and what later stages produced about it.
Walker = Callable[[Distribution, Subjects], Iterable[ModelObject]]
OBJECTS: dict[str, Walker] = {
    "distribution": lambda d, _: [d],
    "origin": lambda d, _: d.origins,
    "origin_group": lambda d, _: d.origin_groups,
    "behavior": lambda d, _: d.behaviors,
    "alias": lambda d, _: d.aliases,
    "viewer_certificate": lambda d, _: [d.viewer_certificate] if d.viewer_certificate else [],
    "lambda_association": lambda d, _: [a for b in d.behaviors for a in b.lambda_associations],
    "function_association": lambda d, _: [a for b in d.behaviors for a in b.function_associations],
    "custom_header": lambda d, _: [h for o in d.origins for h in o.custom_headers],
    # only `scan --live` and `policykit probe` make these (policykit.probes): without them live policies never fire
    "live_origin": lambda d, s: s.live_origins.get(d, ()),
    "live_name": lambda d, s: [n for o in s.live_origins.get(d, ()) for n in o.names],
    # derived objects: one per place a finding can point at (policykit/model/derived.py)
    "origin_name": lambda d, _: origin_names(d),
    "origin_setting": lambda d, _: origin_settings(d),
    "function_setting": lambda d, _: function_settings(d),
}


def _edge_objects(kind: str) -> Walker:
    """Function results (policykit/model/function_runs.py): only `scan --edge` and `policykit edge` make them."""
    return lambda d, s: [o for run in s.edge_runs.get(d, ()) for o in run.objects(kind)]


OBJECTS.update({kind: _edge_objects(kind) for kind in EDGE_KINDS})

_PLACEHOLDER = lazy_pattern(r"\{([a-z_][a-z0-9_.]*)\}")


class PolicyRuntimeError(Exception):
    """A policy names a field no model object has."""


def lookup(obj: object, path: str) -> object:
    """Follow a dotted path of fields and facts from `obj`; None when something along it is absent."""
    value = obj
    for step in path.split("."):
        if value is None or isinstance(value, (Unknown, Partial)):
            return value
        if isinstance(value, ModelObject) and (fact := FACTS.get(value.kind, {}).get(step)) is not None:
            value = fact(value)
        elif isinstance(value, dict):
            value = value.get(step)
        elif hasattr(value, step):
            value = getattr(value, step)
        else:
            raise PolicyRuntimeError(f"{getattr(value, 'kind', type(value).__name__)} has no field '{step}'")
    return value


def _unknown(value: object, path: str) -> Unknown:
    """Why a check could not be made, in the words of the value's reason (a "not checked" note is read by people
    who never wrote the policy: no fact name in it); the path's last step in words when there is no reason."""
    reason = getattr(value, "reason", "")
    return Unknown(reason or f"the {path.rsplit('.', 1)[-1].replace('_', ' ')} is not known")


def compile_condition(node: dict[str, Any]) -> Check:
    """Turn a condition mapping (already schema-valid) into a closure, once."""
    if "all" in node or "any" in node:
        parts = [compile_condition(c) for c in node.get("all") or node["any"]]
        if "all" in node:
            return lambda obj: all_true(part(obj) for part in parts)
        return lambda obj: any_true(part(obj) for part in parts)
    if "not" in node:
        inner = compile_condition(node["not"])
        return lambda obj: negate(inner(obj))
    for quantifier in ("any_item", "all_items"):
        if quantifier in node:
            return _compile_items(node[quantifier]["of"], compile_condition(node[quantifier]["where"]),
                                  quantifier == "any_item")
    path = node["fact"]
    (op_name, argument), = ((k, v) for k, v in node.items() if k != "fact")
    operator = OPERATORS[op_name]
    tolerant = op_name in RUNS_ON_UNKNOWN

    def check(obj: object) -> Truth:
        value = lookup(obj, path)
        if not tolerant and isinstance(value, (Unknown, Partial)):
            return _unknown(value, path)
        result = operator(value, argument)
        return _unknown(value, path) if isinstance(result, Unknown) else result

    return check


def _compile_items(path: str, where: Check, any_item: bool) -> Check:
    """any_item / all_items: over a list that may hold more, only a known item can decide."""

    def check(obj: object) -> Truth:
        items = lookup(obj, path)
        if isinstance(items, (Unknown, Partial)):
            return _unknown(items, path)
        more = getattr(items, "more", None)
        if more is not None:
            more = _unknown(more, path)
        # a list, or a MaybeMore (the loader checks that `of` names one); a value absent is no item
        each = cast("Iterable[object]", items or [])
        if any_item:
            return any_true((where(item) for item in each), more=more)
        return all_true((where(item) for item in each), more=more)

    return check


def display(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, Unknown):  # name the reference when there is one: `Fn.Arn` says more than "unknown"
        return value.name or (str(value.ref) if value.ref else "(unknown)")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v) for v in value) or "(none)"
    if hasattr(value, "label") and hasattr(value, "kind"):
        return str(value.label)
    return str(value)


def render(template: str, obj: object) -> str:
    """Fill `{field.path}` placeholders from the object; unknown names are left as written."""
    def fill(match: re.Match[str]) -> str:
        try:
            return display(lookup(obj, match.group(1)))
        except PolicyRuntimeError:
            return match.group(0)
    return _PLACEHOLDER().sub(fill, template.strip())


def render_evidence(template: str, obj: object) -> EvidenceValue:
    """Evidence: a template that is one placeholder of a list, number or data fact keeps its structure
    (JSON reports carry lists and objects, not flattened strings); anything else is text."""
    match = _PLACEHOLDER().fullmatch(template.strip())
    if match:
        try:
            value = lookup(obj, match.group(1))
        except PolicyRuntimeError:
            return template.strip()
        if isinstance(value, (list, dict, int, float)) and not isinstance(value, bool):
            return _plain(value)
    return render(template, obj)


def _plain(value: object) -> EvidenceValue:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return display(value)


def locate(obj: ModelObject, at: str) -> Location:
    """The location of the field `at` (a dotted path) of `obj`, or of the nearest object that has one."""
    if not at:
        return obj.loc
    *parents, last = at.split(".")
    holder = lookup(obj, ".".join(parents)) if parents else obj
    if not isinstance(holder, ModelObject):
        return obj.loc
    location = holder.location_of(last)
    return location if location.line or not obj.loc.line else obj.loc


class Walk:
    """The objects one run of the engine walks: each kind of each distribution derived once in the run (so the
    facts cached on them are reused by every policy), never stored on the model."""

    def __init__(self, subjects: Subjects) -> None:
        self.subjects = subjects
        self._derived: dict[tuple[Distribution, str], list[ModelObject]] = {}

    def objects(self, dist: Distribution, kind: str) -> list[ModelObject]:
        key = (dist, kind)
        if key not in self._derived:
            self._derived[key] = list(OBJECTS[kind](dist, self.subjects))
        return self._derived[key]


def evaluate(policy: Policy, dist: Distribution, walk: Walk) -> Iterable[Finding]:
    for obj in walk.objects(dist, policy.applies_to):
        truth = policy.check(obj)
        if truth is False:
            continue
        base = Finding(policy_id=policy.id, title=policy.title, severity=policy.severity, message="",
                       location=locate(obj, policy.at), resource=obj.resource or dist.resource,
                       distribution=dist.resource, subject=display(obj), help_uri=policy.help_uri)
        if isinstance(truth, Unknown):
            yield dataclasses.replace(base, severity=Severity.INFO, unknown=True,
                                      message=f"{policy.title}: not checked for {display(obj)}: {truth.reason}")
            continue
        severity = next((s for s, c in policy.severity_when if c(obj) is True), policy.severity)
        # evidence that says nothing here (an empty note or list) is left out
        evidence = tuple((k, e) for k, v in policy.evidence.items() if (e := render_evidence(v, obj)) not in ("", []))
        yield dataclasses.replace(base, severity=severity, message=render(policy.message, obj),
                                  fix=render(policy.fix, obj), evidence=evidence)


# What one run of the engine tells about each policy: (objects of its kind it checked, seconds it took).
Runs = dict[str, tuple[int, float]]


def run(policies: list[Policy], model: Model, subjects: Subjects | None = None,
        runs: Runs | None = None) -> tuple[list[Finding], list[str]]:
    """All findings of all policies over a model and the subjects later stages produced about it (none for a plain
    scan); a policy that fails is reported, the rest go on. `runs`, when given, gets each policy's objects and time
    added (JUnit: a policy that checked no object did not apply).

    Distribution by distribution, the policies grouped by the kind of object they apply to: each kind's objects
    are derived once (`Walk`), and a kind a distribution has none of (live results in a plain scan, edge
    results, tenants) costs one look, not one pass per policy. Findings come out policy by policy, as before."""
    walk = Walk(subjects or Subjects())
    found: list[list[Finding]] = [[] for _ in policies]
    failed: dict[int, str] = {}  # policy index -> why it stopped (a policy that names no field stops everywhere)
    seconds = [0.0] * len(policies)
    by_resource: dict[str, list[Distribution]] = {}
    for dist in model.distributions:
        by_resource.setdefault(dist.resource, []).append(dist)
    describers = {resource: Describer([Scenario(c) for d in variants for c in d.scenarios])
                  for resource, variants in by_resource.items() if len(variants) > 1 or len(variants[0].scenarios) > 1}
    by_kind: dict[str, list[int]] = {}
    for index, policy in enumerate(policies):
        by_kind.setdefault(policy.applies_to, []).append(index)
    timed = runs is not None
    for resource, variants in by_resource.items():
        describer = describers.get(resource)
        for kind, indexes in by_kind.items():
            if _none_of(walk, variants, kind):
                continue
            for index in indexes:
                if index in failed:
                    continue
                policy = policies[index]
                started = time.perf_counter() if timed else 0.0
                try:
                    found[index].extend(_merge_scenarios(policy, variants, walk, describer))
                except PolicyRuntimeError as exc:
                    failed[index] = f"policy {policy.id} ({policy.source}): {exc}"
                except Exception as exc:  # a bug in a policy or a fact: said, and the other policies still run
                    found[index].append(_internal_error(policy, variants[0], exc))
                if timed:
                    seconds[index] += time.perf_counter() - started
    if runs is not None:
        checked: dict[str, int] = {}
        for index, policy in enumerate(policies):
            if policy.applies_to not in checked:
                checked[policy.applies_to] = _checked(walk, policy.applies_to, by_resource)
            objects, spent = runs.get(policy.id, (0, 0.0))
            runs[policy.id] = (objects + checked[policy.applies_to], spent + seconds[index])
    findings = [finding for each in found for finding in each]
    findings.extend(_problem_findings(model))
    return findings, [failed[index] for index in sorted(failed)]


def _none_of(walk: Walk, variants: list[Distribution], kind: str) -> bool:
    """True when no variant of a distribution has an object of `kind` (so no policy on that kind can find
    anything there); False when some has, or when deriving them fails (each policy then reports it, as before)."""
    try:
        return not any(walk.objects(dist, kind) for dist in variants)
    except Exception:  # the policies' own pass says what failed
        return False


def _checked(walk: Walk, kind: str, by_resource: dict[str, list[Distribution]]) -> int:
    """The objects of `kind` a policy checked: per distribution, those of its largest scenario (a scenario's
    objects are the same places as another's, not more of them)."""
    total = 0
    for variants in by_resource.values():
        try:
            total += max(len(walk.objects(dist, kind)) for dist in variants)
        except Exception:  # a walker that fails made the policy fail too, which says so: it checked nothing here
            continue
    return total


def _merge_scenarios(policy: Policy, variants: list[Distribution], walk: Walk,
                     describer: Describer | None = None) -> list[Finding]:
    """One finding per place across the scenarios of a distribution; one that holds only in some says
    which in deploy terms ("when Env=prod"). Where scenarios word it differently, the first (the
    defaults) is the message and the others are evidence, so the finding and its fingerprint stay one."""
    if len(variants) == 1 and len(variants[0].scenarios) == 1:
        # one configuration in one scenario (most distributions): every finding holds in every scenario, so
        # merging would hand each back as it is; nothing to pair, nothing to describe
        return list(evaluate(policy, variants[0], walk))
    groups: dict[tuple[object, ...], list[tuple[Finding, Scenario]]] = {}
    for dist in variants:
        scenarios = [Scenario(choices) for choices in dist.scenarios]
        seen: dict[tuple[object, ...], int] = {}
        for finding in evaluate(policy, dist, walk):
            place = (finding.location, finding.subject, finding.severity, finding.unknown)
            seen[place] = seen.get(place, 0) + 1  # the n-th such finding of one scenario pairs with the n-th
            groups.setdefault((*place, seen[place]), []).extend((finding, s) for s in scenarios)
    if describer is None:
        describer = Describer([Scenario(choices) for d in variants for choices in d.scenarios])
    out = []
    for entries in groups.values():
        finding = entries[0][0]
        by_message: dict[str, list[Scenario]] = {}
        for each, scenario in entries:
            by_message.setdefault(each.message, []).append(scenario)
        variants_said = tuple((describer.describe(scenarios) or "in every scenario", message)
                              for message, scenarios in list(by_message.items())[1:])
        label = describer.describe([s for _, s in entries])
        if label or variants_said:
            message = with_scenario(finding.message, label) if label else finding.message
            finding = dataclasses.replace(finding, scenario=label, message=message,
                                          evidence=(*finding.evidence, *variants_said))
        out.append(finding)
    return out


def _internal_error(policy: Policy, dist: Distribution, exc: Exception) -> Finding:
    """PK007: the policy (or a fact it reads) raised on this distribution; the scan exits 3 after the report."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return builtin_finding(INTERNAL_ERROR,
                   message=f"internal error in policy {policy.id} ({Path(policy.source).name}) on "
                           f"{dist.label}: {detail}; the other policies still ran (please report this)",
                   location=dist.loc, resource=dist.resource, distribution=dist.resource, subject=policy.id,
                   fix="This is a bug in policykit or in the policy's fact: report it with the template if you can.")


def _problem_findings(model: Model) -> list[Finding]:
    unique = {(p.message, p.location): p for p in model.problems}
    return [
        builtin_finding(WRONG_TYPE,
                message=f"{p.message}: CloudFormation/Terraform cannot deploy this, and policykit cannot check it",
                location=p.location, resource=p.resource, distribution=p.distribution,
                fix="Write the property with the type the resource specification gives.")
        for p in unique.values()
    ]
