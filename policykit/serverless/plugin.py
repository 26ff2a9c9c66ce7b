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
    """`resources` with each `lambdaAtEdge` association added. Nothing shared is changed: each mapping or list on
    the way to a behavior is copied once, whatever the number of associations."""
    work = _Copies()
    out = work.own(resources)
    for name, function, _ in functions:
        setting = function.get("lambdaAtEdge")
        where = function.mark_of("lambdaAtEdge")
        items = list(setting) if isinstance(setting, MList) else [setting] if isinstance(setting, MDict) else []
        for item in items:
            if isinstance(item, MDict):
                _associate(out, work, name, function, item, getattr(item, "mark", where), provider, file)
    return out


class _Copies:
    """Copies made while associations are added: a node is copied the first time it is changed, then changed."""

    def __init__(self) -> None:
        self.owned: set[int] = set()
        self.paths: dict[str, tuple[dict[str, int], bool]] = {}  # distribution -> (path -> behavior, any unknown)

    def own(self, node: MDict) -> MDict:
        if id(node) in self.owned:
            return node
        out = MDict(node.mark)
        for key, value in node.items():
            out.set(key, value, node.key_marks.get(key, node.mark), node.mark_of(key))
        self.owned.add(id(out))
        return out

    def own_list(self, node: MList) -> MList:
        if id(node) in self.owned:
            return node
        out = MList(node.mark)
        for index, value in enumerate(node):
            out.add(value, node.mark_of(index))
        self.owned.add(id(out))
        return out


def _associate(resources: MDict, work: _Copies, name: str, function: MDict, item: MDict, mark: Mark,
               provider: MDict, file: str) -> None:
    target = item.get("distribution")
    if not isinstance(target, str):
        return  # only known at deployment: which distribution is not known
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
        return  # only known at deployment
    path = item.get("pathPattern")
    behaviors = config.get("CacheBehaviors")
    index: int | None = None
    if path:
        if not isinstance(behaviors, MList) or isinstance(path, Pieces):
            return  # only known at deployment
        if target not in work.paths:
            paths: dict[str, int] = {}
            for i, behavior in enumerate(behaviors):
                if isinstance(behavior, MDict) and isinstance(behavior.get("PathPattern"), str):
                    paths.setdefault(behavior["PathPattern"], i)
            work.paths[target] = (paths, len(paths) < len(behaviors))
        paths, unknown = work.paths[target]
        index = paths.get(path) if isinstance(path, str) else None
        if index is None:
            if unknown:
                return  # a behavior whose path is only known at deployment may be it
            raise _refused(f"lambdaAtEdge names path pattern '{path}', which no behavior of '{target}' has",
                           _mark(item, "pathPattern", mark), file)
    elif not isinstance(config.get("DefaultCacheBehavior"), MDict):
        return  # only known at deployment
    resource = _put(resources, target, work.own(resource))
    props = _put(resource, "Properties", work.own(props))
    config = _put(props, "DistributionConfig", work.own(config))
    if index is None:
        behavior = _put(config, "DefaultCacheBehavior", work.own(config["DefaultCacheBehavior"]))
    else:
        assert isinstance(behaviors, MList)  # checked with the path
        listing = work.own_list(behaviors)
        config.set("CacheBehaviors", listing, config.key_marks.get("CacheBehaviors", listing.mark),
                   config.mark_of("CacheBehaviors"))
        behavior = listing[index] = work.own(listing[index])
    old = behavior.get("LambdaFunctionAssociations")
    associations = work.own_list(old) if isinstance(old, MList) else MList(mark)
    associations.add(marked(mark, ("EventType", item.get("eventType"), _mark(item, "eventType", mark)),
                            ("IncludeBody", item.get("includeBody") or False, _mark(item, "includeBody", mark)),
                            ("LambdaFunctionARN", marked(mark, ("Ref", version_id(name), mark)), mark)), mark)
    work.owned.add(id(associations))
    behavior.set("LambdaFunctionAssociations", associations,
                 behavior.key_marks.get("LambdaFunctionAssociations", mark),
                 behavior.value_marks.get("LambdaFunctionAssociations", mark))


def _put(node: MDict, key: str, value: MDict) -> MDict:
    """Put the mapping `value` at `key` of `node` (a copy this stage owns), keeping the key's marks."""
    node.set(key, value, node.key_marks.get(key, value.mark), node.value_marks.get(key, value.mark))
    return value


def _mark(node: MDict, key: str, default: Mark) -> Mark:
    return node.mark_of(key) if key in node else default


def _refused(why: str, mark: Mark, file: str) -> InputError:
    return InputError(file_of(mark, file), f"the Serverless Framework refuses this service: {why}",
                      mark.line, mark.column)

