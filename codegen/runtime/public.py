"""The runtime names a generated package re-exports, so that a script imports from one place.

`from aimbase import AimbaseClient, QLead, desc, expand, NotFoundError, UNSET` works; the generator reads this
table when it writes a package's `__init__.py`. A name the schema itself uses (an entity type called `Query`)
stays the schema's, and the runtime's is then imported from `codegen.runtime` as before.
"""

from __future__ import annotations

from . import __all__ as _RUNTIME_NAMES

# What generated code builds on, not what a script calls: left in codegen.runtime.
_FOR_GENERATED_CODE = frozenset(
    {
        "AsyncServiceClient",
        "DeprecatedAttribute",
        "DeprecatedPath",
        "ODataModel",
        "ServiceClient",
        "configure_converter",
        "converter",
        "deprecated",
        "make_converter",
        "warn_if_given",
        "wire",
    }
)
# Registration is for the user's own modules, which import it from codegen.runtime: it is one registry for every
# package, which a name in each package's namespace would hide.
_FOR_USER_MODULES = frozenset({"register_subclass"})
_QUERY = ("Query", "asc", "desc", "expand")

# Public name -> the runtime module it is imported from.
REEXPORTS: dict[str, str] = {
    **{name: "codegen.runtime" for name in _RUNTIME_NAMES if name not in _FOR_GENERATED_CODE | _FOR_USER_MODULES},
    **{name: "codegen.runtime.query" for name in _QUERY},
}
