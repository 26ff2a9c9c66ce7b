"""A Terraform module (HCL or JSON syntax) -> one Model per file that declares a distribution."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykit.errors import InputError
from policykit.findings import Finding, Severity
from policykit.location import Location
from policykit.model.cloudfront import Distribution, Model, Problem
from policykit.model.index import TemplateIndex
from policykit.model.reader import Reader
from policykit.model.related import Certificate, LambdaFunction
from policykit.model.related_build import Declared, build_all
from policykit.model.values import Partial, Unknown
from policykit.scenarios import OtherValue, enumerate_scenarios, scenario_bound_note
from policykit.source.dupkeys import DuplicateKey
from policykit.source.json_loader import load_json
from policykit.source.nodes import MDict
from policykit.source.suppressions import Suppression, terraform_suppressions
from policykit.terraform.hcl import Block, load_tf_json, parse_hcl, read_hcl
from policykit.terraform.module import Module, Resource, Scope, parse_var_value
from policykit.terraform.scenarios import resource_inputs
from policykit.terraform.spelling import TERRAFORM, distribution

DISTRIBUTION = "aws_cloudfront_distribution"
MAX_MODULE_DEPTH = 5
MAX_INSTANCES = 50
_MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass
class _Build:
    models: dict[str, Model] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    index: TemplateIndex = field(default_factory=TemplateIndex)

    def model(self, file: str) -> Model:
        return self.models.setdefault(file, Model(file))


@dataclass
class LoadedFiles:
    """What a module's files declare, from one read of each file."""

    blocks: list[Block] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)  # `# policykit:ignore` comments
    suppression_errors: list[InputError] = field(default_factory=list)  # invalid ones, one per file at most


def load_files(files: list[Path], duplicates: dict[str, list[DuplicateKey]] | None = None) -> LoadedFiles:
    """The blocks and suppressions of a module's files; duplicate keys of JSON files go to `duplicates` by file."""
    loaded = LoadedFiles()
    for path in files:
        if path.name.lower().endswith(".tf.json"):
            found = duplicates.setdefault(str(path), []) if duplicates is not None else None
            loaded.blocks.extend(load_tf_json(path, found) or [])  # JSON has no comments: no suppressions
            continue
        text = read_hcl(path)
        loaded.blocks.extend(parse_hcl(text, str(path)))
        try:
            loaded.suppressions.extend(terraform_suppressions(text, str(path)))
        except InputError as exc:  # reported, and the module's findings still are
            loaded.suppression_errors.append(exc)
    return loaded


def module_models(directory: Path, blocks: list[Block], variables: dict[str, Any], anchor: str) -> list[Model]:
    """Models of a root module; `anchor` names the input when no file declares a distribution."""
    build = _Build()
    _add_module(build, Module(directory, blocks, variables), 0)
    for model in build.models.values():
        model.resources = build.index.objects
    models: list[Model] = list(build.models.values())
    if not models:
        models = [Model(anchor, resources=build.index.objects)]
    first = models[0]
    first.problems.extend(build.problems)  # problems carry their own file in their location
    first.notes.extend(build.notes)
    return models


def _add_module(build: _Build, module: Module, depth: int) -> None:
    scope = Scope(module)
    declared: list[Declared] = []
    regions: dict[str, Resource] = {}
    for address, resource in module.resources.items():
        full = f"{module.prefix}{address}"
        build.index.types[full] = resource.type
        if resource.type == "aws_lambda_function":
            publish = scope.resolve(resource.body.get("publish", False))
            build.index.published[full] = publish if isinstance(publish, (bool, Unknown)) else Unknown(
                "publish is not known")
        if resource.type not in TERRAFORM.spelling.related:
            continue
        body = scope.resolve(resource.body)
        if isinstance(body, MDict):
            loc = Location(resource.file, resource.block.mark.line, resource.block.mark.column)
            declared.append(Declared(full, resource.type, body, Reader(resource.file, full, build.problems), loc))
            regions[full] = resource
    for obj in build_all(TERRAFORM, declared, build.index.objects):
        if isinstance(obj, (LambdaFunction, Certificate)):
            obj.region = _provider_region(module, scope, regions[obj.resource])
    for block in module.blocks:
        if block.type == "module" and block.labels:
            _call_module(build, module, scope, block, depth)
    for resource in module.declared:
        if resource.type == DISTRIBUTION:
            _add_distributions(build, scope, resource)


def _provider_region(module: Module, scope: Scope, resource: Resource) -> Any:
    """The Region of the provider configuration a resource uses (`provider = aws.us_east_1`); None if not known."""
    wanted = resource.body.get("provider")
    alias = str(wanted).removeprefix("${").removesuffix("}").partition(".")[2] if isinstance(wanted, str) else ""
    for block in module.blocks:
        if block.type == "provider" and block.labels[:1] == ("aws",):
            block_alias = scope.resolve(block.body.get("alias", ""))
            if block_alias == alias:
                region = scope.resolve(block.body.get("region"))
                return region if region is not None else None
    return None


def _instances(scope: Scope, resource: Resource) -> list[tuple[str, dict[str, Any]]]:
    """(address suffix, extra scope) per instance: count and for_each over known values expand."""
    body = resource.body
    if "count" in body:
        count = scope.resolve(body["count"])
        if isinstance(count, bool) or not isinstance(count, int):
            return [("", {"count": {"index": Unknown("count is only known at plan time")}})]
        return [(f"[{i}]" if count > 1 else "", {"count": {"index": i}}) for i in range(min(count, MAX_INSTANCES))]
    if "for_each" in body:
        each = scope.resolve(body["for_each"])
        if isinstance(each, list) and all(isinstance(k, str) for k in each):
            each = {k: k for k in each}
        if not isinstance(each, dict):
            return [("", {"each": {"key": Unknown("for_each is only known at plan time"),
                                   "value": Unknown("for_each is only known at plan time")}})]
        return [(f'["{k}"]' if len(each) > 1 else "", {"each": {"key": k, "value": v}})
                for k, v in list(each.items())[:MAX_INSTANCES]]
    return [("", {})]


