"""Python names for OData names: deterministic, valid, and never clashing.

The rules do not depend on the Python version running the generator (the
builtin list is fixed here), so output is identical on every machine.
"""

from __future__ import annotations

import keyword
import re

# Lower-case builtins of Python 3.11, fixed so output never depends on the running interpreter.
# `id` and `type` stay usable, as in openapi-python-client: they are the natural names and
# shadowing them inside a generated class body is harmless.
_BUILTINS = frozenset(
    "abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile "
    "complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset "
    "getattr globals hasattr hash help hex input int isinstance issubclass iter len license list locals map "
    "max memoryview min next object oct open ord pow print property quit range repr reversed round set "
    "setattr slice sorted staticmethod str sum super tuple vars zip".split()
)
BUILTINS = _BUILTINS
_KEYWORDS = frozenset(keyword.kwlist) | {"match", "case", "_"}
# Attributes every generated class inherits from codegen.runtime.ODataModel.
MODEL_ATTRIBUTES = frozenset({"dynamic_properties", "instance_annotations"})
# Attribute names a generated class cannot use: `self` is its __init__'s first parameter.
RESERVED_ATTRIBUTES = MODEL_ATTRIBUTES | {"self"}

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z]+")


def words(name: str) -> list[str]:
    """`FIPSCode` -> ['FIPS', 'Code']; `request-id` -> ['request', 'id']; `ZIP4` -> ['ZIP4']."""
    return [w for part in _NOT_IDENTIFIER.split(name) for w in _WORD_BOUNDARY.split(part) if w]


def snake_case(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


def pascal_case(name: str) -> str:
    return "".join(w[0].upper() + w[1:] for w in words(name))


def upper_snake_case(name: str) -> str:
    return snake_case(name).upper()


def _valid(name: str, fallback_prefix: str) -> str:
    if not name:
        return fallback_prefix.rstrip("_")
    return f"{fallback_prefix}{name}" if name[0].isdigit() else name


def attribute_name(name: str) -> str:
    """A snake_case attribute for a property, with keywords and builtins fixed by a trailing `_`."""
    result = _valid(snake_case(name), "field_")
    return f"{result}_" if result in _KEYWORDS or result in _BUILTINS or result in RESERVED_ATTRIBUTES else result


def private_name(attribute: str) -> str:
    """The private field under a (deprecated) public attribute. A prefix of its own: `_x` would shadow, in the
    class body, the module aliases generated code uses (`_attrs`, `_rt`, `_dt`, ...) and the runtime's
    `_odata_present`; `_dep_` starts none of them, and a prefix keeps distinct attributes distinct."""
    return f"_dep_{attribute}"


def class_name(name: str) -> str:
    result = _valid(pascal_case(name), "Type")
    return f"{result}_" if result in _KEYWORDS else result


def module_name(name: str) -> str:
    result = _valid(snake_case(name), "m_")
    return f"{result}_" if result in _KEYWORDS else result


def enum_member_name(name: str) -> str:
    return _valid(upper_snake_case(name), "V_")


class NameAllocator:
    """Hands out unique names: the first to ask gets the plain name, later ones a numeric suffix."""

    def __init__(
        self, taken: frozenset[str] | set[str] = frozenset(), *, fold_case: bool = False, separator: str = "_"
    ):
        self._fold = fold_case
        self._separator = separator
        self._taken = {self._key(n) for n in taken}
        # preferred name -> the last suffix handed out for it: thousands of names that all map to `a`
        # (`a`, `a_`, `aα`, ...) then cost linear, not quadratic, time.
        self._last_suffix: dict[str, int] = {}

    def _key(self, name: str) -> str:
        return name.lower() if self._fold else name

    def allocate(self, preferred: str) -> str:
        candidate, number = preferred, self._last_suffix.get(self._key(preferred), 1)
        while self._key(candidate) in self._taken:
            number += 1
            separator = "" if preferred.endswith("_") else self._separator
            candidate = f"{preferred}{separator}{number}"
        self._last_suffix[self._key(preferred)] = number
        self._taken.add(self._key(candidate))
        return candidate

    def is_taken(self, name: str) -> bool:
        return self._key(name) in self._taken
