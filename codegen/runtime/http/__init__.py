"""HTTP for generated clients: errors, auth, sessions with retries and paging (built on httpx)."""

from .auth import AvalaApiAuth, AvalaApiLogin, BearerAuth, HeaderAuth
from .client import AsyncServiceClient, ServiceClient
from .entity_set import AsyncEntityQuery, AsyncEntitySet, EntityPage, EntityQuery, EntitySet
from .errors import (
    AuthenticationError,
    BadRequestError,
    ClientValidationError,
    ConflictError,
    DeadlineExceededError,
    ForbiddenError,
    HTTPError,
    MalformedResponseError,
    NotFoundError,
    ODataError,
    PagingError,
    PreconditionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
    UnsafeRedirectError,
)
from .observe import Exchange, Observer
from .options import RequestOptions, RequestPreview
from .requests import ResponseDeserializationError
from .requests import Constraint
from .retry import RetryPolicy
from .session import AsyncSession, Session

__all__ = [
    "AsyncEntityQuery",
    "AsyncEntitySet",
    "AsyncServiceClient",
    "AsyncSession",
    "AuthenticationError",
    "AvalaApiAuth",
    "AvalaApiLogin",
    "BadRequestError",
    "BearerAuth",
    "ClientValidationError",
    "ConflictError",
    "DeadlineExceededError",
    "Constraint",
    "EntityPage",
    "EntityQuery",
    "EntitySet",
    "Exchange",
    "ForbiddenError",
    "HTTPError",
    "HeaderAuth",
    "MalformedResponseError",
    "NotFoundError",
    "ODataError",
    "Observer",
    "PagingError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RequestOptions",
    "RequestPreview",
    "RequestTimeoutError",
    "ResponseDeserializationError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "ServiceClient",
    "Session",
    "TransportError",
    "UnsafeRedirectError",
]
