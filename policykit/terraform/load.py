"""A Terraform module (HCL or JSON syntax) -> one Model per file that declares a distribution."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from policykit.core.builtins import MODULE_NOT_FOLLOWED
from policykit.core.errors import InputError
from policykit.core.location import Location
from policykit.core.nodes import MDict
from policykit.core.values import Scalar, Unknown
from policykit.findings import Finding, Suppression, builtin_finding, not_read_finding
from policykit.model.cloudfront import Distribution, Model, Problem
from policykit.model.function_code import terraform_archive
from policykit.model.index import TemplateIndex
from policykit.model.reader import Reader
from policykit.model.related import Certificate, LambdaFunction
from policykit.model.related_build import Declared, Objects, build_all
from policykit.scenarios import OtherValue, enumerate_scenarios, scenario_bound_note
from policykit.source.dupkeys import DuplicateKey
from policykit.source.json_loader import load_json
from policykit.source.near_misses import terraform_near_misses
from policykit.source.suppressions import terraform_suppressions
from policykit.terraform.distributions import FORMATS, TERRAFORM, distributions
from policykit.terraform.hcl import Block, load_hcl_with_duplicates, load_tf_json, read_hcl
from policykit.terraform.module import Module, Resource, parse_var_value
from policykit.terraform.provider import as_sent
from policykit.terraform.scenarios import related_inputs, resource_inputs
from policykit.terraform.scope import Scope
from policykit.terraform.spelling import NOT_READ
from policykit.terraform.steps import Steps
from policykit.terraform.values import Value

_RECURSION_LIMIT = 4000


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
    near_misses: list[Finding] = field(default_factory=list)  # PK008: comments that are almost suppressions
    hcl_duplicates: list[tuple[str, DuplicateKey]] = field(default_factory=list)  # (file, argument set twice)


def load_files(files: list[Path], duplicates: dict[str, list[DuplicateKey]] | None = None) -> LoadedFiles:
    """The blocks and suppressions of a module's files; duplicate keys of JSON files go to `duplicates` by file."""
    loaded = LoadedFiles()
    for path in files:
        if path.name.lower().endswith(".tf.json"):
            found = duplicates.setdefault(str(path), []) if duplicates is not None else None
            loaded.blocks.extend(load_tf_json(path, found) or [])  # JSON has no comments: no suppressions
            continue
        text = read_hcl(path)
        blocks, twice = load_hcl_with_duplicates(path, text)
        loaded.blocks.extend(blocks)
        loaded.hcl_duplicates.extend((str(path), d) for d in twice)
        loaded.near_misses.extend(terraform_near_misses(text, str(path)))  # PK008: almost a suppression
        try:
            loaded.suppressions.extend(terraform_suppressions(text, str(path)))
        except InputError as exc:  # reported, and the module's findings still are
            loaded.suppression_errors.append(exc)
    return loaded


def module_models(directory: Path, blocks: list[Block], variables: dict[str, Value], anchor: str,
                  notes: list[Finding]) -> list[Model]:
    """Models of a root module; `anchor` names the input when no file declares a distribution."""
    build = _Build()
    steps = Steps(where=(anchor, 0))
    # Each level of references takes some 20 Python frames: MAX_DEPTH levels need more than the
    # default 1,000. The bound on depth, not the interpreter's, is what stops a deep chain.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        _add_module(build, Scope(Module(directory, blocks, variables), steps=steps))
    except RecursionError:  # a backstop: the depth bound should stop evaluation first
        raise steps.fail("expressions and references nest deeper than policykit follows") from None
    finally:
        sys.setrecursionlimit(limit)
    for model in build.models.values():
        model.resources = build.index.objects
    models: list[Model] = list(build.models.values())
    if not models:
        models = [Model(anchor, resources=build.index.objects)]
    first = models[0]
    first.problems.extend(build.problems)  # problems carry their own file in their location
    notes.extend(build.notes)
    return models


