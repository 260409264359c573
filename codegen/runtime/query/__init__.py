"""Typed OData query building (work in progress).

For now this package holds only the literal layer, `codegen.runtime.query.literals`: every Edm primitive
value formatted as an OData URL literal (`format_literal`) and the final percent-encoding of a query option
value (`percent_encode`). The expression layer built on top of it will live here too.
"""
