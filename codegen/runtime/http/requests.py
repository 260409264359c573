"""What a client call sends and how its answer is read: the I/O-free half shared by sync and async clients.

Each function here builds a request (URL, headers, JSON body) or reads a decoded response; the entity-set
and client classes only add the I/O, so both flavours behave identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import httpx

from ..converter import structure, unstructure
from ..model import ODataModel
from ..query import Query, QueryType, entity_path, format_literal, percent_encode
from ..query.options import Expandable, Selectable
from ..unset import UNSET
from .errors import ClientValidationError
from .jsonio import loads


@attrs.frozen
class Constraint:
    """What the CSDL says a property's value must satisfy: a MaxLength, or one of its allowed values."""

    max_length: int | None = None
    allowed: tuple[object, ...] = ()

    def check(self, owner: str, wire_name: str, value: object) -> None:
        if value is None:
            return
        if self.max_length is not None and isinstance(value, (str, bytes)) and len(value) > self.max_length:
            raise ClientValidationError(
                f"{owner}.{wire_name} is {len(value)} characters long; its MaxLength is {self.max_length}"
            )
        if self.allowed and value not in self.allowed:
            allowed = ", ".join(repr(v) for v in self.allowed)
            raise ClientValidationError(f"{owner}.{wire_name} must be one of {allowed}, not {value!r}")


def entity_url(
    entity_set: str, key: Any, root: type[QueryType], expand: Iterable[Expandable], select: Iterable[Selectable]
) -> str:
    query = Query(root)
    expand, select = tuple(expand), tuple(select)
    if expand:
        query = query.expand(*expand)
    if select:
        query = query.select(*select)
    return query.url(entity_set, key=key)


def patch_body(owner: str, changes: Mapping[str, Any], constraints: Mapping[str, Constraint]) -> dict[str, Any]:
    """The PATCH body: UNSET parameters left out, None as null, values checked, then written as OData JSON."""
    body: dict[str, Any] = {}
    for wire_name, value in changes.items():
        if value is UNSET:
            continue
        constraint = constraints.get(wire_name)
        if constraint is not None:
            constraint.check(owner, wire_name, value)
        body[wire_name] = unstructure(value)
    if not body:
        raise ValueError(f"patch() of {owner} needs at least one property to change")
    return body


def patch_headers(key: Any, etag: str | None, return_entity: bool, concurrency: bool) -> dict[str, str]:
    """If-Match: the given `etag`, else, where the CSDL declares optimistic concurrency, the entity's own."""
    headers: dict[str, str] = {}
    tag = etag if etag is not None else (_etag_of(key) if concurrency else None)
    if tag is not None:
        headers["If-Match"] = tag
    if return_entity:
        headers["Prefer"] = "return=representation"
    return headers


def _etag_of(key: Any) -> str | None:
    if isinstance(key, ODataModel):
        tag = key.instance_annotations.get("@odata.etag")
        return tag if isinstance(tag, str) else None
    return None


def create_body(entity: ODataModel) -> dict[str, Any]:
    """The POST body: the entity as OData JSON, without the annotations it may carry from a read."""
    data = unstructure(entity)
    return {k: v for k, v in data.items() if not k.startswith("@") or k == "@odata.type"}


@attrs.frozen
class OperationCall:
    """The request of an action (POST with the arguments as a JSON body) or a function (GET, arguments in the URL)."""

    method: str
    url: str
    body: dict[str, Any] | None


def operation_call(kind: str, path: str, arguments: Mapping[str, Any], bound_to: str | None) -> OperationCall:
    """`Dealers(1)/Ns.SetRadius` for a bound action; a function's arguments go in the URL: `Fn(a=1,b='x')`."""
    url = f"{bound_to}/{path}" if bound_to else path
    if kind == "action":
        return OperationCall("POST", url, {name: unstructure(value) for name, value in arguments.items()})
    written = ",".join(
        f"{name}={percent_encode(format_literal(_literal_value(value)))}" for name, value in arguments.items()
    )
    return OperationCall("GET", f"{url}({written})", None)


def _literal_value(value: Any) -> Any:
    if isinstance(value, ODataModel):
        raise TypeError("a structured value cannot be a function parameter in the URL; use a parameter alias")
    return value


def operation_result(response: httpx.Response, returns: Any, collection: bool) -> Any:
    return read_result(loads(response.content) if response.content else None, returns, collection)


def read_result(data: Any, returns: Any, collection: bool) -> Any:
    """An operation's result: an entity or complex value, a collection (`value`), or a primitive (`value`)."""
    if returns is None or data is None:
        return None
    if collection:
        items = data.get("value", []) if isinstance(data, dict) else data
        return [structure(item, returns) for item in items]
    if isinstance(returns, type) and issubclass(returns, ODataModel):
        return structure(data, returns)
    return structure(data.get("value") if isinstance(data, dict) else data, returns)
