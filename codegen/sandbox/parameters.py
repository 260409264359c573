"""The parameters of an action or function call, checked against their declared types: a function's from
the URL (`F(p=1,q=@q)`, parameter aliases resolved from the query string, JSON for complex and collection
values, `'Red'` or `NS.Color'Red'` for enums), an action's from its JSON body. Missing non-nullable and
unknown parameters are 400s naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from odata_query import ast

from ..csdl.model import Operation, Parameter, Property
from .codec import ValueProblem, check_value
from .errors import ODataFailure
from .limits import parse_json
from .options import parse_expression
from .schema import Model

__all__ = ["action_parameters", "declared_parameters", "function_parameters"]

_ENUM_LITERAL_QUOTE = "'"


def function_parameters(
    model: Model, operation: Operation, arguments: Mapping[str, str] | None, aliases: Mapping[str, str]
) -> dict[str, Any]:
    """A function's parameters from the URL (`F(p=1,q=@q)`, `@q` from the query string), checked."""
    texts = dict(arguments or {})
    values = {}
    for name, text in texts.items():
        if text.startswith("@"):
            _check_alias_name(text)
            text = aliases.get(text, "null")  # an alias given no value is null (OData URL conventions 5.1.1.13.1)
        values[name] = text
    declared = declared_parameters(operation)
    return _checked(model, operation, {n: _url_value(model, declared.get(n), t) for n, t in values.items()})


def action_parameters(model: Model, operation: Operation, body: Any) -> dict[str, Any]:
    """An action's parameters from its JSON body (an object; empty or absent for none), checked."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ODataFailure(400, "The body of an action must be a JSON object holding its parameters.")
    return _checked(model, operation, {k: v for k, v in body.items() if "@" not in k})


def declared_parameters(operation: Operation) -> dict[str, Parameter]:
    """The parameters a caller gives: all but the binding parameter of a bound operation."""
    skip = 1 if operation.bound else 0
    return {p.name: p for p in operation.parameters[skip:]}


def _checked(model: Model, operation: Operation, given: dict[str, Any]) -> dict[str, Any]:
    declared = declared_parameters(operation)
    extra = sorted(set(given) - set(declared))
    if extra:
        raise ODataFailure(
            400,
            f"{operation.qualified_name} has no parameter {extra[0]!r}; it takes ({', '.join(declared)}).",
            target=extra[0],
        )
    values = {}
    for name, parameter in declared.items():
        if name not in given and not parameter.nullable:
            raise ODataFailure(400, f"The parameter {name} of {operation.qualified_name} is missing.", target=name)
        try:
            values[name] = check_value(model, _as_property(operation, parameter), given.get(name))
        except ValueProblem as problem:
            raise ODataFailure(400, problem.message, target=problem.target) from None
    return values


def _as_property(operation: Operation, parameter: Parameter) -> Property:
    return Property(parameter.name, parameter.type, parameter.nullable, operation.location)


def _check_alias_name(text: str) -> None:
    if not text[1:].isidentifier():
        raise ODataFailure(400, f"{text!r} is not a parameter alias (@ and a name).", target=text)


def _url_value(model: Model, parameter: Parameter | None, text: str) -> Any:
    """A parameter value written in a URL: a literal, or JSON for a complex or collection value."""
    text = text.strip()
    if text.startswith(("{", "[")):
        return parse_json(text.encode("utf-8"), "parameter value")
    if parameter is not None and parameter.type.name in model.enums and not parameter.type.collection:
        return _enum_text(parameter.type.name, text)
    node = parse_expression(text, "parameter value")
    return _literal_value(node, text)


def _enum_text(type_name: str, text: str) -> Any:
    """`'Red'` or `Namespace.Color'Red'` -> "Red" (odata-query cannot parse enum literals)."""
    if text == "null":
        return None
    prefix, quote, rest = text.partition(_ENUM_LITERAL_QUOTE)
    if (
        not quote
        or not rest.endswith("'")
        or (prefix and prefix != type_name.rsplit(".", 1)[-1] and prefix != type_name)
    ):
        raise ODataFailure(400, f"{text!r} is not a {type_name} literal.")
    return rest[:-1].replace("''", "'")


def _literal_value(node: ast._Node, text: str) -> Any:
    if isinstance(node, ast.Null):
        return None
    if isinstance(node, ast.Boolean):
        return node.val.lower() == "true"
    if isinstance(node, ast.Integer):
        return int(node.val) if len(node.val) <= 20 else text  # too long for any Edm integer: refused when checked
    if isinstance(node, ast.Float):
        return Decimal(node.val)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal_value(node.operand, text)
        if isinstance(inner, (int, Decimal)) and not isinstance(inner, bool):
            return -inner
    if isinstance(node, (ast.String, ast.Date, ast.DateTime, ast.Time, ast.GUID, ast.Duration)):
        return node.val
    raise ODataFailure(400, f"The parameter value {text!r} is not a literal.")