def _add_module(build: _Build, scope: Scope) -> None:
    module = scope.module
    for address, resource in module.resources.items():
        full = f"{module.prefix}{address}"
        build.index.types[full] = resource.type
        if resource.type == "aws_lambda_function":
            publish = scope.resolve_at(resource.file, resource.body.get("publish", False))
            build.index.published[full] = publish if isinstance(publish, (bool, Unknown)) else Unknown(
                "publish is not known")
    _add_related(build.index.objects, scope, build.problems)
    for name, block in module.calls.items():
        instances = scope.module_instances(name)
        if isinstance(instances, Unknown):
            where = Location(block.file, block.mark.line, block.mark.column)
            build.notes.append(_note(where, f"{module.prefix}module.{name}", _not_followed(name, instances)))
            continue
        for instance in instances:
            _add_module(build, instance.scope)
    for resource in module.declared:
        if resource.type in FORMATS:
            _add_distributions(build, scope, resource)
        elif resource.type in NOT_READ:
            where = Location(resource.file, resource.block.mark.line, resource.block.mark.column)
            address = f"{resource.prefix}{resource.type}.{resource.name}"
            build.notes.append(not_read_finding(address, resource.type, NOT_READ[resource.type], where))


def _not_followed(name: str, why: Unknown) -> str:
    if "comes from" in why.reason:
        return (f"{why.reason}: distributions it declares are not checked "
                "(scan its source, or a plan JSON, to check them)")
    return why.reason


def _add_related(objects: Objects, scope: Scope, problems: list[Problem]) -> None:
    """The module's related objects (load balancers, listeners, certificates...) resolved in `scope`."""
    module = scope.module
    declared: list[Declared] = []
    regions: dict[str, Resource] = {}
    for address, resource in module.resources.items():
        if resource.type not in TERRAFORM.spelling.related:
            continue
        full = f"{module.prefix}{address}"
        body = scope.resolve_at(resource.file, resource.body)
        if isinstance(body, MDict):
            loc = Location(resource.file, resource.block.mark.line, resource.block.mark.column)
            declared.append(Declared(full, resource.type, body, Reader(resource.file, full, problems), loc))
            regions[full] = resource
    for obj in build_all(TERRAFORM, declared, objects):
        if isinstance(obj, (LambdaFunction, Certificate)):
            obj.region = _provider_region(module, scope, regions[obj.resource])
    _link_archives(objects, scope)


def _link_archives(objects: Objects, scope: Scope) -> None:
    """A function whose `filename` is a data.archive_file's output: its code is what the archive zips."""
    module = scope.module
    archives = {f"{module.prefix}data.{address}": source for address, source in module.data.items()
                if source.type == "archive_file"}
    if not archives:
        return
    for obj in objects.values():
        if isinstance(obj, LambdaFunction) and obj.code is not None and obj.code.ref in archives:
            source = archives[obj.code.ref]
            body = scope.resolve_at(source.file, source.body)
            if isinstance(body, dict):
                obj.code = terraform_archive(body, source.file)


def _provider_region(module: Module, scope: Scope, resource: Resource) -> Scalar:
    """The Region of the provider configuration a resource uses (`provider = aws.us_east_1`); None if not known."""
    wanted = resource.body.get("provider")
    alias = str(wanted).removeprefix("${").removesuffix("}").partition(".")[2] if isinstance(wanted, str) else ""
    for block in module.blocks:
        if block.type == "provider" and block.labels[:1] == ("aws",):
            block_alias = scope.resolve_at(block.file, block.body.get("alias", ""))
            if block_alias == alias:
                region = scope.resolve_at(block.file, block.body.get("region"))
                return None if isinstance(region, (list, dict)) else region  # a Region is a string
    return None


