"""Collecting the warnings of one run: each kind of deviation is reported once, at its first place.

Real services repeat the same deviation thousands of times (a vendor attribute on every property), so a
warning is keyed by what it is about; later occurrences only count, and the count is added to the message.
"""

from __future__ import annotations

from .model import MetadataWarning


class WarningLog:
    def __init__(self) -> None:
        self._first: dict[str, MetadataWarning] = {}
        self._counts: dict[str, int] = {}

    def add(self, message: str, path: str, line: int | None, *, key: str | None = None) -> None:
        """Record a warning; another with the same `key` (default: the message) is counted, not repeated."""
        key = message if key is None else key
        if key in self._first:
            self._counts[key] += 1
            return
        self._first[key] = MetadataWarning(path, line, message)
        self._counts[key] = 1

    def warnings(self) -> tuple[MetadataWarning, ...]:
        found = []
        for key, warning in self._first.items():
            count = self._counts[key]
            if count > 1:
                warning = MetadataWarning(warning.path, warning.line, f"{warning.message} ({count} times, first here)")
            found.append(warning)
        return tuple(sorted(found, key=lambda w: (w.path, w.line or 0)))
