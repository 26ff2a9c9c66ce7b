"""The resources the framework compiles for a service's functions, as far as a distribution depends on them.

From packages/serverless/lib/plugins/aws/package/compile/functions.js and lib/naming.js: a function `fn` is
`FnLambdaFunction` (`-` spelled `Dash`, `_` `Underscore`, the first letter upper-cased), with `MemorySize`
= the function's `memorySize`, else the provider's, else 1024, `Timeout` likewise else 6, `Runtime`,
`Architectures`, `Layers`, `EphemeralStorage`, `Environment` (the provider's and the function's variables),
`VpcConfig` (when both security groups and subnets are given), `DeadLetterConfig` (`onError`); a
numbered version `FnLambdaVersion<hash>` unless versioning is off (`versionFunctions`, `versionFunction`).
A function with a `cloudFront` event is always versioned, gets 128 MB and 5 s unless the function itself
says otherwise, and loses its VPC and environment (compile/events/cloud-front.js `prepareFunctions`,
`compileCloudFrontEvents`). The code is the service's directory (packaged from it): `scan --edge` runs it.
"""

from __future__ import annotations

from typing import Literal

from policykit.core.nodes import Mark, MDict, MList
from policykit.serverless.values import Value

LAMBDA_FUNCTION = "AWS::Lambda::Function"
# How a function is associated at the edge: by a `cloudFront` event, by the silvermine plugin, or not at all.
Edge = Literal["event", "plugin", ""]


def normalized(name: str) -> str:
    """naming.getNormalizedResourceName: `my-fn_x` -> `MyDashfnUnderscorex`."""
    name = name.replace("-", "Dash").replace("_", "Underscore")
    return name[:1].upper() + name[1:]


def function_id(name: str) -> str:
    return f"{normalized(name)}LambdaFunction"


def version_id(name: str) -> str:
    """The version's logical id without the framework's hash of the code and configuration (unknown here)."""
    return f"{normalized(name)}LambdaVersion"


def marked(mark: Mark, *pairs: tuple[str, object, Mark]) -> MDict:
    """A mapping of `(key, value, value's mark)`, each key marked where its value is."""
    out = MDict(mark)
    for key, value, where in pairs:
        out.set(key, value, where, where)
    return out


def listed(mark: Mark, *values: object) -> MList:
    out = MList(mark)
    for value in values:
        out.add(value, mark)
    return out


def given(node: Value, key: str) -> bool:
    """A setting the file gives (JavaScript's truthiness: not absent, null, false, 0 or empty)."""
    if not isinstance(node, MDict) or key not in node:
        return False
    value = node[key]
    return value not in (None, False, 0, "") and not (isinstance(value, (MDict, MList)) and not value)


def _first(key: str, *nodes: Value) -> tuple[object, Mark] | None:
    for node in nodes:
        if isinstance(node, MDict) and given(node, key):
            return node[key], node.mark_of(key)
    return None


def function_resources(name: str, function: MDict, mark: Mark, provider: MDict, edge: Edge) -> list[tuple[str, MDict]]:
    """The function's resources, each as (logical id, resource). The plugin removes the function's environment
    variables too (serverless-plugin-cloudfront-lambda-edge, src/index.js), not its VPC."""
    props = MDict(function.mark)
    for prop, key in (("Handler", "handler"), ("Runtime", "runtime")):
        found = _first(key, function, provider)
        if found is not None:
            props.set(prop, found[0], found[1], found[1])
    defaults = {"memorySize": 128, "timeout": 5} if edge == "event" else {"memorySize": 1024, "timeout": 6}
    for prop, key in (("MemorySize", "memorySize"), ("Timeout", "timeout")):
        found = _first(key, function) if edge == "event" else _first(key, function, provider)
        value, where = found if found is not None else (defaults[key], mark)
        props.set(prop, value, where, where)
    found = _first("architecture", function, provider)
    if found is not None:
        props.set("Architectures", listed(found[1], found[0]), found[1], found[1])
    found = _first("layers", function, provider)
    if found is not None:
        props.set("Layers", found[0], found[1], found[1])
    if given(function, "ephemeralStorageSize"):
        where = function.mark_of("ephemeralStorageSize")
        props.set("EphemeralStorage", marked(where, ("Size", function["ephemeralStorageSize"], where)), where, where)
    if given(function, "onError"):
        where = function.mark_of("onError")
        props.set("DeadLetterConfig", marked(where, ("TargetArn", function["onError"], where)), where, where)
    if given(function, "image"):
        where = function.mark_of("image")
        props.set("PackageType", "Image", where, where)
    if not edge:
        _environment(props, function, provider)
    if edge != "event":
        _vpc(props, function, provider)
    resources = [(function_id(name), marked(mark, ("Type", LAMBDA_FUNCTION, mark), ("Properties", props, mark)))]
    if edge == "event" or versioned(function, provider):
        ref = marked(mark, ("Ref", function_id(name), mark))
        resources.append((version_id(name), marked(mark, ("Type", "AWS::Lambda::Version", mark),
                                                   ("Properties", marked(mark, ("FunctionName", ref, mark)), mark))))
    return resources


def versioned(function: MDict, provider: MDict) -> bool:
    """`versionFunction` of the function, else the provider's `versionFunctions` (true when not set)."""
    for node, key in ((function, "versionFunction"), (provider, "versionFunctions")):
        if key in node and node[key] is not None:
            return node[key] is not False and node[key] not in ("false", 0)
    return True


def _environment(props: MDict, function: MDict, provider: MDict) -> None:
    variables = MDict(function.mark)
    where = function.mark
    for node in (provider, function):
        env = node.get("environment")
        if isinstance(env, MDict):
            where = node.mark_of("environment")
            for key, value in env.items():
                variables.set(key, value, env.key_marks.get(key, env.mark), env.mark_of(key))
        elif env is not None and not isinstance(env, bool):
            props.set("Environment", env, node.mark_of("environment"), node.mark_of("environment"))
            return
    if variables:
        props.set("Environment", marked(where, ("Variables", variables, where)), where, where)


def _vpc(props: MDict, function: MDict, provider: MDict) -> None:
    own = function.get("vpc")
    if "vpc" in function and (own is None or own is False):
        return  # `vpc: null` / `false`: the provider's VPC is not used
    shared = provider.get("vpc")
    own = own if isinstance(own, MDict) else MDict()
    shared = shared if isinstance(shared, MDict) else MDict()
    groups = _first("securityGroupIds", own, shared)
    subnets = _first("subnetIds", own, shared)
    if groups is not None and subnets is not None:
        props.set("VpcConfig", marked(groups[1], ("SecurityGroupIds", groups[0], groups[1]),
                                      ("SubnetIds", subnets[0], subnets[1])), groups[1], groups[1])