def _add_distributions(build: _Build, scope: Scope, resource: Resource) -> None:
    """Each instance in each deploy-time scenario (policykit/terraform/scenarios.py); scenarios that
    resolve to the same body are one distribution standing for all of them."""
    loc = Location(resource.file, resource.block.mark.line, resource.block.mark.column)
    base = f"{resource.prefix}{resource.type}.{resource.name}"
    own = resource_inputs(scope.module, resource.body)
    # the resources around it (load balancers, listeners...) are resolved in each scenario of their inputs too
    related = [item for item in related_inputs(scope.module, TERRAFORM.spelling.related)
               if item.name not in {i.name for i in own}]
    inputs = [*own, *related]
    enumeration = enumerate_scenarios(inputs)
    if enumeration.alone or enumeration.unknown:
        build.notes.append(scenario_bound_note(resource.file, base, loc, enumeration))
    unknown = {item.name: OtherValue(f"{item.name} is not enumerated (too many deploy-time choices)",
                                     name=item.name) for item in enumeration.unknown}
    built: dict[tuple[str, str, tuple[str, ...]], list[Distribution]] = {}
    indexes: dict[tuple[str, ...], TemplateIndex] = {}
    for scenario in enumeration.scenarios:
        choices = {**unknown, **scenario.values()}
        here = scope.with_variables({k.removeprefix("var."): v for k, v in choices.items()}) if choices else scope
        around = tuple(repr(choices.get(item.name)) for item in related)
        if around and around not in indexes:
            indexes[around] = TemplateIndex(types=build.index.types, objects=dict(build.index.objects),
                                            published=build.index.published)
            _add_related(indexes[around].objects, here, build.problems)
        instances = here.instances(resource.body, resource.file, resource.block.mark.line)
        for suffix, extra in instances:
            address = f"{base}{suffix if len(instances) > 1 else ''}"  # one instance keeps the plain address
            body = as_sent(resource.type, (here.child(extra) if extra else here).resolve_at(resource.file,
                                                                                              resource.body))
            if not isinstance(body, MDict):
                continue
            key = (address, repr(body), around)
            if key not in built:
                read = Reader(resource.file, address, build.problems, address)
                built[key] = distributions(read, body, address, loc, indexes.get(around, build.index), resource.type)
                for variant in built[key]:
                    variant.scenario, variant.scenarios = scenario.label, ()
                build.model(resource.file).distributions.extend(built[key])
            for variant in built[key]:  # a multi-tenant distribution's tenant parameters are choices too
                variant.scenarios += (scenario.choices + variant.tenant_choices,)
    if not built and "count" in resource.body:
        names = ", ".join(item.name for item in inputs)
        build.model(resource.file).never_deployed.append(
            (base, f"its count is 0 for every value of {names}" if names else "its count is 0"))


def _note(where: Location, resource: str, message: str) -> Finding:
    """A visible info finding: what the scan did not check must be said, not hidden behind --show-unknown."""
    return builtin_finding(MODULE_NOT_FOLLOWED, message, where, resource=resource)


AUTO_VAR_FILES = (".auto.tfvars", ".auto.tfvars.json")


def variable_values(directory: Path, var_files: tuple[Path, ...], cli_vars: dict[str, str],
                    duplicates: dict[str, list[DuplicateKey]] | None = None) -> dict[str, Value]:
    """terraform.tfvars, *.auto.tfvars(.json), --var-file, --var: later ones win (Terraform's order).

    Duplicate keys of `.tfvars.json` files go to `duplicates`, by file."""
    found = [p for p in (directory / "terraform.tfvars", directory / "terraform.tfvars.json") if p.is_file()]
    # the .auto. files of both syntaxes together, in the order of their names (as Terraform lists the directory)
    found += sorted(p for p in directory.glob("*.auto.tfvars*") if p.name.endswith(AUTO_VAR_FILES))
    values: dict[str, Value] = {}
    for path in [*found, *var_files]:
        values.update(read_var_file(path, duplicates.setdefault(str(path), []) if duplicates is not None else None))
    values.update({key: parse_var_value(value) for key, value in cli_vars.items()})
    return values


def read_var_file(path: Path, duplicates: list[DuplicateKey] | None = None) -> dict[str, Value]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(file, f"cannot read the variables file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(file, "the variables file is not UTF-8 text") from None
    if path.name.endswith(".json"):
        document = load_json(text, file, duplicates)
        if not isinstance(document, dict):
            raise InputError(file, "a .tfvars.json file must hold an object", 1, 1)
        return dict(document)
    from policykit.terraform.hcl import parse_hcl_data

    data, positions = parse_hcl_data(text, file, explicit_blocks=False)
    if duplicates is not None:
        duplicates.extend(positions.duplicates)
    return {k: v for k, v in data.items() if not k.startswith("__")}
