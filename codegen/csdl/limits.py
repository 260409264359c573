"""Input limits: a hostile $metadata document is refused in seconds, never parsed for minutes or until memory runs out.

Each limit is far above what real services publish (Microsoft Graph v1.0: 3.5 MB, 42,000 elements, elements
nested 16 deep, inheritance chains 4 deep) and is reported with its name, so a user who meets one knows what to
raise. They are module constants on purpose: one place to read, one place to change.
"""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Generation costs about 45 us per property (a field and a patch parameter; measured when black still ran, so now an upper bound) and 0.2-0.4 ms
# per type, so the worst case these limits allow (67 entity types of 1,990 properties, each with an entity set,
# plus 14,900 empty types) took about 12 s on a 2-core machine, and so did 1,000 entity types of 200 properties
# with their sets (200,000 elements, 11 MB, 550 MB of memory). At this limit, about ten times Graph, expect
# 25 s; one million elements took about a minute.
MAX_ELEMENTS = 400_000
MAX_ELEMENT_DEPTH = 64  # XML nesting; annotation values are read recursively
# Base-type chains: each level is a module that imports its base's module when imported, so a deep chain
# would also exhaust Python's recursion limit when the generated package is imported.
MAX_INHERITANCE_DEPTH = 32
MAX_FACET_VALUE = 2**31 - 1  # MaxLength, Precision, Scale, SRID
# Properties and navigation properties of one structured type, its base types' included (Graph's largest: 201).
# Each is a field of the generated class, and attrs builds a class in time quadratic in its fields.
MAX_MEMBERS_PER_TYPE = 2_000
# Items of one annotation Collection (Graph's largest: 21); AllowedValues are written out into the client.
MAX_ANNOTATION_ITEMS = 10_000
# Structured and enum types (Graph: 3,823): each is a module of its own, about 0.2 ms to render and format.
MAX_TYPES = 15_000
# What the client module holds, summed over its entity sets, since every set of a type repeats that type's
# patch parameters and bound operations: a few elements could otherwise ask for millions of lines.
MAX_CLIENT_ITEMS = 200_000  # patch parameters, bound and unbound operations and their parameters
MAX_CLIENT_ALLOWED_VALUES = 20_000  # AllowedValues checked by patch(), about 0.3 ms each to format
