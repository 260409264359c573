"""Authentication for service calls, as `httpx.Auth` objects usable with `httpx.Client` and `httpx.AsyncClient`.

Aimbase's OData services want `Authenticate: Avala-Api {username}:{token}` (the header is `Authenticate`, not
`Authorization`). The token comes from `POST {base_url}/api/Security/Login` with `{"Username", "Password"}`;
the answer is a bare JSON string holding the `username:GUID` pair. Its lifetime is not documented (20 minutes,
an hour, or never), so `AvalaApiLogin` logs in when first needed and again when a request is answered 401.

- `AvalaApiAuth(username, token)`: a token you already have.
- `AvalaApiLogin(username, password, login_url=...)`: logs in lazily, caches the token, logs in again once on a
  401 and retries that request once. The login request is yielded from the auth flow, so it goes through the
  client's transport (its retries, its mocks) like any other request.
- `BearerAuth(token)`: `Authorization: Bearer <token>`; `HeaderAuth(name, value)`: any other header.
- `login(client, ...)` / `alogin(client, ...)`: one login, returning the `username:GUID` pair.

Secrets are kept out of `repr()`, `str()` and every exception these objects raise: passwords and tokens show as
`***`, and a failed login reports the status, the server's message (with the password blanked out), the method
and the URL, never the request body.

Note that httpx strips only `Authorization` when it follows a redirect to another origin: with
`follow_redirects=True`, `Authenticate` (and, on a 307/308, the login body) would be sent to the new host.
The sessions therefore never let httpx follow redirects; they follow same-origin ones themselves and refuse
the rest (see `session`). `login`/`alogin` do not follow redirects either.
"""

from __future__ import annotations

import asyncio
import re
import threading
import weakref
from collections.abc import AsyncGenerator, Generator, Iterable

import httpx

from . import jsonio
from .errors import AuthenticationError, HTTPError, error_from_response, redact_url
from .urls import check_path, is_absolute

__all__ = [
    "AUTHENTICATE_HEADER",
    "AvalaApiAuth",
    "AvalaApiLogin",
    "BearerAuth",
    "HeaderAuth",
    "alogin",
    "login",
]

AUTHENTICATE_HEADER = "Authenticate"
_SCHEME = "Avala-Api"
_REDACTED = "***"
# A token longer than this is not one (Aimbase's is `username:GUID`): a hostile answer, refused.
_MAX_TOKEN = 4096
_XML_STRING = re.compile(r"<string\b[^>]*>([^<]*)</string>", re.IGNORECASE)


class AvalaApiAuth(httpx.Auth):
    """`Authenticate: Avala-Api {username}:{token}` with a token you already have (nothing is refreshed).

    `token` may be the GUID alone or the whole `username:GUID` pair the login answers with.
    """

    __slots__ = ("_username", "_credential")

    def __init__(self, username: str, token: str) -> None:
        _check_username(username)
        _check_secret(token, "token")
        self._username = username
        self._credential = _pair(username, token)

    @property
    def username(self) -> str:
        return self._username

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[AUTHENTICATE_HEADER] = _header_value(self._credential)
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(username={self._username!r}, token={_REDACTED!r})"

    def secret_values(self) -> list[str]:
        """What must never appear in an error message: the session scrubs these from every error."""
        return _credential_secrets(self._credential)


