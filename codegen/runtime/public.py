"""The runtime names a generated package re-exports, so that a script imports from one place.

`from aimbase import AimbaseClient, QLead, desc, expand, NotFoundError, UNSET` works; the generator reads this
table when it writes a package's `__init__.py`. A name the schema itself uses (an entity type called `Query`)
stays the schema's, and the runtime's is then imported from `codegen.runtime` as before.
"""

from __future__ import annotations

_RUNTIME = (
    "AuthenticationError",
    "AvalaApiAuth",
    "AvalaApiLogin",
    "BadRequestError",
    "BearerAuth",
    "ClientValidationError",
    "ConflictError",
    "DeadlineExceededError",
    "DeserializationError",
    "ForbiddenError",
    "HTTPError",
    "HeaderAuth",
    "MalformedResponseError",
    "NotFoundError",
    "ODataError",
    "PagingError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseDeserializationError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UNSET",
    "UnsafeRedirectError",
    "Unset",
    "structure",
    "unstructure",
)
_QUERY = ("Query", "asc", "desc", "expand")

# Public name -> the runtime module it is imported from.
REEXPORTS: dict[str, str] = {name: "codegen.runtime" for name in _RUNTIME} | {
    name: "codegen.runtime.query" for name in _QUERY
}
