"""A local OData V4 sandbox driven by a spec's CSDL, so generated clients can be tested over real HTTP.

Entity sets become SQLite tables filled with deterministic seed data; the app answers `$metadata`, the
service document, collections (`$filter` through odata-query, `$expand`, `$select`, `$orderby`, `$top`,
`$skip`, `$count`, `$search`, server-driven paging with `Prefer: odata.maxpagesize`), single entities,
`/$count` and PATCH of editable properties, singletons, navigation paths (containment too), type casts,
and actions and functions (a registered handler, or a generic echo), behind the spec's login and auth
scheme, with optional faults.

    from codegen.sandbox import Faults, create_app, running_sandbox, serve

    with running_sandbox(spec, rows=500, seed=1, page_size=100) as base_url:
        ...

Needs the `sandbox` extra: `pip install 'odata-codegen[sandbox]'` (starlette, uvicorn, odata-query).
"""

from __future__ import annotations

from .app import Sandbox, create_app
from .faults import Faults
from .operations import OperationCall
from .seed import Flavour
from .server import DEFAULT_ROWS, DEFAULT_SEED, SandboxServer, running_sandbox, serve

__all__ = [
    "DEFAULT_ROWS",
    "DEFAULT_SEED",
    "Faults",
    "Flavour",
    "OperationCall",
    "Sandbox",
    "SandboxServer",
    "create_app",
    "running_sandbox",
    "serve",
]