class AvalaApiLogin(httpx.Auth):
    """Logs in at `login_url` when first needed and sends `Authenticate: Avala-Api {username}:{token}`.

    A request answered 401 makes it log in again (once) and resend that request (once); a second 401 is returned
    as is. Concurrent requests share one login: a lock (a `threading.Lock` for `httpx.Client`, an `asyncio.Lock`
    per event loop for `httpx.AsyncClient`) makes the requests that find the token missing or rejected wait for
    one login instead of each logging in. Pass `token=` to start with a token you already have.

    `login_url` should be absolute (`https://host/api/Security/Login`); a relative one is resolved against the
    URL of the request that needs the login. The login request is not built by the client, so it gets neither
    `base_url` nor the client's default headers (the triggering request's `User-Agent` is copied).

    A login that fails raises `AuthenticationError` (401) or the error `error_from_response` gives for its
    status; a 2xx answer without a token raises `AuthenticationError`. Request bodies are read into memory
    before sending so that a rejected request can be resent.
    """

    __slots__ = ("_username", "_password", "_login_url", "_credential", "_lock", "_async_locks", "_async_guard")

    requires_request_body = True

    def __init__(self, username: str, password: str, *, login_url: str, token: str | None = None) -> None:
        _check_username(username)
        _check_secret(password, "password", allow_control=True)
        if token is not None:
            _check_secret(token, "token")
        if not isinstance(login_url, str) or not is_absolute(login_url):
            # A relative one is joined to each request's URL: "//host/..." would send the password to that host.
            check_path(login_url, "login_url")
        self._username = username
        self._password = password
        self._login_url = login_url
        self._credential: str | None = None if token is None else _pair(username, token)
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._async_guard = threading.Lock()

    @property
    def username(self) -> str:
        return self._username

    @property
    def login_url(self) -> str:
        return self._login_url

    @property
    def has_token(self) -> bool:
        """Whether a token is cached (the next request will not log in first)."""
        return self._credential is not None

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()  # a streamed body could not be sent a second time
        rejected: str | None = None
        while True:
            credential = self._credential
            if credential is None or credential == rejected:
                with self._lock:
                    credential = self._credential
                    if credential is None or credential == rejected:
                        login_response = yield self._login_request(request)
                        login_response.read()
                        credential = self._accept_login(login_response)
            request.headers[AUTHENTICATE_HEADER] = _header_value(credential)
            response = yield request
            if response.status_code != 401 or rejected is not None:
                return
            rejected = credential

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        rejected: str | None = None
        while True:
            credential = self._credential
            if credential is None or credential == rejected:
                async with self._async_lock():
                    credential = self._credential
                    if credential is None or credential == rejected:
                        login_response = yield self._login_request(request)
                        await login_response.aread()
                        credential = self._accept_login(login_response)
            request.headers[AUTHENTICATE_HEADER] = _header_value(credential)
            response = yield request
            if response.status_code != 401 or rejected is not None:
                return
            rejected = credential

    def _login_request(self, request: httpx.Request) -> httpx.Request:
        login = _build_login_request(request.url.join(self._login_url), self._username, self._password)
        user_agent = request.headers.get("User-Agent")
        if user_agent is not None:
            login.headers["User-Agent"] = user_agent
        return login

    def _accept_login(self, response: httpx.Response) -> str:
        """Caches and returns the token from a login response; on failure drops the cached one and raises."""
        old = self._credential
        secrets = [self._password] if old is None else [self._password, old, old.partition(":")[2]]
        try:
            credential = _credential_from_login(response, self._username, secrets)
        except BaseException:
            self._credential = None
            raise
        self._credential = credential
        return credential

    def _async_lock(self) -> asyncio.Lock:
        # asyncio.Lock belongs to one event loop, and an auth object may outlive a loop (asyncio.run per test).
        loop = asyncio.get_running_loop()
        with self._async_guard:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock

    def __repr__(self) -> str:
        token = None if self._credential is None else _REDACTED
        return (
            f"{type(self).__name__}(username={self._username!r}, password={_REDACTED!r}, "
            f"login_url={redact_url(self._login_url)!r}, token={token!r})"
        )

    def secret_values(self) -> list[str]:
        return [self._password, *_credential_secrets(self._credential)]


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>`."""

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        _check_secret(token, "token")
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token={_REDACTED!r})"

    def secret_values(self) -> list[str]:
        return [self._token]


class HeaderAuth(httpx.Auth):
    """Sends one header whose value is a secret (`HeaderAuth("X-Api-Key", key)`)."""

    __slots__ = ("_name", "_value")

    def __init__(self, name: str, value: str) -> None:
        if not name or not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name):
            raise ValueError(f"invalid header name {name!r}")
        _check_secret(value, "header value")
        self._name = name
        self._value = value

    @property
    def name(self) -> str:
        return self._name

    def secret_values(self) -> list[str]:
        return [self._value]

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._name] = self._value
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r}, value={_REDACTED!r})"


def login(client: httpx.Client, login_url: str, username: str, password: str) -> str:
    """Logs in once and returns the `username:GUID` pair (pass it to `AvalaApiAuth` as the token).

    The client's own auth is not used for this request. Raises as `AvalaApiLogin` does when the login fails.
    """
    _check_username(username)
    request = client.build_request(
        "POST", login_url, json=_login_body(username, password), headers={"Accept": "application/json"}
    )
    response = client.send(request, auth=None, follow_redirects=False)
    return _credential_from_login(response, username, [password])


async def alogin(client: httpx.AsyncClient, login_url: str, username: str, password: str) -> str:
    """`login` for an `httpx.AsyncClient`."""
    _check_username(username)
    request = client.build_request(
        "POST", login_url, json=_login_body(username, password), headers={"Accept": "application/json"}
    )
    response = await client.send(request, auth=None, follow_redirects=False)
    return _credential_from_login(response, username, [password])


def _login_body(username: str, password: str) -> dict[str, str]:
    return {"Username": username, "Password": password}


def _build_login_request(url: httpx.URL, username: str, password: str) -> httpx.Request:
    return httpx.Request("POST", url, json=_login_body(username, password), headers={"Accept": "application/json"})


def _credential_from_login(response: httpx.Response, username: str, secrets: Iterable[str]) -> str:
    """The `username:token` pair a (read) login response holds; raises for a refusal or an answer without one."""
    if not response.is_success:
        raise _login_error(response, secrets)
    token = _token_from_body(response)
    if not token:
        # The body is not quoted: whatever it holds may be the token in a shape we did not expect.
        raise AuthenticationError.about(response, "login failed: the response held no token")
    return token if ":" in token else f"{username}:{token}"


def _token_from_body(response: httpx.Response) -> str | None:
    text = response.text.strip()
    if not text or len(text) > 4 * _MAX_TOKEN:
        return None
    try:
        value = jsonio.loads(text)
    except ValueError:
        match = _XML_STRING.search(text)  # <string xmlns="...">username:GUID</string>
        if match:
            value = match.group(1)
        elif text.startswith("<") or any(char.isspace() for char in text):
            return None
        else:
            value = text  # a plain-text token
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_TOKEN or any(char.isspace() or not char.isprintable() for char in value):
        return None
    return value


def _login_error(response: httpx.Response, secrets: Iterable[str]) -> HTTPError:
    error = error_from_response(response, secrets)  # scrubbed before its texts are clipped
    error.message = "login failed: " + error.message
    error.args = (error.message,)
    return error


def _credential_secrets(credential: str | None) -> list[str]:
    return [] if credential is None else [credential, credential.partition(":")[2]]


def _pair(username: str, token: str) -> str:
    """`username:token`, unless the token already is that pair."""
    return token if token.startswith(f"{username}:") else f"{username}:{token}"


def _header_value(credential: str) -> str:
    return f"{_SCHEME} {credential}"


def _check_username(username: str) -> None:
    if not isinstance(username, str) or not username:
        raise ValueError("username must be a non-empty string")
    if any(not char.isprintable() for char in username):
        raise ValueError("username contains a control character")


def _check_secret(value: str, what: str, *, allow_control: bool = False) -> None:
    # The messages never include the value.
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string")
    if not allow_control and any(not char.isprintable() for char in value):
        raise ValueError(f"{what} contains a control character (line breaks are not allowed in a header)")
