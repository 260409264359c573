"""The runtime that generated packages import: base model, wire conversion, errors.

The HTTP names (`AvalaApiAuth`, `BearerAuth`, the error classes, ...) are importable from here too; they
load on first use, so importing a generated model does not import httpx.
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from .converter import configure_converter, converter, make_converter, structure, unstructure
from .errors import DeserializationError
from .model import ODataModel, wire
from .unset import UNSET, Unset

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
    "make_converter",
    "structure",
    "unstructure",
    "wire",
]


if _TYPE_CHECKING:
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
else:

    _HTTP_NAMES = frozenset(__all__) - frozenset(globals())

    def __getattr__(name: str) -> _Any:
        if name in _HTTP_NAMES:
            return getattr(_importlib.import_module(".http", __name__), name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
