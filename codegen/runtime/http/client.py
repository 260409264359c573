"""The base of generated service clients: construction (auth, transport, retries) and entity-set access.

    AimbaseClient("https://acme.aimbase.com", username="u", password="p")   # logs in on first use
    AimbaseClient(base_url, username="u", token="t")                         # a token you already have
    Client(base_url, auth=AvalaApiAuth("u", "t"), transport=httpx.MockTransport(handler))

`base_url` is the instance root; the service path comes from the generated class (the spec's
`[service] path`) unless `service_path=` overrides it. Both it and the login path must be plain paths
(`ClientValidationError` otherwise) and only ever become the path of the URL. `deadline` and
`max_response_size` bound each attempt against a slow or hostile server (see `session`). `observer` sees every
request sent and its answer; DEBUG logging and OpenTelemetry spans need no argument (see `observe`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar, Self, TypeVar
from typing import cast as _t_cast

import httpx

from .auth import AvalaApiAuth, AvalaApiLogin, BearerAuth, HeaderAuth
from .entity_set import AsyncEntitySet, EntitySet
from .errors import redact_url
from .options import WithOptions
from .paths import ResourcePath, operation_call
from .requests import operation_result
from .observe import Observer
from .retry import RetryPolicy
from .session import DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, AsyncSession, Session
from .urls import check_path, url_on_root

S = TypeVar("S", bound=EntitySet[Any, Any, Any])
A = TypeVar("A", bound=AsyncEntitySet[Any, Any, Any])
R = TypeVar("R")  # a generated singleton class, built from a session and a path

# The reprs written to hide secrets (`password='***'`); an auth with any other repr is shown by its type alone.
_REDACTING_REPRS = frozenset(cls.__repr__ for cls in (AvalaApiAuth, AvalaApiLogin, BearerAuth, HeaderAuth))


def resolve_auth(
    scheme: str,
    base_url: str,
    login_path: str | None,
    *,
    username: str | None,
    password: str | None,
    token: str | None,
    auth: httpx.Auth | None,
) -> httpx.Auth | None:
    """The auth object for the given credentials under the service's scheme (`avala-api`, `bearer`, `none`)."""
    if auth is not None:
        if username is not None or password is not None or token is not None:
            raise TypeError("give either auth= or username=/password=/token=, not both")
        return auth
    if scheme == "avala-api" and username is not None:
        if password is not None:
            return AvalaApiLogin(username, password, login_url=login_url(base_url, login_path), token=token)
        if token is not None:
            return AvalaApiAuth(username, token)
        raise TypeError("username= needs password= (to log in) or token= (one you already have)")
    if scheme == "bearer" and token is not None:
        return BearerAuth(token)
    if username is not None or password is not None or token is not None:
        raise TypeError(f"this service's auth scheme is {scheme!r}; pass auth= with a matching httpx.Auth object")
    return None


def describe_auth(auth: httpx.Auth) -> str:
    """`auth` for a repr: its own when it is one of ours, else `<BasicAuth>`, as another's may print a secret."""
    return repr(auth) if type(auth).__repr__ in _REDACTING_REPRS else f"<{type(auth).__name__}>"


def login_url(base_url: str, login_path: str | None) -> str:
    """The login URL: `login_path` (an absolute path, checked) below `base_url`, built by the URL library."""
    path = check_path(login_path or "/api/Security/Login", "login_path")
    return url_on_root(httpx.URL(base_url), path)


