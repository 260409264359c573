r"""OData identifiers (ABNF `odataIdentifier`, CSDL `SimpleIdentifier`): the one definition the runtime and the
generator share.

An identifier is a character of Unicode category L or Nl, or `_`, then up to 127 characters of categories L,
Nl, Nd, Mn, Mc, Pc or Cf (edm.xsd `TSimpleIdentifier`; the comments on the ABNF's `identifierCharacter`).
Python's `re` has no `\p{...}`, and `\w` is both too narrow (no combining marks, no connector punctuation
but `_`, no format characters: `Pc_‿⁀` would be refused) and too wide (`²` and `½` are category No).
The two classes are therefore written as code point ranges (`identifier_ranges`, Unicode 14.0, Python
3.11's unicodedata) instead of being scanned at run time: a scan of the 1.1 million code points takes
0.1-0.2 s, several times the import of a generated package, and a fixed table makes the generator and
every runtime accept exactly the same names, whichever Python runs them.

Safe in URLs: besides ASCII letters, digits and `_`, no character of these categories is ASCII, whitespace
or a control, so a name that matches cannot put `/ ? # ( ) ' , = @ $`, a space or a line break into a URL;
where a name is written into a URL its non-ASCII characters are percent-encoded as UTF-8.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from .identifier_ranges import FOLLOWING, LEADING

__all__ = ["IDENTIFIER", "MAX_LENGTH", "QUALIFIED_NAME", "is_identifier", "is_qualified_name"]

MAX_LENGTH: Final = 128


def _char_class(ranges: str) -> str:
    """`"41-5a 5f"` -> `"[A-Z_]"`. No character of the classes is special inside `[...]` (ASCII ones are
    letters, digits and `_`), so each stands for itself; escapes would only make compiling slower."""
    parts = []
    for item in ranges.split():
        first, dash, last = item.partition("-")
        parts.append(chr(int(first, 16)) + (dash + chr(int(last, 16)) if dash else ""))
    return f"[{''.join(parts)}]"


# Pattern text, to build larger patterns from; match with `fullmatch` (`$` would also allow a final "\n").
IDENTIFIER: Final = f"{_char_class(LEADING)}{_char_class(FOLLOWING)}{{0,{MAX_LENGTH - 1}}}"
# Namespace "." name, the namespace itself dotted identifiers (`Org.OData.Core.V1.Permission`).
QUALIFIED_NAME: Final = rf"{IDENTIFIER}(?:\.{IDENTIFIER})+"
# The same rules for ASCII text, where the classes are just these: most names are ASCII, and this pattern
# compiles in microseconds where the full one takes milliseconds.
_ASCII_IDENTIFIER: Final = f"[A-Za-z_][A-Za-z0-9_]{{0,{MAX_LENGTH - 1}}}"
_ASCII_QUALIFIED_NAME: Final = rf"{_ASCII_IDENTIFIER}(?:\.{_ASCII_IDENTIFIER})+"


def _fullmatch(pattern: str, text: str) -> bool:
    return _compiled(pattern).fullmatch(text) is not None


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # On first use, not on import: a pattern of the full classes takes some milliseconds to compile.
    return re.compile(pattern)


def is_identifier(value: object) -> bool:
    """Whether `value` is a str that is an OData simple identifier."""
    return isinstance(value, str) and _fullmatch(_ASCII_IDENTIFIER if value.isascii() else IDENTIFIER, value)


def is_qualified_name(value: object) -> bool:
    """Whether `value` is a str that is a namespace-qualified name (at least one `.`)."""
    return isinstance(value, str) and _fullmatch(_ASCII_QUALIFIED_NAME if value.isascii() else QUALIFIED_NAME, value)
