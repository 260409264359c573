"""Actions and functions: finding the one a URL names (bound or imported, overloads by binding and parameter
names), and running it: a handler registered for it, or the generic echo.

A handler is `handler(call: OperationCall) -> result`, registered by qualified name (namespace or alias:
`create_app(..., operations={"Default.Discount": discount})`; overloads share it, `call.binding_table` tells
them apart). `call.parameters` holds the checked parameters (see `parameters`), `call.records()` the bound
entities, `call.store` the data to change. The result is what the response carries: None (204), a JSON
value shaped as the operation's return type, a `Record` or a list of them; raising
`codegen.sandbox.errors.ODataFailure` answers with that OData error.

The generic echo answers by the declared return type: the binding entity or collection (or complex value)
itself when it has that type (DefaultService's `Discount` returns the products it was bound to), else the rows of a table of
that type; a parameter of the return type, echoed; else a default value (0, "", false, the first enum
member, a complex value of defaults, an empty collection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..csdl.model import Operation, TypeRef
from .errors import ODataFailure
from .options import QueryOptions
from .parameters import declared_parameters
from .schema import INTEGER_TYPES, Model, Table
from .store import EVERYTHING, Record, Scope, Store, navigation_scope

__all__ = [
    "Handler",
    "OperationCall",
    "Stored",
    "check_handlers",
    "default_value",
    "echo",
    "find_bound",
    "find_import",
    "qualified",
]

MAX_BINDING_RECORDS = 10_000  # what `OperationCall.records()` reads of a bound collection


@attrs.frozen
class Stored:
    """A result held in the database: the rows of `table` within `scope` (`context` names them in URLs)."""

    table: Table
    scope: Scope
    context: str


@attrs.frozen
class OperationCall:
    """What a handler gets: the operation, its checked parameters, and what it is bound to."""

    operation: Operation
    parameters: Mapping[str, Any]
    store: Store
    model: Model
    binding_table: Table | None = None
    binding_scope: Scope = EVERYTHING
    binding_collection: bool = False
    binding_context: str = ""  # how response context URLs name the binding's rows
    binding_path: str = ""  # the path that reached the binding (`People('x')`, `People('x')/HomeAddress`)
    binding_value: Any = None  # bound to a complex type: the stored value (a list for a collection of it)

    def records(self) -> list[Record]:
        """The entities the operation is bound to (one for an entity binding; none when unbound)."""
        if self.binding_table is None:
            return []
        limit = MAX_BINDING_RECORDS if self.binding_collection else 1
        # the key order keeps the result the same from call to call
        found, _ = self.store.page(self.binding_table, QueryOptions(), offset=0, limit=limit, scope=self.binding_scope)
        return found


Handler = Callable[[OperationCall], Any]


def qualified(model: Model, name: str) -> str:
    """`name` with a schema alias prefix replaced by its namespace (`Default.Discount` stays as it is)."""
    namespace, dot, simple = name.rpartition(".")
    if not dot:
        return name
    for schema in model.document.schemas:
        if schema.alias == namespace:
            return f"{schema.namespace}.{simple}"
    return name


def check_handlers(model: Model, handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """The handlers by namespace-qualified name; a ValueError for a name no operation has."""
    known = {o.qualified_name for o in _operations(model)}
    checked = {}
    for name, handler in handlers.items():
        full = qualified(model, name)
        if full not in known:
            raise ValueError(f"No action or function is named {name!r} in this service's CSDL.")
        checked[full] = handler
    return checked


def find_import(model: Model, name: str, arguments: Mapping[str, str] | None) -> Operation | None:
    """The operation an action or function import named `name` calls, or None when there is no such import."""
    for container in model.document.containers():
        for found in container.operation_imports:
            if found.name == name:
                candidates = [o for o in _operations(model) if o.qualified_name == found.operation and not o.bound]
                if not candidates:
                    raise ODataFailure(404, f"The import {name} names no unbound operation.", target=name)
                return _overload(candidates, arguments, name, skip=0)
    return None


def find_bound(
    model: Model, name: str, type_name: str, collection: bool, arguments: Mapping[str, str] | None
) -> Operation:
    """The operation `name` (qualified, or by 4.01 rules not) bound to `type_name` (a collection of it when
    `collection`); 404 for a name nothing has, 400 for an operation that cannot be bound here."""
    full = qualified(model, name)
    named = [o for o in _operations(model) if o.bound and (o.qualified_name == full or o.name == name)]
    if not named:
        raise ODataFailure(404, f"Resource not found for the segment '{name}'.", target=name)
    fitting = [o for o in named if _binds(model, o, type_name, collection)]
    if not fitting:
        shown = f"Collection({type_name})" if collection else type_name
        raise ODataFailure(400, f"The operation {name} cannot be bound to {shown}.", target=name)
    exact = [o for o in fitting if o.parameters[0].type.name == type_name]  # the most specific binding wins
    return _overload(exact or fitting, arguments, name, skip=1)


def _operations(model: Model) -> list[Operation]:
    return [o for schema in model.document.schemas for o in schema.operations]


def _binds(model: Model, operation: Operation, type_name: str, collection: bool) -> bool:
    if not operation.parameters:
        return False
    binding = operation.parameters[0].type
    return binding.collection == collection and model.derives_from(type_name, binding.name)


def _overload(candidates: list[Operation], arguments: Mapping[str, str] | None, name: str, skip: int) -> Operation:
    """Functions overload by their parameter names; the one taking exactly the given names wins."""
    kinds = {o.kind for o in candidates}
    if kinds == {"action"}:
        if arguments is not None:
            raise ODataFailure(
                400, f"The action {name} takes its parameters in the request body, not in parentheses.", target=name
            )
        return candidates[0]
    given = set(arguments or ())
    for candidate in candidates:
        if {p.name for p in candidate.parameters[skip:]} == given:
            return candidate
    if len(candidates) == 1:
        return candidates[0]  # its parameters are checked next, naming what is missing or extra
    raise ODataFailure(400, f"No overload of {name} takes the parameters ({', '.join(sorted(given))}).", target=name)


def echo(call: OperationCall) -> Any:
    """The generic result of `call` (see the module docstring): `Stored` rows for an entity result, None, or
    a JSON value."""
    returned = call.operation.return_type
    if returned is None:
        return None
    model = call.model
    if returned.name in model.structured and model.structured[returned.name].kind == "entity":
        return _entity_echo(call, returned)
    binding = call.operation.parameters[0].type if call.operation.bound and call.operation.parameters else None
    if binding == returned and call.binding_value is not None:  # bound to a complex value: that value itself
        return call.binding_value
    for name, value in call.parameters.items():
        parameter = declared_parameters(call.operation)[name]
        if parameter.type == returned and value is not None:
            return value
    return default_value(model, returned)


def _entity_echo(call: OperationCall, returned: TypeRef) -> Stored | list[Any] | None:
    """The binding itself, else what a navigation of the binding entity reaches (`Customer/Orders` for
    PlaceOrders), else a table of the return type, else nothing (an empty collection, or null)."""
    model = call.model
    binding = call.binding_table
    if binding is not None and returned.collection == call.binding_collection:
        if model.derives_from(binding.type_name, returned.name):
            return Stored(binding, call.binding_scope, call.binding_context)
    if binding is not None and not call.binding_collection:
        reached = _navigated(call, binding, returned)
        if reached is not None:
            return reached
    for table in [*model.tables.values(), *model.singletons.values()]:
        if model.derives_from(table.type_name, returned.name):
            return Stored(table, EVERYTHING, table.name)
    return [] if returned.collection else None


def _navigated(call: OperationCall, binding: Table, returned: TypeRef) -> Stored | None:
    records = call.records()
    for navigation in binding.navigations.values():
        target = call.model.table(navigation.target)
        if navigation.collection == returned.collection and call.model.derives_from(target.type_name, returned.name):
            if not records:
                return None
            scope = navigation_scope(call.model, navigation, records[0])
            context = target.name if target.kind != "contained" else f"{call.binding_path}/{navigation.name}"
            return Stored(target, scope, context)
    return None


def default_value(model: Model, ref: TypeRef, depth: int = 0) -> Any:
    """A value of `ref`'s type: 0, "", false, the first member of an enum, defaults for a complex type."""
    if ref.collection:
        return []
    kind, name = model.classify(ref)
    if kind == "enum":
        members = model.enums[name].members
        return members[0].name if members else None
    if kind == "complex":
        if depth > 3:
            return {}
        return {
            p.name: default_value(model, p.type, depth + 1) if not p.nullable else None for p in model.properties(name)
        }
    return _PRIMITIVE_DEFAULTS.get(name, 0 if name in INTEGER_TYPES else None)


_PRIMITIVE_DEFAULTS: dict[str, Any] = {
    "Edm.String": "",
    "Edm.Boolean": False,
    "Edm.Double": 0.0,
    "Edm.Single": 0.0,
    "Edm.Decimal": Decimal(0),
    "Edm.Date": "2000-01-01",
    "Edm.TimeOfDay": "00:00:00",
    "Edm.DateTimeOffset": "2000-01-01T00:00:00Z",
    "Edm.Duration": "PT0S",
    "Edm.Guid": "00000000-0000-0000-0000-000000000000",
}
