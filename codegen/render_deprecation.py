"""The generated code of deprecated properties: descriptor classes whose `__get__`/`__set__` mypy sees as
deprecated (PEP 702), over the runtime's `DeprecatedAttribute` and `DeprecatedPath` (codegen/runtime/deprecation.py).

Every warning text reaches the output through `string_literal`; the layout is black's.
"""

from __future__ import annotations

from . import layout
from .layout import Call, call_statement, string_literal
from .plan import ClassPlan, FieldPlan
from .plan_service import ParameterPlan


def decorator(message: str, indent: int = 4) -> str:
    """`@_rt.deprecated("...")`, split as black splits a call that does not fit."""
    return layout.call_line("_rt.deprecated", (string_literal(message),), indent, prefix="@")


def descriptors(cls: ClassPlan) -> str:
    """The module-level descriptor classes of a class's deprecated properties, model then query type, each
    after two blank lines."""
    parts = []
    for f in cls.deprecated_fields:
        parts.append(_model_descriptor(cls, f))
    for f in cls.deprecated_fields:
        parts.append(_query_descriptor(f))
    return "".join(parts).rstrip("\n")


def _model_descriptor(cls: ClassPlan, f: FieldPlan) -> str:
    instance = f"instance: {cls.name}"
    getter = _stub("__get__", ("self", instance, "owner: object = None"), f.annotation, f.deprecated)
    setter = _stub("__set__", ("self", instance, _parameter("value", f.annotation)), "None", f.deprecated)
    head = layout.class_statement(f.descriptor or "", "_rt.DeprecatedAttribute")
    return f"\n\n{head}\n    if _t.TYPE_CHECKING:\n{getter}{setter}"


def _query_descriptor(f: FieldPlan) -> str:
    getter = _stub("__get__", ("self", "instance: object", "owner: object"), f.query.returns, f.deprecated)
    head = layout.class_statement(f.query_descriptor or "", "_rt.DeprecatedPath")
    return f"\n\n{head}\n    if _t.TYPE_CHECKING:\n{getter}"


def _parameter(name: str, annotation: str) -> str:
    """`name: annotation` as a stub's parameter line holds it (at indent 12, before its comma)."""
    if 12 + len(name) + 2 + len(annotation) + 1 <= layout.LINE_LENGTH:
        return f"{name}: {annotation}"
    return f"{name}: (\n{' ' * 16}{layout.parenthesised_annotation(annotation, 16)}\n{' ' * 12})"


def _stub(name: str, parameters: tuple[str, ...], returns: str, message: str | None) -> str:
    """A deprecated method declared for type checkers, one parameter a line (the trailing comma keeps black
    from joining them, whatever their length)."""
    lines = "".join(f"            {p},\n" for p in parameters)
    tail = f"        ) -> {returns}: ..."
    if len(tail) > layout.LINE_LENGTH:
        tail = f"        ) -> (\n            {layout.parenthesised_annotation(returns, 12)}\n        ): ..."
    return f"\n        {decorator(message or '', 8)}\n        def {name}(\n{lines}{tail}\n"


def attribute(f: FieldPlan) -> str:
    """The model class's attribute of a deprecated property: its descriptor over the private field."""
    value = Call(f.descriptor or "", (string_literal(f.storage), string_literal(f.deprecated or "")))
    return call_statement(f.attribute, None, value)


def query_attribute(f: FieldPlan) -> str:
    """The query type's attribute of a deprecated property: the path, wrapped in its descriptor."""
    inner = Call(f.query.callee, f.query.arguments)
    return call_statement(
        f.attribute, None, Call(f.query_descriptor or "", (inner, string_literal(f.deprecated or "")))
    )


def patch_warnings(parameters: tuple[ParameterPlan, ...]) -> str:
    """The statements of a patch method warning about each deprecated property it is given (PEP 702 has no
    form for a parameter, so mypy cannot report these; the runtime does)."""
    return "".join(
        f"        {layout.call_line('_rt.warn_if_given', (p.attribute, string_literal(p.deprecated)), 8)}\n"
        for p in parameters
        if p.deprecated is not None
    )
