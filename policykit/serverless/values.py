"""What a Serverless variable resolves to before deployment, and how that is written for CloudFormation.

A variable the service file resolves (`${self:custom.domain}`, `${file(x.yml):key}`) becomes its value. Any
other (`${opt:stage}`, `${env:X}`, `${ssm:/p}`, `${cf:stack.Output}`, `${param:x}`, ...) is a deploy-time
input: a template parameter named as written (`opt:stage`), whose Default is the variable's literal
fallback (`${opt:stage, 'dev'}`: the default scenario, as a CloudFormation parameter's Default is), so it
is unknown where there is none, a scenario where conditions compare it, and `--param opt:stage=prod`
fixes it. What cannot be an input (a file outside the service, a reference cycle) is an Unknown with why.
"""

from __future__ import annotations

from dataclasses import field

from policykit.core.nodes import NO_MARK, Mark, MDict, MList
from policykit.core.record import record
from policykit.core.values import Unknown


@record
class Param:
    """A deploy-time input: the variable's source as written (`opt:stage`), and its fallback, if any."""

    name: str
    default: str | int | float | bool | None = None


@record
class Missing:
    """A value that is not there (a self-reference to nothing, a file that does not exist): the framework
    then tries the next fallback."""

    what: str = ""


MISSING = Missing()

Part = str | Param | Unknown


@record
class Pieces:
    """A string with unknown parts: text, inputs (`Param`) and Unknowns, in order."""

    parts: tuple[Part, ...]

    def default(self) -> str | None:
        """The text in the default scenario: each input's fallback; None when one has none."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Param) and part.default is not None:
                out.append(_text(part.default))
            else:
                return None
        return "".join(out)


# A resolved service value: a marked mapping or list, a scalar, a partly known string, or nothing.
Value = MDict | MList | str | int | float | bool | None | Pieces | Unknown | Missing


def pieces(parts: list[Part]) -> str | Pieces:
    """Join adjacent text (each run once: adding strings one by one is quadratic); a plain string when every part
    is text."""
    merged: list[Part] = []
    run: list[str] = []
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(part)
    text = "".join(run)
    if not merged:
        return text
    if text:
        merged.append(text)
    return Pieces(tuple(p for p in merged if p != ""))


def _text(value: str | int | float | bool) -> str:
    """A scalar as string interpolation writes it (JavaScript: `true`, `10`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value: Value) -> str | Pieces | Unknown:
    """A value put inside a string: scalars as their text; a mapping or list cannot be, so it is unknown."""
    if isinstance(value, (str, Pieces, Unknown)):
        return value
    if isinstance(value, (int, float, bool)):
        return _text(value)
    if value is None or isinstance(value, Missing):
        return Unknown("a variable inside a string has no value")
    return Unknown("a variable inside a string resolves to a mapping or list")


@record(frozen=False)
class Inputs:
    """The deploy-time inputs a service uses, each once, as template parameters."""

    defaults: dict[str, str | int | float | bool | None] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)

    def param(self, source: str, written: str, default: str | int | float | bool | None, mark: Mark) -> Param:
        """The input for a variable of `source` (`opt:stage`); one written with another fallback elsewhere is
        an input of its own, named with its fallbacks (`opt:stage, 'prod'`)."""
        name = source
        if name in self.defaults and self.defaults[name] != default:
            name = written
        if name not in self.defaults:
            self.defaults[name] = default
            self.marks[name] = mark
        return Param(name, default)

    def parameters(self) -> MDict:
        """The template's Parameters section for these inputs."""
        section = MDict()
        for name, default in self.defaults.items():
            mark = self.marks.get(name, NO_MARK)
            body = MDict(mark)
            body.set("Type", "String", mark, mark)
            if default is not None:
                body.set("Default", default, mark, mark)
            section.set(name, body, mark, mark)
        return section


def to_cloudformation(value: object, mark: Mark = NO_MARK) -> object:
    """A resolved value in CloudFormation's terms: an input is `{Ref: name}`, a partly known string an
    `Fn::Join` of its parts, an Unknown stays one (the resolver keeps it); the text of an `Fn::Sub`
    stays a Sub template, its inputs `${name}`. Containers are rebuilt with their marks."""
    if isinstance(value, Pieces):
        if len(value.parts) == 1:
            return _part(value.parts[0], mark)
        items = MList(mark)
        for part in value.parts:
            items.add(_part(part, mark), mark)
        joined = MList(mark)
        joined.add("", mark)
        joined.add(items, mark)
        return _single("Fn::Join", joined, mark)
    if isinstance(value, Missing):
        return None
    if isinstance(value, MDict):
        if len(value) == 1 and "Fn::Sub" in value:
            return _sub(value)
        out = MDict(value.mark)
        for key, item in value.items():
            out.set(key, to_cloudformation(item, value.mark_of(key)), value.key_marks.get(key, value.mark),
                    value.mark_of(key))
        return out
    if isinstance(value, MList):
        items = MList(value.mark)
        for index, item in enumerate(value):
            items.add(to_cloudformation(item, value.mark_of(index)), value.mark_of(index))
        return items
    return value


def _part(part: Part, mark: Mark) -> object:
    if isinstance(part, Param):
        return _single("Ref", part.name, mark)
    return part


def _single(key: str, value: object, mark: Mark) -> MDict:
    out = MDict(mark)
    out.set(key, value, mark, mark)
    return out


def _sub(node: MDict) -> MDict:
    """`Fn::Sub` whose text has framework variables: they are substituted in the text (the framework does it
    before CloudFormation reads it); an input is `${name}`, an Unknown a variable of the Sub's own."""
    mark = node.mark_of("Fn::Sub")
    arg = node["Fn::Sub"]
    text, variables = (arg[0], arg[1] if len(arg) > 1 else None) if isinstance(arg, MList) and arg else (arg, None)
    if not isinstance(text, Pieces):
        return _single("Fn::Sub", to_cloudformation(arg, mark), node.mark)
    own = MDict(mark)
    if isinstance(variables, MDict):
        own = MDict(variables.mark)
        for key, item in variables.items():
            own.set(key, to_cloudformation(item), variables.key_marks.get(key, mark), variables.mark_of(key))
    written: list[str] = []
    for part in text.parts:
        if isinstance(part, str):
            written.append(part)
        elif isinstance(part, Param):
            written.append("${" + part.name + "}")
        else:
            name = f"policykit.unknown.{len(own)}"
            own.set(name, part, mark, mark)
            written.append("${" + name + "}")
    arg_out = MList(mark)
    arg_out.add("".join(written), mark)
    arg_out.add(own, mark)
    return _single("Fn::Sub", arg_out, node.mark)
