"""Secrets never appear in errors (issue 8, deliverable 6).

A hostile or careless server echoes the password or token back: as written, JSON-escaped (`\\u0048`, `\\/`),
percent-encoded (`%2F`, `+` for a space), as an HTML character reference, inside a value that fails to
deserialise, and for passwords of one to three characters. None of it may reach an exception's `str`,
`repr`, `args`, fields, its `__cause__`/`__context__` chain (as a traceback prints it) or a log record.

The rule for short secrets (documented in `codegen.runtime.http.errors.Scrubber`): a secret of 8 characters
or more is replaced by `***` wherever it occurs; a server text that holds a shorter one anywhere is withheld
whole, since blanking every "a" of a one-letter password would garble the text and still reveal it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest

from codegen.runtime.http import AsyncSession, AvalaApiAuth, AvalaApiLogin, ODataError, RetryPolicy, Session

BASE = "https://acme.aimbase.com"
LOGIN_URL = f"{BASE}/api/Security/Login"
USERNAME = "u"
LONG_PASSWORD = "Hunter2/correct horse+battery"
TOKEN = "7d444840-9dc0-11d1-b245-5ffdce74fad2"


def json_escaped(secret: str) -> str:
    """Every character as `\\uXXXX`, and `/` as `\\/`: valid JSON string content, unrecognisable as written."""
    return "".join("\\/" if c == "/" else f"\\u{ord(c):04x}" for c in secret)


def first_char_escaped(secret: str) -> str:
    return f"\\u{ord(secret[0]):04X}" + json.dumps(secret[1:])[1:-1].replace("/", "\\/")


ECHOES: dict[str, Callable[[str], str]] = {
    "as-written": lambda s: s,
    "json-escaped": json_escaped,
    "json-first-char-escaped": first_char_escaped,
    "percent-encoded": lambda s: quote(s, safe=""),
    "percent-encoded-lowercase": lambda s: "".join(f"%{b:02x}" for b in s.encode()),
    "form-encoded": lambda s: quote_plus(s, safe=""),
    "html-reference": lambda s: "".join(f"&#{ord(c)};" for c in s),
}
BODIES: dict[str, Callable[[str], str]] = {
    "plain-text": lambda echo: f"Login refused for {USERNAME}: wrong password {echo}!",
    "broken-json": lambda echo: '{"Message": "wrong password ' + echo + '", "Password": "' + echo,
    "odata-error-json": lambda echo: json.dumps(
        {"error": {"code": echo, "message": f"wrong password {echo}", "target": echo, "details": [{"message": echo}]}}
    ).replace("\\\\", "\\"),
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def failure(
    mode: str, handler: Callable[[httpx.Request], httpx.Response], auth: httpx.Auth, path: str = "Leads"
) -> ODataError:
    """The error a GET through a session with `auth` over `handler` raises."""
    policy = RetryPolicy(max_attempts=2, sleep=lambda s: None, async_sleep=_no_sleep)
    transport_sync = httpx.MockTransport(handler)
    try:
        if mode == "sync":
            with Session(BASE, service_path="/odata/V2", auth=auth, transport=transport_sync, retry=policy) as s:
                s.get_json(path)
        else:

            async def run() -> None:
                transport = httpx.MockTransport(handler)
                async with AsyncSession(
                    BASE, service_path="/odata/V2", auth=auth, transport=transport, retry=policy
                ) as s:
                    await s.get_json(path)

            asyncio.run(run())
    except ODataError as error:
        return error
    raise AssertionError("no error was raised")


async def _no_sleep(seconds: float) -> None:
    return None


def everything_shown(error: BaseException) -> str:
    """All an error shows: str, repr, args and fields, and the whole chain as a traceback prints it."""
    parts = [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    parts += [repr(value) for value in vars(error).values()]
    seen = error
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
        parts += [str(seen), repr(seen), repr(getattr(seen, "doc", ""))]
    return "\n".join(parts)


def login_refused(body: str, status: int = 401) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"Content-Type": "text/plain"})

    return handler


def assert_hidden(secret: str, shown: str) -> None:
    variants = {echo(secret) for echo in ECHOES.values()} | {secret, json.dumps(secret)[1:-1]}
    for variant in variants:
        assert variant not in shown, f"{variant!r} leaked"


class TestEchoedPassword:
    """A refused login whose answer echoes the password in any encoding: none of it in the error."""

    @pytest.mark.parametrize("body", list(BODIES))
    @pytest.mark.parametrize("echo", list(ECHOES))
    @pytest.mark.parametrize("status", [400, 401, 500])
    def test_the_password_is_scrubbed_whatever_the_encoding(self, mode: str, echo: str, body: str, status: int) -> None:
        text = BODIES[body](ECHOES[echo](LONG_PASSWORD))
        auth = AvalaApiLogin(USERNAME, LONG_PASSWORD, login_url=LOGIN_URL)
        error = failure(mode, login_refused(text, status), auth)
        assert_hidden(LONG_PASSWORD, everything_shown(error))


class TestShortPassword:
    """One- to three-character passwords: the server's text that holds one is withheld, never shown."""

    @pytest.mark.parametrize("password", ["Q", "Qz", "q7Z"])
    @pytest.mark.parametrize("echo", list(ECHOES))
    def test_a_short_password_never_leaks(self, mode: str, password: str, echo: str) -> None:
        text = BODIES["plain-text"](ECHOES[echo](password))
        error = failure(mode, login_refused(text), AvalaApiLogin(USERNAME, password, login_url=LOGIN_URL))
        shown = everything_shown(error)
        assert "wrong password" not in shown  # the whole server text was withheld
        assert_hidden(password, shown)
        assert error.status == 401  # what is left still says what happened

    def test_a_text_without_the_short_password_is_kept(self, mode: str) -> None:
        error = failure(
            mode, login_refused("Login refused: no such user"), AvalaApiLogin(USERNAME, "Qz", login_url=LOGIN_URL)
        )
        assert "no such user" in str(error)


