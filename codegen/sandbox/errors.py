"""OData JSON error responses: `{"error": {"code", "message", "target"?}}` with the status they belong to."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from ..runtime.http.jsonio import dumps

__all__ = [
    "ODATA_HEADERS",
    "ODataFailure",
    "error_response",
    "json_bytes_response",
    "json_object",
    "json_response",
    "shown",
]

ODATA_HEADERS: Mapping[str, str] = {"OData-Version": "4.0"}
MAX_MESSAGE_CHARS = 500
JSON_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"

_CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    414: "URITooLong",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    500: "InternalServerError",
    501: "NotImplemented",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


class ODataFailure(Exception):
    """Raised by a handler to answer with an OData error."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        target: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.target = target
        self.code = code or _CODES.get(status, str(status))
        self.headers = dict(headers or {})


def json_response(body: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return json_bytes_response(dumps(body), status, headers)


def json_bytes_response(content: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """An OData JSON response whose body is already written."""
    return Response(content, status, headers={**ODATA_HEADERS, **(headers or {})}, media_type=JSON_TYPE)


def json_object(members: list[tuple[str, bytes]]) -> bytes:
    """A JSON object from its members' names and their values' JSON text, in order."""
    return b"{" + b",".join(dumps(name) + b":" + value for name, value in members) + b"}"


def error_response(failure: ODataFailure) -> Response:
    error: dict[str, str] = {"code": failure.code, "message": shown(failure.message)}
    if failure.target is not None:
        error["target"] = shown(failure.target)
    return json_response({"error": error}, failure.status, failure.headers)


def shown(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` fit for an error body: at most `limit` characters (messages quote what the client sent, which
    may be a megabyte), lone surrogates replaced so that it can be written as UTF-8."""
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text) - limit} more characters)"
    return text.encode("utf-8", "replace").decode("utf-8")
