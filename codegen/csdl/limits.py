"""Input limits: a hostile $metadata document is refused in seconds, never parsed for minutes or until memory runs out.

Each limit is far above what real services publish (Microsoft Graph v1.0: 3.5 MB, 42,000 elements, elements
nested 16 deep, inheritance chains 4 deep) and is reported with its name, so a user who meets one knows what to
raise. They are module constants on purpose: one place to read, one place to change.
"""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ELEMENTS = 1_000_000
MAX_ELEMENT_DEPTH = 64  # XML nesting; annotation values are read recursively
# Base-type chains: each level is a module that imports its base's module when imported, so a deep chain
# would also exhaust Python's recursion limit when the generated package is imported.
MAX_INHERITANCE_DEPTH = 32
MAX_FACET_VALUE = 2**31 - 1  # MaxLength, Precision, Scale, SRID
