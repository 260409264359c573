"""UNSET: the default of optional parameters that must stay distinct from None (which sends JSON null)."""

from __future__ import annotations

import enum
from typing import Final


class Unset(enum.Enum):
    """The type of UNSET; an enum so type checkers can narrow `x is UNSET` (PEP 484 singleton pattern)."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET
