"""What a client call sends and how its answer is read: the I/O-free half shared by sync and async clients.

Each function here builds a request (URL, headers, JSON body) or reads a decoded response; the entity-set
and client classes only add the I/O, so both flavours behave identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import httpx

from ..conversion import structure, unstructure
from ..errors import DeserializationError
from ..model import ODataModel
from ..query import Query, QueryType, key_predicate
from ..query.keys import Key
from ..query.options import Expandable, Selectable
from ..unset import UNSET
from .errors import ClientValidationError, MalformedResponseError, Scrubber, clip, redact_url
from .exchange import read_json
from .paths import OperationCall as OperationCall, operation_call as operation_call  # built there; re-exported


class ResponseDeserializationError(MalformedResponseError, DeserializationError):
    """A response whose payload does not fit the generated types: both an `ODataError` (with the request's
    method and URL) and the converter's `DeserializationError` (with `owner` and `path`); secrets scrubbed."""

    def __init__(self, cause: DeserializationError, scrub: Scrubber, response: httpx.Response | None) -> None:
        reason = scrub(cause.reason) or ""
        self.reason, self.owner, self.path = reason, cause.owner, cause.path
        where = ".".join((cause.owner, *cause.path)) if cause.owner else ""
        request = response.request if response is not None else None
        MalformedResponseError.__init__(
            self,
            f"{where}: {reason}" if where else reason,
            status=response.status_code if response is not None else None,
            method=request.method if request is not None else None,
            url=redact_url(request.url) if request is not None else None,
        )


def structure_response(data: Any, cls: Any, scrub: Scrubber, response: httpx.Response | None = None) -> Any:
    """`structure(data, cls)`; a payload that does not fit is a `ResponseDeserializationError`.

    The converter's message may quote the value it refused (which may be a secret a server echoed): it is
    scrubbed, and the original is not kept as `__cause__` or `__context__`.
    """
    try:
        return structure(data, cls)
    except DeserializationError as error:
        failure = ResponseDeserializationError(error, scrub, response)
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        failure = ResponseDeserializationError(DeserializationError(type(error).__name__), scrub, response)
    raise failure


class KeyTypeError(ClientValidationError, TypeError):
    """A key of a type no key can have (a float, bytes, an arbitrary object): also a `TypeError`."""


def check_key(key: Key | None, owner: str) -> None:
    """Refuses a key that would address the wrong thing before anything is sent: None would read or change
    the whole set, an empty string or mapping is no key, and a value of the wrong type no key either."""
    if key is None:
        raise ClientValidationError(f"{owner}: the key is None; give the entity's key (or the entity)")
    if isinstance(key, (str, Mapping)) and not key:
        raise ClientValidationError(f"{owner}: the key is empty")
    if isinstance(key, Mapping) and any(isinstance(v, str) and not v for v in key.values()):
        raise ClientValidationError(f"{owner}: a part of the key is empty")
    problem: Exception | None = None
    try:
        key_predicate(key)
    except TypeError as error:
        problem = KeyTypeError(f"{owner}: {clip(str(error), 200)}")
    except ValueError as error:
        problem = ClientValidationError(f"{owner}: {clip(str(error), 200)}")
    if problem is not None:
        raise problem


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


def entity_options(root: type[QueryType], expand: Iterable[Expandable], select: Iterable[Selectable]) -> str:
    """The query string of a read by key: `$expand=...&$select=...`, "" for none."""
    query = Query(root)
    expand, select = tuple(expand), tuple(select)
    if expand:
        query = query.expand(*expand)
    if select:
        query = query.select(*select)
    return query.to_query_string()


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


def operation_result(response: httpx.Response, returns: Any, collection: bool, scrub: Scrubber | None = None) -> Any:
    scrub = scrub if scrub is not None else Scrubber(())
    if returns is None:
        return None
    return read_result(read_json(response, scrub), returns, collection, scrub, response)


def read_result(
    data: Any,
    returns: Any,
    collection: bool,
    scrub: Scrubber | None = None,
    response: httpx.Response | None = None,
) -> Any:
    """An operation's result: an entity or complex value, a collection (`value`), or a primitive (`value`)."""
    scrub = scrub if scrub is not None else Scrubber(())
    if returns is None or data is None:
        return None
    if collection:
        items = data.get("value", []) if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ResponseDeserializationError(DeserializationError("expected a JSON array"), scrub, response)
        return [structure_response(item, returns, scrub, response) for item in items]
    if isinstance(returns, type) and issubclass(returns, ODataModel):
        return structure_response(data, returns, scrub, response)
    return structure_response(data.get("value") if isinstance(data, dict) else data, returns, scrub, response)
