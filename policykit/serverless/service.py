"""A Serverless Framework service file, read as the CloudFormation template the framework deploys.

`serverless.yml` / `.yaml` / `.json` (or any file with `service:` and `provider:`) is parsed with positions, its
variables resolved (policykit/serverless/resolve.py), its functions compiled as far as distributions depend on
them (policykit/serverless/functions.py, cloudfront.py) and `resources` merged over that with lodash's
`_.merge` (`resources` given as a list is merged item by item first; `resources.extensions` then sets
`Properties`, `Metadata` and `Condition` of compiled resources): packages/serverless/lib/classes/service.js
`mergeArrays`, plugins/aws/package/lib/merge-custom-provider-resources.js. The silvermine plugin's associations
come last (policykit/serverless/plugin.py). The template keeps every node's position, in the service file or in
the file it was included from, so findings point at the lines written.

A CloudFormation file with the framework's variables that is not a service (a `resources` file a service
includes, scanned on its own) is read the same way; there `${self:...}` and `${file(...)}` refer to a service
policykit does not see, so they are deploy-time inputs like the rest.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Literal

from policykit.core.nodes import NO_MARK, Mark, MDict, MList, Node
from policykit.core.record import record
from policykit.serverless.cloudfront import DISTRIBUTION_ID, Functions, cache_policies, distribution, events
from policykit.serverless.functions import Edge, function_id, function_resources, given, listed, marked, normalized
from policykit.serverless.includes import Includes
from policykit.serverless.merge import merged, merged_all
from policykit.serverless.plugin import plugin_listed, with_plugin_associations
from policykit.serverless.resolve import Variables
from policykit.serverless.values import Inputs, Value, to_cloudformation
from policykit.source.detect import is_cfn_document, uses_framework_variables
from policykit.source.dupkeys import DuplicateKey
from policykit.source.json_loader import load_json
from policykit.source.yaml_loader import load_yaml

_EXTENDED = ("Properties", "Metadata")  # the extensions that are mappings (assigned key by key), and Condition


@record
class ReadFile:
    """A file read for the service: its name as shown, the keys written twice in it, and whether it is YAML (the
    framework's YAML parser refuses a key written twice; JSON.parse keeps the last)."""

    file: str
    duplicates: list[DuplicateKey]
    yaml: bool
    mentions_policykit: bool = False


@record
class ServiceTemplate:
    """What a service (or a fragment) deploys, as a CloudFormation template of marked nodes."""

    root: MDict
    kind: Literal["service", "fragment"]
    files: list[ReadFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files it names that are not read


def is_service(root: Node) -> bool:
    """A service file declares its `service` and its `provider` at the top."""
    return isinstance(root, MDict) and "service" in root and "provider" in root


def read_service(path: Path, text: str) -> ServiceTemplate | None:
    """The template of a service file, or of a CloudFormation file with the framework's variables; None for any
    other file, and for a service of another provider than AWS."""
    file = str(path)
    duplicates: list[DuplicateKey] = []
    is_yaml = not text.lstrip().startswith("{")
    root = load_yaml(text, file, duplicates) if is_yaml else load_json(text, file, duplicates)
    if not isinstance(root, MDict):
        return None
    own = ReadFile(file, duplicates, is_yaml)
    inputs, includes = Inputs(), Includes(file)
    if is_service(root):
        if not _aws(root.get("provider")):
            return None
        template: Value = _template(Variables(root, file, inputs, includes).resolve(root), root.mark, file)
        kind: Literal["service", "fragment"] = "service"
    elif is_cfn_document(root) and uses_framework_variables(text):
        template, kind = Variables(root, file, inputs, includes, fragment=True).resolve(root), "fragment"
    else:
        return None
    out = to_cloudformation(template)
    assert isinstance(out, MDict)  # a mapping stays one
    parameters = inputs.parameters()
    declared = out.get("Parameters")
    if isinstance(declared, MDict):  # the template's own, written in `resources`: they win
        for name, body in declared.items():
            parameters.set(name, body, declared.key_marks.get(name, declared.mark), declared.mark_of(name))
    if parameters:
        out.set("Parameters", parameters, out.key_marks.get("Parameters", out.mark), out.mark)
    files = [own, *(ReadFile(i.shown, i.duplicates, i.yaml, i.mentions_policykit) for i in includes.read_files())]
    return ServiceTemplate(out, kind, files, list(includes.not_read))


def _aws(provider: Node) -> bool:
    name = provider.get("name") if isinstance(provider, MDict) else provider
    return not isinstance(name, str) or "${" in name or name == "aws"


def _template(config: Value, mark: Mark, file: str) -> MDict:
    """The compiled template with `resources` merged over it."""
    assert isinstance(config, MDict)  # a service's root is a mapping, and resolves to one
    provider = config.get("provider")
    provider = provider if isinstance(provider, MDict) else MDict(mark)
    functions = _functions(config.get("functions"))
    plugin = plugin_listed(config.get("plugins"))
    resources = MDict(mark)
    for logical_id, resource in _stubs(provider, functions, mark):
        resources.set(logical_id, resource, resource.mark, resource.mark)
    for name, function, where in functions:
        edge: Edge = "event" if any(events(function)) else "plugin" if plugin and "lambdaAtEdge" in function else ""
        for logical_id, resource in function_resources(name, function, where, provider, edge):
            resources.set(logical_id, resource, where, where)
    made = distribution(functions, provider, file)
    if made is not None:
        for logical_id, resource in cache_policies(provider):
            resources.set(logical_id, resource, resource.mark, resource.mark)
        resources.set(DISTRIBUTION_ID, made, made.mark, made.mark)
    compiled = marked(mark, ("Resources", resources, mark), ("Outputs", MDict(mark), mark))
    custom, extensions = _resources(config.get("resources"))
    template = merged(compiled, custom)
    assert isinstance(template, MDict)
    template = _extended(template, extensions)
    if plugin and isinstance(template.get("Resources"), MDict):
        template.set("Resources", with_plugin_associations(template["Resources"], functions, provider, file),
                     template.key_marks.get("Resources", mark), template.mark_of("Resources"))
    return template


def _functions(section: Value) -> Functions:
    """`functions` as a mapping, or a list of mappings merged (a null function is dropped, as the framework does)."""
    if isinstance(section, MList):
        section = merged_all(section.mark, section)
    if not isinstance(section, MDict):
        return []
    return [(name, function, section.key_marks.get(name, section.mark)) for name, function in section.items()
            if isinstance(function, MDict)]


def _resources(section: Value) -> tuple[MDict, MDict]:
    """`resources` (a list merged item by item first) without its `extensions`, and those."""
    items = section if isinstance(section, MList) else [section]
    combined = merged_all(getattr(section, "mark", NO_MARK), items)
    extensions = combined.get("extensions")
    rest = MDict(combined.mark)
    for key, value in combined.items():
        if key != "extensions":
            rest.set(key, value, combined.key_marks.get(key, combined.mark), combined.mark_of(key))
    return rest, extensions if isinstance(extensions, MDict) else MDict()


def _extended(template: MDict, extensions: MDict) -> MDict:
    """`resources.extensions.<Resource>.{Properties, Metadata}` assigned key by key over a compiled resource, and
    its `Condition` set; extensions of resources policykit does not compile are not read."""
    resources = template.get("Resources")
    if not extensions or not isinstance(resources, MDict):
        return template
    changed = MDict(resources.mark)
    for logical_id, resource in resources.items():
        extension = extensions.get(logical_id)
        if isinstance(resource, MDict) and isinstance(extension, MDict):
            resource = _extend(resource, extension)
        changed.set(logical_id, resource, resources.key_marks.get(logical_id, resources.mark),
                    resources.mark_of(logical_id))
    out = MDict(template.mark)
    for key, value in template.items():
        out.set(key, changed if key == "Resources" else value, template.key_marks.get(key, template.mark),
                template.mark_of(key))
    return out


def _extend(resource: MDict, extension: MDict) -> MDict:
    out = MDict(resource.mark)
    for key, value in resource.items():
        out.set(key, value, resource.key_marks.get(key, resource.mark), resource.mark_of(key))
    for key, value in extension.items():
        where = extension.mark_of(key)
        if key in _EXTENDED and isinstance(value, MDict):
            base = out.get(key)
            base = base if isinstance(base, MDict) else MDict(where)
            assigned = MDict(base.mark)
            for name, item in base.items():
                assigned.set(name, item, base.key_marks.get(name, base.mark), base.mark_of(name))
            for name, item in value.items():
                assigned.set(name, item, value.key_marks.get(name, value.mark), value.mark_of(name))
            out.set(key, assigned, extension.key_marks.get(key, where), where)
        elif key == "Condition":
            out.set(key, value, extension.key_marks.get(key, where), where)
    return out


def _stubs(provider: MDict, functions: Functions, mark: Mark) -> list[tuple[str, MDict]]:
    """Resources the framework compiles that a distribution often points at (`!GetAtt HttpApi.ApiEndpoint`,
    a function URL), declared by type so their attributes have their known shapes."""
    out: list[tuple[str, MDict]] = []
    if not given(provider, "deploymentBucket"):
        out.append(("ServerlessDeploymentBucket", _typed("AWS::S3::Bucket", mark)))
    kinds = {next(iter(e)): where for _, f, _ in functions for e, where in _events(f)}
    api_gateway = provider.get("apiGateway")
    if "http" in kinds and not (isinstance(api_gateway, MDict) and given(api_gateway, "restApiId")):
        out.append(("ApiGatewayRestApi", _typed("AWS::ApiGateway::RestApi", kinds["http"])))
    http_api = provider.get("httpApi")
    if "httpApi" in kinds and not (isinstance(http_api, MDict) and given(http_api, "id")):
        out.append(("HttpApi", _typed("AWS::ApiGatewayV2::Api", kinds["httpApi"])))
    for name, function, _ in functions:
        if given(function, "url"):
            url = function.mark_of("url")
            target = marked(url, ("Fn::GetAtt", listed(url, function_id(name), "Arn"), url))
            out.append((f"{normalized(name)}LambdaFunctionUrl", marked(
                url, ("Type", "AWS::Lambda::Url", url), ("Properties", marked(url, ("TargetFunctionArn", target, url)),
                                                         url))))
    return out


def _events(function: MDict) -> list[tuple[MDict, Mark]]:
    listing = function.get("events")
    if not isinstance(listing, MList):
        return []
    return [(e, listing.mark_of(i)) for i, e in enumerate(listing) if isinstance(e, MDict) and e]


def _typed(rtype: str, mark: Mark) -> MDict:
    return marked(mark, ("Type", rtype, mark))
