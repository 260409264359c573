"""`CheckedDict`: a JSON object whose values its maker has vetted for the fast JSON writer.

`jsonio.dumps` hands data to msgspec only after a walk proving that msgspec writes it byte for byte as our own
writer does; on a page of entities that walk costs a third of writing. The compiled writers (see `compiled`)
know most of what they put in an object is a `str`, an `int`, a `bool` or `None`, and return a `CheckedDict`
instead: `vetted` says its keys are `str` and every value is such a scalar or listed in `unchecked`, so the
walk looks only at those. Changing the dict through its own methods clears `vetted` (the walk then reads it
whole, as any dict); removing entries needs nothing, as walking values no longer there only costs time.
"""

from __future__ import annotations

from typing import Any


class CheckedDict(dict[str, Any]):
    """A dict a writer made; `vetted` with `unchecked` as described in the module docstring."""

    __slots__ = ("vetted", "unchecked")
    vetted: bool
    unchecked: list[Any]

    def __setitem__(self, key: str, value: Any) -> None:
        self.vetted = False
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.vetted = False
        super().update(*args, **kwargs)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.vetted = False
        return super().setdefault(key, default)

    def __ior__(self, other: Any) -> CheckedDict:  # type: ignore[override,misc]
        self.vetted = False
        return super().__ior__(other)


def is_vetted(value: CheckedDict) -> bool:
    """Whether `value` still holds only what its maker vetted (False for one built any other way)."""
    return getattr(value, "vetted", False)
