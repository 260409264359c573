"""Input limits of the sandbox, and the strict readers that enforce them, so that hostile requests are answered
with a 4xx OData error instead of a 500, a hang or a dropped connection.

Everything here is checked *before* the recursive code (odata-query's AST, our SQL translator, Python's JSON
decoder, the `$expand` reader) sees the input: nesting is counted by a flat scan, never by recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from starlette.requests import Request

from ..runtime.http.jsonio import loads
from .errors import ODataFailure

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_EXPANDED_RECORDS",
    "MAX_EXPAND_DEPTH",
    "MAX_EXPRESSION_DEPTH",
    "MAX_HEADER_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_LOGIN_BODY_BYTES",
    "MAX_URL_BYTES",
    "check_nesting",
    "unquoted",
    "check_no_surrogates",
    "decode_component",
    "read_json_body",
]

MAX_URL_BYTES: Final = 64 * 1024  # path and query string together, as sent (percent-encoded)
# What uvicorn (h11) buffers for a request line and headers; beyond it h11 answers a plain 400 itself. It is
# larger than MAX_URL_BYTES so that a long URL still reaches the sandbox and gets an OData 414.
MAX_HEADER_BYTES: Final = 2 * 1024 * 1024
MAX_BODY_BYTES: Final = 1024 * 1024  # a PATCH body
MAX_LOGIN_BODY_BYTES: Final = 64 * 1024
MAX_JSON_DEPTH: Final = 64  # arrays and objects within each other in a request body
# Parentheses, and operators within each other, in one $filter or $orderby expression. Our SQL translator
# recurses once or twice per level, so this keeps far below Python's recursion limit. An `or` chain of n
# terms is n deep.
MAX_EXPRESSION_DEPTH: Final = 100
MAX_EXPAND_DEPTH: Final = 8  # $expand=A($expand=B(...)) levels
MAX_EXPANDED_RECORDS: Final = 100_000  # entities expanded into one response (cyclic expands multiply)

_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_component(raw: bytes, what: str, *, plus_is_space: bool = False) -> str:
    """Percent-decoded `raw` (a path, or a query name or value) as UTF-8; a 400 for a stray `%` or bytes
    that are not UTF-8 (which includes encoded surrogates such as `%ED%A0%80`)."""
    if _PERCENT.search(raw):
        raise ODataFailure(400, f"The {what} holds a '%' that does not start a percent-encoded byte.")
    if plus_is_space:
        raw = raw.replace(b"+", b" ")
    decoded = re.sub(rb"%([0-9A-Fa-f]{2})", lambda match: bytes([int(match[1], 16)]), raw)
    try:
        return decoded.decode("utf-8")
    except UnicodeDecodeError:
        raise ODataFailure(400, f"The {what} is not UTF-8 once percent-decoded.") from None


def unquoted(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of `text` outside single-quoted strings, the quotes left out.

    A doubled `''` inside a string closes and reopens it, so the state comes out right; a string left open
    is one with an odd number of quotes.
    """
    quoted = False
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted:
            yield index, char


def check_nesting(text: str, what: str, limit: int = MAX_EXPRESSION_DEPTH) -> None:
    """A 400 when parentheses outside single-quoted strings nest deeper than `limit` in `text`."""
    depth = 0
    for _, char in unquoted(text):
        if char == "(":
            depth += 1
            if depth > limit:
                raise ODataFailure(400, f"{what} nests parentheses more than {limit} deep.", target=what)
        elif char == ")":
            depth -= 1


async def read_json_body(request: Request, limit: int, *, empty: Any = ...) -> Any:
    """The request body parsed as JSON, reading at most `limit` bytes: 413 when it is larger, 400 when it is
    not UTF-8 JSON, nests deeper than MAX_JSON_DEPTH or holds a lone surrogate (`"\\ud800"`). An empty body
    is `empty` when that is given (an action without parameters may be sent none)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.strip() and empty is not ...:
        return empty
    return parse_json(data)


def parse_json(data: bytes, what: str = "request body") -> Any:
    """`data` as JSON (numbers with a fraction as `Decimal`), with the checks of `read_json_body`; messages
    call it `what`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ODataFailure(400, f"The {what} is not UTF-8 (byte {error.start}).") from None
    _check_json_depth(data, what)
    try:
        value = loads(text)
    except RecursionError:  # a last resort: the depth check above should have refused it
        raise ODataFailure(400, f"The {what} nests too deeply.") from None
    except ValueError as error:
        raise ODataFailure(400, f"The {what} is not valid JSON: {error}") from None
    check_no_surrogates(value, what)
    return value


def _check_json_depth(data: bytes, what: str) -> None:
    depth = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match[0]
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ODataFailure(400, f"The {what} nests arrays and objects more than {MAX_JSON_DEPTH} deep.")
        elif token in (b"]", b"}"):
            depth -= 1


def check_no_surrogates(value: Any, what: str = "request body") -> None:
    """A 400 when a string (or object key) in a parsed JSON value holds a lone surrogate: it cannot be stored
    nor written back as UTF-8. Walked with a stack, not by recursion."""
    for text in _strings(value):
        if _SURROGATE.search(text):
            raise ODataFailure(400, f"The {what} holds a lone surrogate (such as \\ud800), which is not text.")


def _strings(value: Any) -> Iterator[str]:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (key for key in item if isinstance(key, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _too_large(limit: int) -> ODataFailure:
    return ODataFailure(413, f"The request body is larger than the sandbox accepts ({limit} bytes).")
