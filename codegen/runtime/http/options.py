"""Per-request extras, sync and async alike: custom query options, headers, `$format`, `Prefer` values, and a
preview of the exact request a call would send.

    extras = RequestOptions(params={"custom": "x"}, headers={"X-Trace": "1"}, format="json")
    client.leads.with_options(extras).get(114)         # GET Leads(114)?custom=x&$format=json, X-Trace: 1
    client.leads.preview(lambda leads: leads.patch(114, score=3))   # RequestPreview(PATCH ...); nothing sent

`with_options` (on a client, an entity set or collection, an entity, a query, a `$ref`) returns a copy whose
session is a view of the same session (same connection pool, auth, retries) carrying the options: every
request made through the copy and through what it leads to (navigation, operations, pages) carries them,
the original object is unchanged. Given twice, options merge, the later value of a name winning.

`preview(call)` runs `call` on such a copy that stops at the first request and returns it as a
`RequestPreview`: the method, the absolute URL, the headers and the body, with the session's secrets
blanked out and credential headers shown as `***` (the auth's own headers are added when a request is
sent, so they are never in it). It works the same on an async object: the coroutine is run up to its
first request, which comes before anything is awaited. Nothing is sent, not even a login.

What is refused (each a one-line `ClientValidationError` naming the option):
- Query options. They are appended to every URL the client builds, after the call's own; a nextLink is the
  server's and is followed as written. A custom name is letters, digits and `-._~`, and is not a system
  query option without its `$` (`filter`: OData 4.01 services read those as `$filter`). A `$` name must be
  one of OData's system query options (`$format` has its own field) and an `@` name a parameter alias; either
  is refused where the call itself sets that name (`$filter` on a query with a filter, `@p` on a function
  call). Values are any text, percent-encoded here.
- `format` is `json` or `application/json` with `odata.metadata` / `odata.streaming` parameters: the client
  reads JSON only. It is not sent to `/$count`, whose answer is plain text.
- Headers. The names are HTTP tokens and the values printable ASCII (no CR or LF: no header injection).
  Credentials (`Authorization`, `Authenticate`, `Proxy-Authorization`, `Cookie`), framing (`Host`,
  `Content-Type`, `Content-Length`, `Transfer-Encoding`, `Connection`), the OData versions (the client reads
  4.0 payloads) and `Prefer` (use the fields below) are refused, and so is a header the call sets itself
  (`If-Match` of a patch with an etag). Extra headers replace the session's and the defaults.
- `Prefer`: `prefer_return` (`minimal` or `representation`), `max_page_size`, `include_annotations`
  (`*`, `odata.*`, `-Core.Description,Org.*`, ...). They join what the call sends in one Prefer header,
  each preference once; one that contradicts the call's (`return=minimal` on `patch(return_entity=True)`,
  another `max_page_size` than `pages(max_page_size=...)`) is refused.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Coroutine, Generator, Iterable, Mapping
from typing import Any, Final, Literal, Self

import attrs
import httpx

from ..query import percent_encode
from .errors import ClientValidationError, Scrubber, clip, redact_url

__all__ = ["RequestOptions", "RequestPreview", "SYSTEM_QUERY_OPTIONS", "WithOptions"]

# OData 4.01 URL conventions section 5.1: the system query options.
SYSTEM_QUERY_OPTIONS: Final = frozenset(
    {
        "$apply",
        "$compute",
        "$count",
        "$deltatoken",
        "$expand",
        "$filter",
        "$format",
        "$id",
        "$index",
        "$levels",
        "$orderby",
        "$schemaversion",
        "$search",
        "$select",
        "$skip",
        "$skiptoken",
        "$top",
    }
)
_CUSTOM_NAME: Final = re.compile(r"[A-Za-z0-9\-._~]{1,100}")
_ALIAS_NAME: Final = re.compile(r"@[A-Za-z_][A-Za-z0-9_]{0,127}")
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}")
_HEADER_VALUE: Final = re.compile(r"[\t\x20-\x7e]{0,8000}")
_FORMAT: Final = re.compile(
    r"(json|application/json)(;(odata\.metadata=(minimal|full|none)|odata\.streaming=(true|false)))*", re.IGNORECASE
)
_ANNOTATION: Final = r"-?(\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.\*)?)"
_ANNOTATIONS: Final = re.compile(f"{_ANNOTATION}(,{_ANNOTATION})*")
_CREDENTIAL_HEADERS: Final = frozenset({"authorization", "authenticate", "proxy-authorization", "cookie"})
_REFUSED_HEADERS: Final = _CREDENTIAL_HEADERS | frozenset(
    {
        "host",
        "content-type",
        "content-length",
        "transfer-encoding",
        "connection",
        "odata-version",
        "odata-maxversion",
        "prefer",
    }
)
_MAX_EXTRAS: Final = 100


def _pairs(value: Mapping[str, str] | Iterable[tuple[str, str]], what: str) -> tuple[tuple[str, str], ...]:
    items = tuple(value.items() if isinstance(value, Mapping) else value)
    if len(items) > _MAX_EXTRAS:
        raise ClientValidationError(f"RequestOptions: more than {_MAX_EXTRAS} {what}")
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and all(isinstance(part, str) for part in item)):
            raise ClientValidationError(
                f"RequestOptions: {what} are str names and str values, not {clip(repr(item), 100)}"
            )
    return items


def _params(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = _pairs(value, "query options")
    for name, _ in items:
        _check_param_name(name)
    return items


def _check_param_name(name: str) -> None:
    shown = clip(repr(name), 100)
    if name == "$format":
        raise ClientValidationError("RequestOptions: query option '$format' is set with format=, not in params")
    if name.startswith("$"):
        if name.lower() not in SYSTEM_QUERY_OPTIONS:
            raise ClientValidationError(f"RequestOptions: query option {shown} is not an OData system query option")
    elif name.startswith("@"):
        if not _ALIAS_NAME.fullmatch(name):
            raise ClientValidationError(f"RequestOptions: query option {shown} is not a parameter alias (@identifier)")
    elif not _CUSTOM_NAME.fullmatch(name):
        raise ClientValidationError(f"RequestOptions: custom query option {shown} may hold only letters, digits, -._~")
    elif f"${name.lower()}" in SYSTEM_QUERY_OPTIONS:
        raise ClientValidationError(
            f"RequestOptions: custom query option {shown} would be read as ${name.lower()} by an OData 4.01 service"
        )


def _headers(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = _pairs(value, "headers")
    seen: set[str] = set()
    for name, text in items:
        shown = clip(repr(name), 100)
        if not _TOKEN.fullmatch(name):
            raise ClientValidationError(f"RequestOptions: header name {shown} is not an HTTP token")
        if name.lower() in _REFUSED_HEADERS:
            hint = "; use prefer_return, max_page_size or include_annotations" if name.lower() == "prefer" else ""
            raise ClientValidationError(f"RequestOptions: header {shown} is set by the client, not by options{hint}")
        if not _HEADER_VALUE.fullmatch(text):
            raise ClientValidationError(
                f"RequestOptions: header {shown} has a value with CR, LF or a character other than printable ASCII"
            )
        if name.lower() in seen:
            raise ClientValidationError(f"RequestOptions: header {shown} is given twice")
        seen.add(name.lower())
    return items


def _check_format(_: object, __: object, value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _FORMAT.fullmatch(value)):
        raise ClientValidationError(
            f"RequestOptions: format {clip(repr(value), 100)} is not json or application/json[;odata.metadata=...]"
        )


def _check_return(_: object, __: object, value: str | None) -> None:
    if value not in (None, "minimal", "representation"):
        raise ClientValidationError(
            f"RequestOptions: prefer_return is 'minimal' or 'representation', not {clip(repr(value), 100)}"
        )


def _check_page_size(_: object, __: object, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ClientValidationError(
            f"RequestOptions: max_page_size is an int of 1 or more, not {clip(repr(value), 100)}"
        )


def _check_annotations(_: object, __: object, value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _ANNOTATIONS.fullmatch(value)):
        raise ClientValidationError(
            f"RequestOptions: include_annotations {clip(repr(value), 100)} is not a list of terms like '*', 'odata.*'"
        )


@attrs.frozen
class RequestOptions:
    """Extras for every request made through `with_options(...)`; checked when made (see the module text)."""

    params: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_params)
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    format: str | None = attrs.field(default=None, validator=_check_format)
    prefer_return: Literal["minimal", "representation"] | None = attrs.field(default=None, validator=_check_return)
    max_page_size: int | None = attrs.field(default=None, validator=_check_page_size)
    include_annotations: str | None = attrs.field(default=None, validator=_check_annotations)

    def merged(self, later: RequestOptions) -> RequestOptions:
        """These options, then `later`'s: a name given in both takes `later`'s value."""
        params = {**dict(self.params), **dict(later.params)}
        headers = {name.lower(): (name, value) for name, value in (*self.headers, *later.headers)}
        return RequestOptions(
            params=params,
            headers=tuple(headers.values()),
            format=later.format or self.format,
            prefer_return=later.prefer_return or self.prefer_return,
            max_page_size=later.max_page_size or self.max_page_size,
            include_annotations=later.include_annotations or self.include_annotations,
        )

    def on_path(self, path_or_url: str) -> str:
        """A relative request path with the query options appended; an absolute URL (a server's link) as it is."""
        if not self.params and self.format is None:
            return path_or_url  # every request of a session without options: nothing to look at
        extra = list(self.params)
        path, _, query = path_or_url.partition("?")
        if self.format is not None and not path.endswith("/$count"):
            extra.append(("$format", self.format))
        if not extra or path_or_url[:8].lower().startswith(("http://", "https://")):
            return path_or_url
        taken = {part.partition("=")[0].lower() for part in query.split("&") if part}
        for name, _ in extra:
            if name.startswith(("$", "@")) and name.lower() in taken:
                raise ClientValidationError(f"RequestOptions: query option {name!r} is already set by the call itself")
        added = "&".join(f"{name}={percent_encode(value)}" for name, value in extra)
        return f"{path}?{query}&{added}" if query else f"{path}?{added}"

    def preferences(self) -> list[str]:
        found = []
        if self.prefer_return is not None:
            found.append(f"return={self.prefer_return}")
        if self.max_page_size is not None:
            found.append(f"odata.maxpagesize={self.max_page_size}")
        if self.include_annotations is not None:
            found.append(f'odata.include-annotations="{self.include_annotations}"')
        return found

    def request_headers(self, base: httpx.Headers, call: Mapping[str, str] | None) -> httpx.Headers:
        """`base` (the defaults and the session's headers, changed in place), these headers, then the call's own."""
        merged = base  # the session's own copy, built for this request
        preferences = self.preferences()
        if not self.headers and not preferences:
            merged.update(call)
            return merged
        own = httpx.Headers(call)
        for name, value in self.headers:
            if name in own:
                raise ClientValidationError(f"RequestOptions: header {name!r} is already set by the call itself")
            merged[name] = value
        merged.update(own)
        if preferences:
            merged["Prefer"] = _merge_prefer(merged.get("Prefer"), preferences)
        return merged


NO_OPTIONS: Final = RequestOptions()


def _merge_prefer(current: str | None, extra: list[str]) -> str:
    """One Prefer header: the call's preferences, then each extra one not already there (RFC 7240)."""
    parts = [part.strip() for part in (current or "").split(",") if part.strip()]
    by_name = {_preference_name(part): part for part in parts}
    for preference in extra:
        there = by_name.get(_preference_name(preference))
        if there is None:
            parts.append(preference)
            by_name[_preference_name(preference)] = preference
        elif there.replace(" ", "").lower() != preference.replace(" ", "").lower():
            raise ClientValidationError(f"RequestOptions: Prefer {preference} contradicts {there}, sent by the call")
    return ", ".join(parts)


def _preference_name(preference: str) -> str:
    return preference.partition("=")[0].partition(";")[0].strip().lower()


@attrs.frozen
class RequestPreview:
    """A request as it would be sent, without the auth's headers; secrets blanked out (see the module text)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    content: bytes | None

    def header(self, name: str) -> str | None:
        """The value of header `name` (any case), None when it is not sent."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


class Previewed(BaseException):
    """Raised by a previewing session instead of sending: a BaseException, so no `except Exception` keeps it."""

    def __init__(self, method: str, url: str, headers: httpx.Headers, content: bytes | None) -> None:
        super().__init__(method, url)
        self.request = (method, url, headers, content)

    def preview(self, scrub: Scrubber) -> RequestPreview:
        method, url, headers, content = self.request
        shown = tuple(
            (name, "***" if _is_credential(name) else scrub(value) or "")
            for name, value in ((k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw)  # as written
        )
        body = content
        if content is not None:
            text = content.decode("utf-8", "replace")
            scrubbed = scrub(text) or ""
            body = content if scrubbed == text else scrubbed.encode("utf-8")
        return RequestPreview(method, scrub(redact_url(url)) or "", shown, body)


# Names of headers that carry credentials by convention (`X-Api-Key`, `X-Auth-Token`, `Session-Id`, ...): a
# session's own headers may hold a secret the runtime was never told is one, so a preview hides their values.
_CREDENTIAL_WORDS: Final = ("auth", "key", "token", "secret", "password", "session", "signature", "cookie")


def _is_credential(name: str) -> bool:
    lowered = name.lower()
    return lowered in _CREDENTIAL_HEADERS or any(word in lowered for word in _CREDENTIAL_WORDS)


def capture(call: Callable[[], object], scrub: Callable[[], Scrubber]) -> RequestPreview:
    """The first request `call` makes on a previewing session (an awaitable or iterator it returns is run)."""
    try:
        _run(call())
    except Previewed as seen:
        return seen.preview(scrub())
    raise ClientValidationError("preview(): the call sent no request (preview a call that reads or writes)")


def _run(result: object) -> None:
    step = result.__anext__() if inspect.isasyncgen(result) else result  # an async generator's first step
    if isinstance(step, Coroutine):
        try:
            step.send(None)
        except (StopIteration, StopAsyncIteration):
            return
        finally:
            step.close()
    elif isinstance(result, Generator):
        try:
            next(result)
        except StopIteration:
            return
        finally:
            result.close()


class WithOptions:
    """`with_options` and `preview` for an object that sends through `_session` (see the module text)."""

    def _core(self) -> Any:
        """The session (or session view) this object sends through."""
        return getattr(self, "_session")

    def _view(self, session: Any) -> Self:
        """A copy of this object sending through `session`."""
        clone = copy.copy(self)
        clone._session = session  # type: ignore[attr-defined]
        return clone

    def with_options(self, options: RequestOptions) -> Self:
        """A copy whose every request (and those of what it leads to) carries `options`; nothing is sent yet."""
        if not isinstance(options, RequestOptions):
            raise ClientValidationError(f"with_options() takes a RequestOptions, not {type(options).__name__}")
        return self._view(self._core().with_options(options))

    def preview(self, call: Callable[[Self], object]) -> RequestPreview:
        """The request `call(this object)` would send first, e.g. `leads.preview(lambda s: s.get(114))`; not sent."""
        view = self._view(self._core().previewing())
        return capture(lambda: call(view), view._core().scrubber)