def _add_distributions(build: _Build, scope: Scope, resource: Resource) -> None:
    """Each instance in each deploy-time scenario (policykit/terraform/scenarios.py); scenarios that
    resolve to the same body are one distribution standing for all of them."""
    loc = Location(resource.file, resource.block.mark.line, resource.block.mark.column)
    base = f"{resource.prefix}{resource.type}.{resource.name}"
    inputs = resource_inputs(scope.module, resource.body)
    enumeration = enumerate_scenarios(inputs)
    if enumeration.alone or enumeration.unknown:
        build.notes.append(scenario_bound_note(resource.file, base, loc, enumeration))
    unknown = {item.name: OtherValue(f"{item.name} is not enumerated (too many deploy-time choices)",
                                     name=item.name) for item in enumeration.unknown}
    built: dict[tuple[str, str], Distribution] = {}
    for scenario in enumeration.scenarios:
        choices = {**unknown, **scenario.values()}
        here = scope.with_variables({k.removeprefix("var."): v for k, v in choices.items()}) if choices else scope
        for suffix, extra in _instances(here, resource):
            address = f"{base}{suffix}"
            body = here.child(extra).resolve(resource.body) if extra else here.resolve(resource.body)
            if not isinstance(body, MDict):
                continue
            key = (address, repr(body))
            if key not in built:
                read = Reader(resource.file, address, build.problems, address)
                built[key] = distribution(read, body, address, loc, build.index)
                built[key].scenario, built[key].scenarios = scenario.label, ()
                build.model(resource.file).distributions.append(built[key])
            built[key].scenarios += (scenario.choices,)
    if not built and "count" in resource.body:
        names = ", ".join(item.name for item in inputs)
        build.model(resource.file).never_deployed.append(
            (base, f"its count is 0 for every value of {names}" if names else "its count is 0"))


def _call_module(build: _Build, parent: Module, scope: Scope, block: Block, depth: int) -> None:
    name = block.labels[0]
    source = scope.resolve(block.body.get("source"))
    where = Location(block.file, block.mark.line, block.mark.column)
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        build.notes.append(_note(where, f"module.{name}",
                                 f"module.{name} comes from '{source}', which is not followed: distributions it "
                                 "declares are not checked (scan its source, or a plan JSON, to check them)"))
        return
    directory = (parent.directory / source).resolve()
    if depth >= MAX_MODULE_DEPTH or not directory.is_dir():
        build.notes.append(_note(where, f"module.{name}", f"module.{name}: {source} is not a directory here"
                                 if depth < MAX_MODULE_DEPTH else f"module.{name} is nested too deep to follow"))
        return
    files = sorted(p for p in directory.iterdir() if p.name.endswith((".tf", ".tf.json")))
    inputs = {key: scope.resolve(value) for key, value in block.body.items() if key not in _MODULE_META}
    # Only the root module's suppressions count (a called module's are its own authors' business).
    child = Module(directory, load_files(files).blocks, inputs, prefix=f"{parent.prefix}module.{name}.")
    _add_module(build, child, depth + 1)


def _note(where: Location, resource: str, message: str) -> Finding:
    """A visible info finding: what the scan did not check must be said, not hidden behind --show-unknown."""
    return Finding(policy_id="PK005", title="Terraform module not followed", severity=Severity.INFO,
                   message=message, location=where, resource=resource)


def variable_values(directory: Path, var_files: tuple[Path, ...], cli_vars: dict[str, str],
                    duplicates: dict[str, list[DuplicateKey]] | None = None) -> dict[str, Any]:
    """terraform.tfvars, *.auto.tfvars(.json), --var-file, --var: later ones win (Terraform's order).

    Duplicate keys of `.tfvars.json` files go to `duplicates`, by file."""
    found: list[Path] = []
    for pattern in ("terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json"):
        found.extend(sorted(directory.glob(pattern)))
    values: dict[str, Any] = {}
    for path in [*found, *var_files]:
        values.update(read_var_file(path, duplicates.setdefault(str(path), []) if duplicates is not None else None))
    values.update({key: parse_var_value(value) for key, value in cli_vars.items()})
    return values


def read_var_file(path: Path, duplicates: list[DuplicateKey] | None = None) -> dict[str, Any]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(file, f"cannot read the variables file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(file, "the variables file is not UTF-8 text") from None
    if path.name.endswith(".json"):
        data = load_json(text, file, duplicates)
        if not isinstance(data, dict):
            raise InputError(file, "a .tfvars.json file must hold an object", 1, 1)
        return dict(data)
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        options = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True, preserve_heredocs=False)
        data = hcl2.loads(text, serialization_options=options)
    except UnexpectedInput as exc:
        raise InputError(file, "invalid HCL in variables file", getattr(exc, "line", 0),
                         getattr(exc, "column", 0)) from None
    except (LarkError, ValueError) as exc:
        raise InputError(file, f"invalid HCL in variables file: {str(exc)[:100]}") from None
    return {k: v for k, v in data.items() if not k.startswith("__")}


def known_or_partial(value: Any) -> bool:
    return isinstance(value, (Unknown, Partial))
