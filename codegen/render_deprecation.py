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
    return layout.single_call("_rt.deprecated", string_literal(message), indent, prefix="@")


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
    getter = _stub("__get__", ("self", f"instance: {cls.name}", "owner: object = None"), f.annotation, f.deprecated)
    setter = _stub("__set__", ("self", f"instance: {cls.name}", f"value: {f.annotation}"), "None", f.deprecated)
    return f"\n\nclass {f.descriptor}(_rt.DeprecatedAttribute):\n    if _t.TYPE_CHECKING:\n{getter}{setter}"


def _query_descriptor(f: FieldPlan) -> str:
    getter = _stub("__get__", ("self", "instance: object", "owner: object"), f.query.returns, f.deprecated)
    return f"\n\nclass {f.query_descriptor}(_rt.DeprecatedPath):\n    if _t.TYPE_CHECKING:\n{getter}"


def _stub(name: str, parameters: tuple[str, ...], returns: str, message: str | None) -> str:
    """A deprecated method declared for type checkers, one parameter a line (the trailing comma keeps black
    from joining them, whatever their length)."""
    lines = "".join(f"            {p},\n" for p in parameters)
    tail = f"        ) -> {returns}: ..."
    if len(tail) > 88:
        tail = f"        ) -> (\n            {returns}\n        ): ..."
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
        f"        if {p.attribute} is not _rt.UNSET:\n            {_warn(p.deprecated)}\n"
        for p in parameters
        if p.deprecated is not None
    )


def _warn(message: str) -> str:
    return layout.single_call("_rt.warn_deprecated", string_literal(message), 12)
