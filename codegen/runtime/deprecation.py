"""What generated code marks deprecated elements with (PEP 702): mypy reports each use, the runtime warns.

Type checkers see `typing_extensions.deprecated` itself, the only decorator they recognise. At run time a
deprecated class warns when user code constructs it (`__init__`), not on every object the readers make
(`__new__`) or on each derived type's definition, as `typing_extensions.deprecated` would: a derived type
of a deprecated one is not deprecated, and reading a page of entities is not a use to warn about.

Deprecated properties are descriptors over the attrs field that stores them: mypy reports attribute reads
and writes only through a descriptor's deprecated `__get__`/`__set__` (a property with a setter loses its
getter's deprecation), so generated code declares those methods for type checkers and these classes do the
work, the runtime reading and writing the field itself without a warning.
"""

from __future__ import annotations

import functools
import warnings
from typing import TYPE_CHECKING, Any

import typing_extensions

from .unset import UNSET

if TYPE_CHECKING:
    from typing_extensions import deprecated as deprecated
else:

    class deprecated(typing_extensions.deprecated):
        """`typing_extensions.deprecated`, whose class form warns on construction only."""

        def __call__(self, arg):
            if not isinstance(arg, type):
                return super().__call__(arg)
            message, category, stacklevel = self.message, self.category, self.stacklevel
            original = arg.__init__

            @functools.wraps(original)
            def __init__(instance, *args, **kwargs):
                if type(instance) is arg:  # a derived type's own __init__ never comes here; attrs writes one
                    warnings.warn(message, category=category, stacklevel=stacklevel + 1)
                original(instance, *args, **kwargs)

            arg.__init__ = __init__
            arg.__deprecated__ = __init__.__deprecated__ = message
            return arg


class DeprecatedAttribute:
    """A deprecated property of a model: reads and writes the attrs field `field`, warning with `message`."""

    __slots__ = ("_field", "_message")

    def __init__(self, field: str, message: str) -> None:
        self._field = field
        self._message = message

    if not TYPE_CHECKING:  # the generated subclass declares the typed, deprecated forms

        def __get__(self, instance, owner=None):
            if instance is None:  # the class's own attribute, for introspection
                return self
            warnings.warn(self._message, DeprecationWarning, stacklevel=2)
            return getattr(instance, self._field)

        def __set__(self, instance, value):
            warnings.warn(self._message, DeprecationWarning, stacklevel=2)
            setattr(instance, self._field, value)


class DeprecatedPath:
    """A deprecated property of a query type: the path `inner` (a `query.Property`, `Nested`, ...) gives,
    with a warning."""

    __slots__ = ("_inner", "_message")

    def __init__(self, inner: Any, message: str) -> None:
        self._inner = inner
        self._message = message

    if not TYPE_CHECKING:  # the generated subclass declares the typed, deprecated form

        def __get__(self, instance, owner):
            warnings.warn(self._message, DeprecationWarning, stacklevel=2)
            return self._inner.__get__(instance, owner)


def warn_if_given(value: object, message: str) -> None:
    """Warn the caller of a generated method with `message` unless `value` is UNSET (a patch not given a
    deprecated property)."""
    if value is not UNSET:
        warnings.warn(message, DeprecationWarning, stacklevel=3)