class _ClientBase(WithOptions):
    __service_path__: ClassVar[str] = "/"
    __auth_scheme__: ClassVar[str] = "none"
    __login_path__: ClassVar[str | None] = None

    session: Session | AsyncSession
    _sets: dict[type[Any], Any]  # the entity sets and singletons made so far, each made once
    # For repr: the arguments as given (the session keeps only the root they make) and the auth they resolve to.
    _base_url: str
    _service_path: str
    _auth: httpx.Auth | None

    def _session_arguments(
        self,
        base_url: str,
        *,
        username: str | None,
        password: str | None,
        token: str | None,
        auth: httpx.Auth | None,
        service_path: str | None,
        timeout: httpx.Timeout | float | None,
        retry: RetryPolicy,
        headers: Mapping[str, str] | None,
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> dict[str, Any]:
        """The session's keyword arguments (auth resolved from the credentials); also remembers what repr shows."""
        resolved = resolve_auth(
            self.__auth_scheme__,
            base_url,
            self.__login_path__,
            username=username,
            password=password,
            token=token,
            auth=auth,
        )
        self._base_url = base_url
        self._service_path = self.__service_path__ if service_path is None else service_path
        self._auth = resolved
        return {
            "service_path": self._service_path,
            "auth": resolved,
            "timeout": timeout,
            "retry": retry,
            "headers": headers,
            "deadline": deadline,
            "max_response_size": max_response_size,
            "observer": observer,
        }

    def _core(self) -> Any:
        return self.session

    def _view(self, session: Any) -> Self:
        """A copy sending through `session`, with entity sets of its own (the cached ones send through the other)."""
        clone = copy.copy(self)
        clone.session = session
        clone._sets = {}
        return clone

    def __repr__(self) -> str:
        """`AimbaseClient(base_url='https://acme.aimbase.com', service_path='/odata/V2', auth=...)`; no secret."""
        parts = [f"base_url={redact_url(self._base_url)!r}", f"service_path={self._service_path!r}"]
        if self._auth is not None:
            parts.append(f"auth={describe_auth(self._auth)}")
        if self.session.client.is_closed:
            parts.append("closed")
        return f"{type(self).__name__}({', '.join(parts)})"


class ServiceClient(_ClientBase):
    """A synchronous client; use it as a context manager or call `close()`."""

    session: Session

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        service_path: str | None = None,
        transport: httpx.BaseTransport | None = None,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> None:
        arguments = self._session_arguments(
            base_url,
            username=username,
            password=password,
            token=token,
            auth=auth,
            service_path=service_path,
            timeout=timeout,
            retry=retry,
            headers=headers,
            deadline=deadline,
            max_response_size=max_response_size,
            observer=observer,
        )
        self.session = Session(base_url, transport=transport, client=client, **arguments)
        self._sets: dict[type[Any], Any] = {}

    def _entity_set(self, cls: type[S]) -> S:
        found = self._sets.get(cls)
        if found is None:
            found = self._sets[cls] = cls(self.session)
        return found

    def _singleton(self, cls: type[R], name: str) -> R:
        found = self._sets.get(cls)
        if found is None:
            found = self._sets[cls] = cls(self.session, ResourcePath.named(name, "singleton"))  # type: ignore[call-arg]
        return _t_cast(R, found)

    def _invoke(self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any, collection: bool) -> Any:
        """An action or function import: `POST Name` with a body, `GET Name(p=@p)?@p=...`."""
        call = operation_call(kind, path, arguments)
        response = self.session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self.session.scrubber())

    def _function_collection(self, cls: type[S], path: str, arguments: Mapping[str, Any]) -> S:
        """The entities a function import returns: their collection class at `F(p=@p)?@p=...` (query, paging)."""
        return cls(self.session, operation_call("function", path, arguments).target)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AsyncServiceClient(_ClientBase):
    """The asynchronous twin of ServiceClient; use `async with` or `await aclose()`."""

    session: AsyncSession

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        service_path: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> None:
        arguments = self._session_arguments(
            base_url,
            username=username,
            password=password,
            token=token,
            auth=auth,
            service_path=service_path,
            timeout=timeout,
            retry=retry,
            headers=headers,
            deadline=deadline,
            max_response_size=max_response_size,
            observer=observer,
        )
        self.session = AsyncSession(base_url, transport=transport, client=client, **arguments)
        self._sets: dict[type[Any], Any] = {}

    def _entity_set(self, cls: type[A]) -> A:
        found = self._sets.get(cls)
        if found is None:
            found = self._sets[cls] = cls(self.session)
        return found

    def _singleton(self, cls: type[R], name: str) -> R:
        found = self._sets.get(cls)
        if found is None:
            found = self._sets[cls] = cls(self.session, ResourcePath.named(name, "singleton"))  # type: ignore[call-arg]
        return _t_cast(R, found)

    async def _invoke(
        self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any, collection: bool
    ) -> Any:
        """An action or function import: `POST Name` with a body, `GET Name(p=@p)?@p=...`."""
        call = operation_call(kind, path, arguments)
        response = await self.session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self.session.scrubber())

    def _function_collection(self, cls: type[A], path: str, arguments: Mapping[str, Any]) -> A:
        """The entities a function import returns: their collection class at `F(p=@p)?@p=...` (query, paging)."""
        return cls(self.session, operation_call("function", path, arguments).target)

    async def aclose(self) -> None:
        await self.session.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
