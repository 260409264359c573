"""The runtime that generated packages import: base model, wire conversion, errors.

Every name loads on first use: importing a generated package (which checks `codegen.runtime.version` first)
imports neither cattrs nor httpx, and a model imports only the model and conversion half, not the HTTP one
(`AvalaApiAuth`, `BearerAuth`, the error classes, ...).
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

__all__ = [
    "AsyncServiceClient",
    "AuthenticationError",
    "AvalaApiAuth",
    "AvalaApiLogin",
    "BadRequestError",
    "BearerAuth",
    "ClientValidationError",
    "ConflictError",
    "DeadlineExceededError",
    "DeprecatedAttribute",
    "DeprecatedPath",
    "DeserializationError",
    "ForbiddenError",
    "HTTPError",
    "HeaderAuth",
    "MalformedResponseError",
    "NotFoundError",
    "ODataError",
    "ODataModel",
    "PagingError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseDeserializationError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "ServiceClient",
    "TransportError",
    "UnsafeRedirectError",
    "UNSET",
    "Unset",
    "configure_converter",
    "converter",
    "deprecated",
    "make_converter",
    "register_subclass",
    "structure",
    "unstructure",
    "warn_if_given",
    "wire",
]


if _TYPE_CHECKING:
    from .conversion import configure_converter, converter, make_converter, structure, unstructure
    from .deprecation import DeprecatedAttribute, DeprecatedPath, deprecated, warn_if_given
    from .errors import DeserializationError
    from .http import (
        AsyncServiceClient,
        AuthenticationError,
        AvalaApiAuth,
        AvalaApiLogin,
        BadRequestError,
        BearerAuth,
        ClientValidationError,
        ConflictError,
        DeadlineExceededError,
        ForbiddenError,
        HeaderAuth,
        HTTPError,
        MalformedResponseError,
        NotFoundError,
        ODataError,
        PagingError,
        PreconditionFailedError,
        RateLimitedError,
        RequestTimeoutError,
        ResponseDeserializationError,
        ResponseTooLargeError,
        RetryPolicy,
        ServerError,
        ServiceClient,
        TransportError,
        UnsafeRedirectError,
    )
    from .model import ODataModel, wire
    from .subclasses import register_subclass
    from .unset import UNSET, Unset
else:
    _HOMES = {
        **dict.fromkeys(
            ("configure_converter", "converter", "make_converter", "structure", "unstructure"), ".conversion"
        ),
        "DeserializationError": ".errors",
        **dict.fromkeys(("DeprecatedAttribute", "DeprecatedPath", "deprecated", "warn_if_given"), ".deprecation"),
        **dict.fromkeys(("ODataModel", "wire"), ".model"),
        "register_subclass": ".subclasses",
        **dict.fromkeys(("UNSET", "Unset"), ".unset"),
    }

    def __getattr__(name: str) -> _Any:
        if name not in __all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        home = _HOMES.get(name, ".http")
        module = _importlib.import_module(home, __name__)
        # Bind every name of that module now, so later lookups are plain attributes, and so that the
        # `converter` object, not the `converter` submodule the import just bound here, is what the name means.
        for other in __all__:
            if _HOMES.get(other, ".http") == home:
                globals()[other] = getattr(module, other)
        return globals()[name]
