"""Operation results that are not rows of the database, as OData JSON: a handler's `Record`s or JSON values,
and the generic echo's complex and primitive values, with their context URLs (OData JSON format, section
10: `#Edm.Int32`, `#Collection(NS.Address)`, `#Products/$entity`)."""

from __future__ import annotations

from typing import Any

from ..csdl.model import Operation
from .entities import entity_json
from .errors import ODataFailure
from .options import QueryOptions
from .schema import Model
from .store import Record

__all__ = ["operation_context", "operation_json"]


def operation_context(model: Model, service_root: str, operation: Operation, result: Any) -> str:
    returned = operation.return_type
    assert returned is not None
    records = result if isinstance(result, list) else [result]
    if records and all(isinstance(r, Record) for r in records) and records[0].table.kind == "set":
        name = records[0].table.name
    else:
        name = _set_of(model, returned.name) or returned.name
    if returned.collection:
        shown = name if name != returned.name else f"Collection({name})"
        return f"{service_root}$metadata#{shown}"
    entity = name != returned.name
    return f"{service_root}$metadata#{name}{'/$entity' if entity else ''}"


def _set_of(model: Model, type_name: str) -> str | None:
    """The entity set (or singleton) holding entities of `type_name`, when exactly one does."""
    found = [t.name for t in [*model.tables.values(), *model.singletons.values()] if t.type_name == type_name]
    return found[0] if len(found) == 1 else None


def operation_json(model: Model, operation: Operation, result: Any, options: QueryOptions) -> dict[str, Any]:
    """The body of an operation's answer (without its context URL)."""
    returned = operation.return_type
    assert returned is not None
    if isinstance(result, Record):
        return entity_json(model, result, options)
    if isinstance(result, list) and result and all(isinstance(r, Record) for r in result):
        return {"value": [entity_json(model, r, options) for r in result]}
    if not returned.collection and returned.name in model.structured:
        if not isinstance(result, dict):
            raise ODataFailure(500, f"The handler of {operation.qualified_name} returned no object.")
        return result
    return {"value": result}
