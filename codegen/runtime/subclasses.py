"""User subclasses of generated models: registered once, built wherever the server sends the generated type.

    @register_subclass
    class MyLead(aimbase.Lead):
        @property
        def label(self) -> str: ...

From then on every reader builds `MyLead` where it would have built `Lead`: entity sets, `$expand`-ed and
navigated properties, operation results, `structure(data, Lead)`. This module is the one place that says which
class stands for which; the compiled readers (`compiled.Specialiser`) ask it when they compile a reader, and are
told to drop the reader they compiled when a registration comes after one was compiled, so a late
registration takes effect from the next object read (objects read before stay what they were).

A registered subclass may add methods, properties and wire fields (`attrs.field(metadata=wire("Extra"))`, for a
property the schema does not declare); it may not add other attrs fields, which no reader could fill, nor set
`__odata_type__`. A derived type (`SpecialLead`) is not covered by its base's registration: register one for it.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol, TypeVar

import attrs

from .model import ODataModel, fields_by_attribute, generated_class

M = TypeVar("M", bound=type[ODataModel])

_lock = threading.Lock()
_REGISTERED: dict[type[ODataModel], type[ODataModel]] = {}  # generated class -> the user's subclass


class _ReaderCache(Protocol):
    def forget(self, cls: type[ODataModel]) -> None: ...


_CACHES: weakref.WeakSet[_ReaderCache] = weakref.WeakSet()


def register_subclass(cls: M) -> M:
    """Make `cls`, a subclass of a generated model, the class the runtime reads that model's data as; returns
    `cls`, so it serves as a class decorator. Registering the same class again does nothing; registering another
    for the same generated class raises TypeError, as does a class that cannot stand in for its base."""
    generated = _generated_base(cls)
    _check_fields(cls, generated)
    with _lock:
        current = _REGISTERED.get(generated)
        if current is cls:
            return cls
        if current is not None:
            raise TypeError(
                f"{generated.__qualname__} already has the registered subclass {_name(current)}, so {_name(cls)} "
                "cannot be registered: one subclass per generated type"
            )
        _REGISTERED[generated] = cls
        caches = list(_CACHES)
    for cache in caches:  # readers compiled before now build the generated class: compile them anew
        cache.forget(generated)
    return cls


def registered(cls: type[ODataModel]) -> type[ODataModel]:
    """The class data of type `cls` is read as: its registered subclass, or `cls` itself."""
    return _REGISTERED.get(cls, cls)


def watch(cache: _ReaderCache) -> None:
    """Tell `cache` (held weakly) of each later registration, so it drops the reader of that generated class."""
    with _lock:
        _CACHES.add(cache)


def _generated_base(cls: object) -> type[ODataModel]:
    if not (isinstance(cls, type) and issubclass(cls, ODataModel)):
        raise TypeError(f"register_subclass takes a subclass of a generated model, not {cls!r}")
    if "__odata_type__" in vars(cls):
        raise TypeError(
            f"{_name(cls)} sets __odata_type__: it is a generated class, or a subclass that would pose as another "
            "type; register a subclass that keeps the __odata_type__ of the generated class it extends"
        )
    generated = generated_class(cls)
    if generated is cls:  # nothing in its MRO but ODataModel sets __odata_type__
        raise TypeError(f"{_name(cls)} does not derive from a generated model (a class setting __odata_type__)")
    return generated


def _check_fields(cls: type[ODataModel], generated: type[ODataModel]) -> None:
    allowed = {field.name for field in attrs.fields(generated)} | fields_by_attribute(cls)
    for field in attrs.fields(cls):
        if field.name not in allowed:
            raise TypeError(
                f"{_name(cls)}.{field.name} is an attrs field without wire metadata, which no reader fills; "
                "make it a property, or a wire field (metadata=wire(...))"
            )


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
