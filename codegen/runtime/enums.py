"""Enumeration values in OData JSON <-> Python enum members, and the wire form of those read from a server.

A member arrives as its name (`"Red"`), as its number (`"2"`, `2`), and a flags value as names and numbers
joined by commas (`"Read,Write"`, `"Read, Write"`, `"ReadWrite"`, `"3"`): OData JSON 4.01 section 7.1, ABNF
`enumValue`. The standard form written for a member is its name, for a flags value the fewest names that
cover its bits (`"Read,Write"`).

Enum members are singletons, so unlike the `Wire*` values of `edm` they cannot carry their wire text
themselves. The object that holds them does: `Received` is the set of properties the server sent
(`ODataModel._odata_present`) together with the form of each enum value that the standard writer would not
reproduce. While a property still holds the member read, it is written back in that form; a changed value,
and any value built in Python, is written in the standard form.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from . import edm

_INT_TEXT: Final = re.compile(r"[+-]?[0-9]{1,19}")


def read_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    # A member may also arrive as its number, as a string ("1", "3" for flags) or a JSON number.
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else edm.read_str(value)
    names: dict[str, str] | None = getattr(cls, "__odata_wire__", None)
    if names is None and _INT_TEXT.fullmatch(text) and getattr(cls, "__odata_values__", None) is None:
        raise ValueError(f"{text!r} is a number, and {cls.__name__} has no __odata_values__ to map it to a member")
    try:
        if names is None:
            return _single_enum_member(cls, text)
        # Flags arrive as "Read,Write" (commas, optional spaces); see OData JSON 7.1. A part may
        # also be a number (singleEnumValue = enumerationMember / int64Value), as written for a
        # zero value that has no member.
        by_wire = {wire: cls[member] for member, wire in names.items()}
        result = cls(0)
        for part in filter(None, (p.strip() for p in text.split(","))):
            flag = cls(int(part)) if _INT_TEXT.fullmatch(part) else by_wire[part]
            result |= flag  # type: ignore[operator]
        return result
    except (KeyError, ValueError):
        raise ValueError(f"{text[:40]!r} is not a member of {cls.__name__}") from None


def _single_enum_member(cls: type[enum.Enum], text: str) -> enum.Enum:
    if not _INT_TEXT.fullmatch(text):
        return cls(text)
    # The member values of a non-flags enum are its wire names; `__odata_values__` (member name -> the
    # number CSDL gives it) maps a number back to its member.
    values: Mapping[str, int] = getattr(cls, "__odata_values__")
    number = int(text)
    for name, member_value in values.items():
        if member_value == number:
            return cls[name]
    raise KeyError(text)


def enum_wire_value(member: enum.Enum) -> str:
    """The standard form of `member`: its wire name, or for flags the fewest names covering its bits."""
    names: dict[str, str] | None = getattr(type(member), "__odata_wire__", None)
    if names is None:
        return str(member.value)
    flags = [(type(member)[name], wire) for name, wire in names.items()]
    # Fewest bits first, and only members adding bits not yet covered: READ|WRITE is written
    # "Read,Write", not "Read,Write,ReadWrite"; output keeps declaration order.
    chosen: set[str] = set()
    covered = 0
    for flag, wire in sorted(flags, key=lambda fw: bin(fw[0].value).count("1")):
        if flag.value and flag in member and flag.value & ~covered:  # type: ignore[operator]
            chosen.add(wire)
            covered |= flag.value
    parts = [wire for _flag, wire in flags if wire in chosen]
    zero = [wire for flag, wire in flags if flag.value == 0]
    # A zero value with no member of its own has only the numeric form (ABNF enumMemberValue).
    return ",".join(parts) or (zero[0] if zero else "0")


@attrs.frozen
class Sent:
    """An enum member and the JSON value it was read from ("ReadWrite", "3", 2), where that is not its
    standard form."""

    member: enum.Enum
    wire: str | int


# What is remembered of one property: its single value, or per item of a collection (None: standard form).
Form = Sent | tuple[Sent | None, ...]


def sent_form(received: Any, value: Any) -> Form | None:
    """What to remember of a property's `received` JSON value, read as `value`; None when nothing differs
    from what the standard writer gives."""
    if isinstance(value, list) and isinstance(received, list):
        items = tuple(_sent(item_received, item) for item_received, item in zip(received, value))
        return items if any(items) else None
    return _sent(received, value)


def _sent(received: Any, value: Any) -> Sent | None:
    if isinstance(value, enum.Enum) and received != enum_wire_value(value):  # 2 != "Green" too
        return Sent(value, received)
    return None


def written(value: Any, form: Form, write: Callable[[Any], Any]) -> Any:
    """`value` as JSON: in the form it was read while it is the member read, else as `write` gives it."""
    if isinstance(form, Sent):
        return form.wire if value is form.member else write(value)
    if not isinstance(value, list):
        return write(value)
    # Item by item: an item changed, added or removed is written in the standard form, the others as read.
    return [_written_item(item, form[index] if index < len(form) else None, write) for index, item in enumerate(value)]


def _written_item(item: Any, sent: Sent | None, write: Callable[[Any], Any]) -> Any:
    return sent.wire if sent is not None and item is sent.member else write(item)


class Received(frozenset[str]):
    """The wire names of the properties a server sent, and `forms`: wire name -> the form of its enum value(s),
    for those sent in a form the standard writer would not give back."""

    __slots__ = ("forms",)
    forms: Mapping[str, Form]

    def __new__(cls, names: Iterable[str], forms: Mapping[str, Form]) -> Received:
        received = super().__new__(cls, names)
        received.forms = forms
        return received

    def __reduce__(self) -> tuple[Any, ...]:
        # frozenset's own pickling (also behind copy.deepcopy) would drop `forms`.
        return (Received, (frozenset(self), self.forms))
