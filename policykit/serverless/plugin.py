"""The silvermine plugin's Lambda@Edge associations, added once `resources` are merged.

silvermine/serverless-plugin-cloudfront-lambda-edge (src/index.js, hook
`aws:package:finalize:mergeCustomProviderResources`), when `plugins:` lists it: each function's
`lambdaAtEdge: {distribution, eventType, pathPattern, includeBody}` (or a list of them) appends
`{EventType, IncludeBody (false unless given), LambdaFunctionARN: {Ref: <the function's version>}}` to the
`LambdaFunctionAssociations` of the behavior of `distribution` whose `PathPattern` is `pathPattern` (the
default behavior without one). The plugin refuses a distribution that is not there or not a distribution, a
path no behavior has, and a function without a version: so does policykit, saying where.
"""

from __future__ import annotations

from policykit.core.errors import InputError
from policykit.core.nodes import Mark, MDict, MList, file_of
from policykit.serverless.cloudfront import DISTRIBUTION_TYPE, PLUGIN, Functions
from policykit.serverless.functions import marked, version_id, versioned
from policykit.serverless.values import Pieces, Value


def plugin_listed(plugins: Value) -> bool:
    """`plugins: [...]` or `plugins: {modules: [...]}` names the plugin (scoped `@silvermine/...` or not)."""
    modules = plugins.get("modules") if isinstance(plugins, MDict) else plugins
    return isinstance(modules, MList) and any(isinstance(m, str) and m.endswith(PLUGIN) for m in modules)


def with_plugin_associations(resources: MDict, functions: Functions, provider: MDict, file: str) -> MDict:
    """`resources` with each `lambdaAtEdge` association added (new mappings along the way; nothing shared
    is changed)."""
    for name, function, _ in functions:
        setting = function.get("lambdaAtEdge")
        where = function.mark_of("lambdaAtEdge")
        items = list(setting) if isinstance(setting, MList) else [setting] if isinstance(setting, MDict) else []
        for item in items:
            if isinstance(item, MDict):
                resources = _associate(resources, name, function, item, getattr(item, "mark", where), provider,
                                       file)
    return resources


def _associate(resources: MDict, name: str, function: MDict, item: MDict, mark: Mark, provider: MDict,
               file: str) -> MDict:
    target = item.get("distribution")
    if not isinstance(target, str):
        return resources  # only known at deployment: which distribution is not known
    resource = resources.get(target)
    if not isinstance(resource, MDict):
        raise _refused(f"lambdaAtEdge names distribution '{target}', which is not among the resources", mark, file)
    if resource.get("Type") != DISTRIBUTION_TYPE:
        raise _refused(f"lambdaAtEdge names '{target}', which is not an AWS::CloudFront::Distribution", mark, file)
    if not versioned(function, provider):
        raise _refused(f"function '{name}' has lambdaAtEdge but is not versioned (versionFunction(s): false)",
                       mark, file)
    props = resource.get("Properties")
    config = props.get("DistributionConfig") if isinstance(props, MDict) else None
    if not isinstance(props, MDict) or not isinstance(config, MDict):
        return resources  # only known at deployment
    association = marked(mark, ("EventType", item.get("eventType"), _mark(item, "eventType", mark)),
                         ("IncludeBody", item.get("includeBody") or False, _mark(item, "includeBody", mark)),
                         ("LambdaFunctionARN", marked(mark, ("Ref", version_id(name), mark)), mark))
    path = item.get("pathPattern")
    if path:
        behaviors = config.get("CacheBehaviors")
        if not isinstance(behaviors, MList) or isinstance(path, Pieces):
            return resources  # only known at deployment
        index = next((i for i, b in enumerate(behaviors) if isinstance(b, MDict) and b.get("PathPattern") == path),
                     None)
        if index is None:
            if any(not isinstance(b, MDict) or not isinstance(b.get("PathPattern"), str) for b in behaviors):
                return resources  # a behavior whose path is only known at deployment may be it
            raise _refused(f"lambdaAtEdge names path pattern '{path}', which no behavior of '{target}' has",
                           _mark(item, "pathPattern", mark), file)
        changed = MList(behaviors.mark)
        for i, behavior in enumerate(behaviors):
            changed.add(_added(behavior, association) if i == index else behavior, behaviors.mark_of(i))
        config = _with(config, "CacheBehaviors", changed)
    else:
        behavior = config.get("DefaultCacheBehavior")
        if not isinstance(behavior, MDict):
            return resources
        config = _with(config, "DefaultCacheBehavior", _added(behavior, association))
    return _with(resources, target, _with(resource, "Properties", _with(props, "DistributionConfig", config)))


def _added(behavior: MDict, association: MDict) -> MDict:
    """The behavior with one more association (a list made when there is none, as the plugin does)."""
    old = behavior.get("LambdaFunctionAssociations")
    items = MList(old.mark if isinstance(old, MList) else association.mark)
    if isinstance(old, MList):
        for index, item in enumerate(old):
            items.add(item, old.mark_of(index))
    items.add(association, association.mark)
    return _with(behavior, "LambdaFunctionAssociations", items)


def _with(node: MDict, key: str, value: object) -> MDict:
    """A copy of `node` with `key` set to `value` (its marks kept, or the value's own for a new key)."""
    out = MDict(node.mark)
    for name, item in node.items():
        out.set(name, item, node.key_marks.get(name, node.mark), node.mark_of(name))
    where = getattr(value, "mark", node.mark)
    out.set(key, value, node.key_marks.get(key, where), node.value_marks.get(key, where))
    return out


def _mark(node: MDict, key: str, default: Mark) -> Mark:
    return node.mark_of(key) if key in node else default


def _refused(why: str, mark: Mark, file: str) -> InputError:
    return InputError(file_of(mark, file), f"the Serverless Framework refuses this service: {why}",
                      mark.line, mark.column)