class TestEchoedToken:
    """A token echoed in an error body, or in a value that fails to deserialise, is scrubbed."""

    @pytest.mark.parametrize("echo", list(ECHOES))
    def test_a_token_in_an_error_body(self, mode: str, echo: str) -> None:
        handler = login_refused(BODIES["broken-json"](ECHOES[echo](TOKEN)), 403)
        error = failure(mode, handler, AvalaApiAuth(USERNAME, TOKEN))
        assert_hidden(TOKEN, everything_shown(error))

    def test_a_token_in_a_body_that_is_not_json(self, mode: str) -> None:
        handler = lambda request: httpx.Response(200, text=f"<html>token {TOKEN}</html>")
        assert_hidden(TOKEN, everything_shown(failure(mode, handler, AvalaApiAuth(USERNAME, TOKEN))))

    @pytest.mark.parametrize(
        "value", [TOKEN, f"{USERNAME}:{TOKEN}", [TOKEN], {"Echo": TOKEN}], ids=["str", "pair", "list", "object"]
    )
    def test_a_token_inside_a_field_that_fails_to_deserialise(self, mode: str, value: Any) -> None:
        import aimbase  # the committed generated package

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"Id": value, "ExternalId": "x"})

        transport = httpx.MockTransport(handler)
        try:
            if mode == "sync":
                aimbase.AimbaseClient(BASE, username=USERNAME, token=TOKEN, transport=transport).leads.get(1)
            else:

                async def run() -> None:
                    async with aimbase.AsyncAimbaseClient(
                        BASE, username=USERNAME, token=TOKEN, transport=transport
                    ) as c:
                        await c.leads.get(1)

                asyncio.run(run())
        except ValueError as error:
            assert isinstance(error, ODataError)  # the http layer's error, with the request's method and URL
            assert_hidden(TOKEN, everything_shown(error))
        else:
            raise AssertionError("the payload was accepted")


class TestLogs:
    """Retries and failures are logged without any secret."""

    def test_no_log_record_holds_a_secret(self, mode: str, caplog: pytest.LogCaptureFixture) -> None:
        answers = iter([httpx.Response(200, json=f"{USERNAME}:{TOKEN}"), httpx.Response(503, text=f"busy {TOKEN}")])

        def handler(request: httpx.Request) -> httpx.Response:
            return next(answers, httpx.Response(503, text=f"busy {quote_plus(LONG_PASSWORD)} {TOKEN}"))

        with caplog.at_level(logging.DEBUG):
            error = failure(mode, handler, AvalaApiLogin(USERNAME, LONG_PASSWORD, login_url=LOGIN_URL))
        logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
        assert_hidden(TOKEN, logged + everything_shown(error))
        assert_hidden(LONG_PASSWORD, logged + everything_shown(error))
