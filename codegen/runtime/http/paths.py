"""Where a request goes: resource paths below the service root, and operation calls on them (no I/O).

A `ResourcePath` is the percent-encoded path of an entity set (`People`), one entity (`People('x')`), a
singleton (`Me`), a navigation (`People('x')/Trips`), a type cast (`People('x')/NS.Employee`) or a function
call (`People('x')/NS.F(p=@p)`), with the parameter aliases (`@p=1`) that every request to it carries.
Each step is built from validated names only: a name from a hostile $metadata document cannot add `/`,
`?`, `#` or `..` to a URL.

Function parameters are always sent as aliases (`NS.F(p=@p)?@p=<literal>`): query options then follow
the aliases in the one query string, a function result stays composable, and structured or collection
values can be sent as JSON, which OData allows in an alias but not inline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..conversion import unstructure
from ..identifiers import is_identifier, is_qualified_name
from ..model import ODataModel
from ..query import format_literal, key_predicate, percent_encode
from ..query.keys import Key
from .errors import ClientValidationError, clip
from .jsonio import dumps
from .urls import path_segment


@attrs.frozen
class ResourcePath:
    """An encoded path relative to the service root, and the encoded aliases (`@p=1&@q=2`) it needs."""

    path: str
    aliases: str = ""

    @classmethod
    def named(cls, name: str, what: str = "entity set") -> ResourcePath:
        """The path of an entity set or singleton (or a function import's first segment)."""
        return cls(_segment(name, what, is_identifier))

    def child(self, name: str, what: str = "navigation property") -> ResourcePath:
        """One more segment: a navigation property (an identifier) or a type cast (a qualified name)."""
        check = _is_name if what == "type cast" else is_identifier
        return ResourcePath(f"{self.path}/{_segment(name, what, check)}", self.aliases)

    def keyed(self, key: Key) -> ResourcePath:
        """The entity with this key in the collection at this path: `People('x')`."""
        return ResourcePath(self.path + key_predicate(key), self.aliases)

    def url(self, query_string: str = "") -> str:
        """The relative URL: the path, then the aliases and `query_string` (`$filter=...`) in one query."""
        query = "&".join(part for part in (self.aliases, query_string) if part)
        return f"{self.path}?{query}" if query else self.path

    def count_url(self, query_string: str = "") -> str:
        """`path/$count?aliases&$filter=...`."""
        return ResourcePath(f"{self.path}/$count", self.aliases).url(query_string)


@attrs.frozen
class OperationCall:
    """The request of an action (POST with the arguments as a JSON body) or a function (GET, aliases)."""

    method: str
    target: ResourcePath
    body: dict[str, Any] | None

    @property
    def url(self) -> str:
        return self.target.url()


def operation_call(
    kind: str, name: str, arguments: Mapping[str, Any], bound_to: ResourcePath | None = None
) -> OperationCall:
    """`Set(1)/NS.Act` (POST, JSON body) or `Set/NS.F(a=@a,b=@b)?@a=1&@b='x'` (GET); unbound when `bound_to`
    is None (an import's name, `GetNearestAirport(lat=@lat,lon=@lon)?@lat=...`)."""
    if kind not in ("action", "function"):
        raise ClientValidationError(f"an operation is an action or a function, not {kind!r}")
    segment = _segment(name, "operation name", _is_name)
    path = f"{bound_to.path}/{segment}" if bound_to is not None else segment
    aliases = bound_to.aliases if bound_to is not None else ""
    if kind == "action":
        body = {wire: unstructure(value) for wire, value in arguments.items()}
        return OperationCall("POST", ResourcePath(path, aliases), body)
    for wire in arguments:
        if not isinstance(wire, str) or not is_identifier(wire):
            raise ClientValidationError(f"{clip(repr(wire), 100)} is not a parameter name (an OData identifier)")
    inline = ",".join(f"{wire}=@{wire}" for wire in arguments)
    # An alias of an outer path could be redefined by this call's parameter: the outer one wins, so refuse.
    written = [f"@{wire}={alias_value(value)}" for wire, value in arguments.items()]
    outer = {part.partition("=")[0] for part in aliases.split("&") if part}
    if any(f"@{wire}" in outer for wire in arguments):
        raise ClientValidationError(f"a parameter alias of {name} repeats one of the path it is bound to")
    return OperationCall("GET", ResourcePath(f"{path}({inline})", "&".join(p for p in (aliases, *written) if p)), None)


def alias_value(value: Any) -> str:
    """A parameter alias's value, percent-encoded: a typed literal (`'x'`, `2024-01-01`, `NS.Color'Red'`),
    or JSON for a structured value or a collection (`{"City":"Oslo"}`, `[1,2]`), as OData allows in aliases."""
    if isinstance(value, (ODataModel, list, tuple, dict, frozenset, set)):
        # The runtime's JSON writer: Decimal and Int64 values stay exact, as in request bodies.
        text = dumps(unstructure(list(value) if isinstance(value, (tuple, set, frozenset)) else value))
        return percent_encode(text.decode("utf-8"))
    try:
        return percent_encode(format_literal(value))
    except (TypeError, ValueError) as error:
        raise ClientValidationError(f"a function parameter: {clip(str(error), 200)}") from None


def cast_path(path: ResourcePath, base: type[Any], derived: type[Any], type_name: str) -> ResourcePath:
    """`path/NS.Derived`: refuses a cast to a type that does not derive from the one at `path`."""
    if not (isinstance(derived, type) and issubclass(derived, base)):
        shown = getattr(derived, "__name__", repr(derived))
        raise ClientValidationError(f"cannot cast {base.__name__} to {clip(shown, 100)}: it does not derive from it")
    return path.child(type_name, "type cast")


def _is_name(text: str) -> bool:
    """An identifier (a function import) or a qualified name (`NS.Op`, `NS.Derived`)."""
    return is_identifier(text) or is_qualified_name(text)


def _segment(name: str, what: str, check: Callable[[str], bool]) -> str:
    if not isinstance(name, str) or not check(name):
        raise ClientValidationError(f"{clip(repr(name), 100)} is not a {what} (an OData identifier)")
    return path_segment(name, what)
