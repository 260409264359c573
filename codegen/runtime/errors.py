"""Exceptions raised by the runtime."""

from __future__ import annotations


class DeserializationError(ValueError):
    """A server payload does not fit the generated types; the message names the property path."""

    def __init__(self, reason: str, *, owner: str = "", path: tuple[str, ...] = ()):
        self.reason = reason
        self.owner = owner
        self.path = path
        where = ".".join((owner, *path)) if owner else ""
        super().__init__(f"{where}: {reason}" if where else reason)

    @classmethod
    def at(cls, owner: type, wire_name: str, cause: Exception) -> DeserializationError:
        """Wrap `cause`, raised while reading `wire_name` of `owner`; nested paths read outside-in."""
        if isinstance(cause, DeserializationError):
            return cls(cause.reason, owner=owner.__name__, path=(wire_name, *cause.path))
        return cls(str(cause), owner=owner.__name__, path=(wire_name,))
