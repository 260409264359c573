"""Login and tokens, the Aimbase way: `POST /api/Security/Login` with `{"Username", "Password"}` answers the bare
JSON string `"username:<guid>"`, and every OData request carries `Authenticate: Avala-Api username:<guid>`.

Tokens expire `ttl` seconds after login when a ttl is set (so clients' re-login can be tested). Under the
`bearer` scheme the same token goes in `Authorization: Bearer <token>`; under `none` nothing is checked.
"""

from __future__ import annotations

import hmac
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from .errors import ODataFailure

__all__ = ["LoginRefused", "Tokens"]

_CHALLENGE = {"avala-api": "Avala-Api", "bearer": "Bearer"}


class LoginRefused(Exception):
    """A failed login: answered with `{"Message": ...}` and the status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Tokens:
    """The accepted credentials and the tokens issued for them (thread-safe)."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        scheme: str = "avala-api",
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.username = username
        self._password = password
        self.scheme = scheme
        self.ttl = ttl
        self.clock = clock  # replaceable, so that tests can let tokens expire without waiting
        self._issued: dict[str, float] = {}
        self.logins = 0  # successful logins so far
        self._lock = threading.Lock()

    def login(self, body: Any) -> str:
        """The `username:<guid>` pair for a login request body, or `LoginRefused`."""
        if not isinstance(body, dict):
            raise LoginRefused(400, "The request body must be a JSON object with Username and Password.")
        for field in ("Username", "Password"):
            if not isinstance(body.get(field), str) or not body[field]:
                raise LoginRefused(400, f"The {field} field is required.")
        if not (_same(body["Username"], self.username) & _same(body["Password"], self._password)):
            raise LoginRefused(401, "Invalid username or password.")
        token = str(uuid.uuid4())
        with self._lock:
            self._issued[token] = self.clock()
            self.logins += 1
        return f"{self.username}:{token}"

    def expire_all(self) -> None:
        """Forget every token issued so far (the next request of each client is answered 401)."""
        with self._lock:
            self._issued.clear()

    def check(self, headers: Mapping[str, str]) -> None:
        """Nothing when the request's credentials are good; a 401 `ODataFailure` saying what is wrong."""
        if self.scheme == "none":
            return
        if self.scheme == "bearer":
            value = headers.get("authorization")
            credential = _after_scheme(value, "Bearer", "Authorization")
            token = credential.split(":", 1)[1] if credential.startswith(f"{self.username}:") else credential
        else:
            value = headers.get("authenticate")
            credential = _after_scheme(value, "Avala-Api", "Authenticate")
            user, colon, token = credential.rpartition(":")  # the token is a GUID; a username may hold ":"
            if not colon or not _same(user, self.username):
                raise self._failure("The Authenticate header must hold 'Avala-Api {username}:{token}'.")
        with self._lock:
            issued = self._issued.get(token)
            if issued is not None and self.ttl is not None and self.clock() - issued >= self.ttl:
                del self._issued[token]
                raise self._failure("The token has expired; log in again.")
        if issued is None:
            raise self._failure("The token is not valid.")

    def _failure(self, message: str) -> ODataFailure:
        return ODataFailure(401, message, headers={"WWW-Authenticate": _CHALLENGE.get(self.scheme, "Avala-Api")})


def _after_scheme(value: str | None, scheme: str, header: str) -> str:
    if not value:
        raise ODataFailure(
            401, f"Authentication is required: send the {header} header.", headers={"WWW-Authenticate": scheme}
        )
    given, _, credential = value.strip().partition(" ")
    if given.lower() != scheme.lower() or not credential.strip():
        raise ODataFailure(
            401, f"The {header} header must use the {scheme} scheme.", headers={"WWW-Authenticate": scheme}
        )
    return credential.strip()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
