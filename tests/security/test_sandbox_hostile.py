"""The sandbox under hostile requests: every attack class below is answered with a 4xx OData error body, in
bounded time, on a connection that stays usable; never a 500, a hang or a dropped connection.

One sandbox (tests/security/sandbox/things.xml: a string-keyed `Things` set whose navigations point back at
itself, and an integer-keyed `Items` set) serves the whole module on 127.0.0.1. Requests that httpx will not
send (over-long URLs, stray `%`, invalid UTF-8 in the URL) go over a raw socket.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs
import httpx
import pytest

from codegen.sandbox import SandboxServer, create_app
from codegen.spec import Spec, spec_from_arguments

HERE = Path(__file__).resolve().parent
SERVICE = "/svc"
LOGIN = "/login"
TIMEOUT = 10.0
# Keys that need percent-encoding (or quote doubling) to be addressed; each must be found.
AWKWARD_KEYS = ["a?b", "a#b", "a\\b", "a\nb", "it's", "Zoë", "a/b", "a%b", "a&b", "a+b", "a b", "日本"]


def _spec() -> Spec:
    spec = spec_from_arguments(HERE / "sandbox" / "things.xml", "things", HERE / "unused", SERVICE)
    return attrs.evolve(spec, auth="avala-api", login_path=LOGIN)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    app = create_app(_spec(), rows=20, seed=1)
    store = app.state.sandbox.store
    for key in AWKWARD_KEYS:
        store.execute('INSERT INTO "Things" ("Name", "Label") VALUES (?, ?)', (key, f"label of {key}"))
    with SandboxServer(app) as running:
        yield running
    store.close()


@pytest.fixture(scope="module")
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
        token = client.post(LOGIN, json={"Username": "demo", "Password": "demo"}).json()
        client.headers["Authenticate"] = f"Avala-Api {token}"
        yield client


def _odata_error(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """The error object of a 4xx OData error answer (with the status among `statuses` when given)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    assert "Traceback" not in response.text and ".py" not in response.text
    assert len(response.content) < 4096  # what the client sent is not echoed back in full
    return dict(body["error"])


def _still_serving(http: httpx.Client) -> None:
    assert http.get(f"{SERVICE}/Items", params={"$top": "1"}).status_code == 200


def _raw(server: SandboxServer, request: bytes) -> tuple[int, bytes, bytes]:
    """(status, head, body) of one raw HTTP/1.1 request; fails on a timeout or a connection closed unanswered."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, found, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if found and length and len(body) >= int(length[1]):
                break
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), data[:200]
    return int(head.split()[1]), head, body


def _raw_get(server: SandboxServer, http: httpx.Client, target: bytes) -> tuple[int, bytes, bytes]:
    auth = http.headers["Authenticate"].encode("ascii")
    return _raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthenticate: " + auth + b"\r\n\r\n")


def _assert_raw_odata_error(answer: tuple[int, bytes, bytes]) -> None:
    status, head, body = answer
    assert 400 <= status < 500, (status, body[:300])
    assert b"application/json" in head.lower(), head
    assert set(httpx.Response(status, content=body).json()) == {"error"}


# --- $filter and $orderby nesting --------------------------------------------------------------------------

DEEP_EXPRESSIONS = {
    "10000 parentheses": "(" * 10_000 + "Size eq 1" + ")" * 10_000,
    "300 parentheses": "(" * 300 + "Size eq 1" + ")" * 300,
    "5000 not": "not " * 5_000 + "true",
    "500 not": "not " * 500 + "(Size eq 1)",
    "not ( 1000 deep": "not (" * 1_000 + "true" + ")" * 1_000,
    "3000 and": " and ".join(["Size eq 1"] * 3_000),
    "600 or": " or ".join(["Size eq 1"] * 600),
    "2000 add": "Size eq " + " add ".join(["1"] * 2_000),
    "600 minus": "Size eq " + "-" * 600 + "1",
    "nested any 300": "".join(f"Children/any(c{i}: c{i}/" for i in range(300)) + "Size eq 1" + ")" * 300,
    "nested functions": "contains(" * 400 + "Label" + ",'a')" * 400,
}


@pytest.mark.parametrize("expression", DEEP_EXPRESSIONS.values(), ids=DEEP_EXPRESSIONS.keys())
def test_deep_filter_is_a_400(http: httpx.Client, expression: str) -> None:
    error = _odata_error(http.get(f"{SERVICE}/Things", params={"$filter": expression}), 400)
    assert "deep" in error["message"] or "nest" in error["message"]
    _still_serving(http)


@pytest.mark.parametrize("expression", DEEP_EXPRESSIONS.values(), ids=DEEP_EXPRESSIONS.keys())
def test_deep_orderby_and_nested_filter_are_a_400(http: httpx.Client, expression: str) -> None:
    _odata_error(http.get(f"{SERVICE}/Things", params={"$orderby": expression}), 400)
    nested = f"Children($filter={expression})"
    _odata_error(http.get(f"{SERVICE}/Things", params={"$expand": nested}), 400)


def test_moderate_filters_still_work(http: httpx.Client) -> None:
    chain = " or ".join(f"Size eq {n}" for n in range(50))
    assert http.get(f"{SERVICE}/Things", params={"$filter": chain}).status_code == 200
    many = "Size in (" + ",".join(str(n) for n in range(2000)) + ")"
    assert http.get(f"{SERVICE}/Things", params={"$filter": many}).status_code == 200


HUGE_LITERALS = {
    "huge integer": "Size eq " + "9" * 1000,
    "1e999": "Size eq 1e999",
    "-1e999": "Size lt -1e999",
    "huge string": "Label eq '" + "x" * 30_000 + "'",
}


@pytest.mark.parametrize("expression", HUGE_LITERALS.values(), ids=HUGE_LITERALS.keys())
def test_huge_literals_in_filter_are_not_a_500(http: httpx.Client, expression: str) -> None:
    response = http.get(f"{SERVICE}/Things", params={"$filter": expression})
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        _odata_error(response)


# --- $expand nesting -----------------------------------------------------------------------------------------

DEEP_EXPANDS = {
    "1000 deep": "Children($expand=" * 1_000 + "Parent" + ")" * 1_000,
    "50 deep cycle": "Children($expand=Parent($expand=" * 25 + "Children" + "))" * 25,
    "9 deep": "Children($expand=" * 8 + "Parent" + ")" * 8,
    "unbalanced": "Children($expand=" * 1_000,
    "stars": "*($expand=" * 500 + "*" + ")" * 500,
}


@pytest.mark.parametrize("expand", DEEP_EXPANDS.values(), ids=DEEP_EXPANDS.keys())
def test_deep_expand_is_a_400(http: httpx.Client, expand: str) -> None:
    _odata_error(http.get(f"{SERVICE}/Things", params={"$expand": expand}), 400)
    _odata_error(http.get(f"{SERVICE}/Things('a?b')", params={"$expand": expand}), 400)
    _still_serving(http)


def test_cyclic_expand_within_the_depth_limit_is_bounded(http: httpx.Client) -> None:
    expand = "Children($expand=Parent($expand=" * 3 + "Children" + "))" * 3
    response = http.get(f"{SERVICE}/Things", params={"$expand": expand})
    assert response.status_code in (200, 400), response.text[:300]
    if response.status_code == 400:
        _odata_error(response)


# --- long URLs and huge keys ---------------------------------------------------------------------------------

LONG_TARGETS = {
    "1 MB filter": f"{SERVICE}/Things?$filter=Label%20eq%20'".encode() + b"a" * 1_000_000 + b"'",
    "1 MB key": f"{SERVICE}/Items(".encode() + b"9" * 1_000_000 + b")",
    "1 MB string key": f"{SERVICE}/Things('".encode() + b"a" * 1_000_000 + b"')",
    "100 KB select": f"{SERVICE}/Things?$select=".encode() + b"/".join([b"Details"] * 14_000),
    "100 KB top": f"{SERVICE}/Things?$top=".encode() + b"9" * 100_000,
}


@pytest.mark.parametrize("target", LONG_TARGETS.values(), ids=LONG_TARGETS.keys())
def test_over_long_urls_are_a_414(server: SandboxServer, http: httpx.Client, target: bytes) -> None:
    answer = _raw_get(server, http, target)
    _assert_raw_odata_error(answer)
    assert answer[0] == 414
    _still_serving(http)


HUGE_KEYS = {
    "26 digits": "Items(99999999999999999999999999)",
    "negative 26 digits": "Items(-99999999999999999999999999)",
    "beyond Int32": "Items(2147483648)",
    "beyond Int64": "Items(9223372036854775808)",
    "5000 digits": "Items(" + "9" * 5_000 + ")",
    "1e999": "Items(1e999)",
    "named huge": "Items(Id=99999999999999999999)",
    "string for int": "Items('1')",
    "deep key": "Items(" + "(" * 500 + "1" + ")" * 500 + ")",
}


@pytest.mark.parametrize("path", HUGE_KEYS.values(), ids=HUGE_KEYS.keys())
def test_huge_or_invalid_keys_are_a_400(http: httpx.Client, path: str) -> None:
    _odata_error(http.get(f"{SERVICE}/{path}"), 400)
    _odata_error(http.patch(f"{SERVICE}/{path}", json={"Title": "x"}), 400)


# --- string keys that need encoding --------------------------------------------------------------------------


@pytest.mark.parametrize("key", AWKWARD_KEYS, ids=[repr(k) for k in AWKWARD_KEYS])
def test_string_keys_needing_percent_encoding_are_found(http: httpx.Client, key: str) -> None:
    literal = quote(key.replace("'", "''"), safe="'")
    response = http.get(f"{SERVICE}/Things('{literal}')")
    assert response.status_code == 200, response.text[:300]
    assert response.json()["Name"] == key
    changed = http.patch(f"{SERVICE}/Things(Name='{literal}')", json={"Label": f"changed {key}"})
    assert changed.status_code == 204, changed.text[:300]
    again = http.get(f"{SERVICE}/Things('{literal}')", params={"$select": "Label"})
    assert again.json()["Label"] == f"changed {key}"


# --- URLs that are not percent-encoded UTF-8 -----------------------------------------------------------------

BAD_URLS = {
    "encoded surrogate in key": f"{SERVICE}/Things('%ED%A0%80')",
    "encoded surrogate in set": f"{SERVICE}/%ED%A0%80",
    "stray percent in key": f"{SERVICE}/Things('%zz')",
    "lone percent": f"{SERVICE}/Things('a%')",
    "latin-1 byte in key": f"{SERVICE}/Things('%FF')",
    "overlong utf-8": f"{SERVICE}/Things('%C0%AF')",
    "surrogate in filter": f"{SERVICE}/Things?$filter=Label%20eq%20'%ED%A0%80'",
    "latin-1 byte in filter": f"{SERVICE}/Things?$filter=Label%20eq%20'%FF'",
    "stray percent in filter": f"{SERVICE}/Things?$filter=%zz",
    "bad option name": f"{SERVICE}/Things?%ED%A0%80=1",
    "bad byte in set name": f"{SERVICE}/Th%FFings",
}


@pytest.mark.parametrize("target", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_urls_that_are_not_utf8_are_a_400(server: SandboxServer, http: httpx.Client, target: str) -> None:
    answer = _raw_get(server, http, target.encode("ascii"))
    _assert_raw_odata_error(answer)
    assert answer[0] == 400


# --- request bodies ------------------------------------------------------------------------------------------

BAD_BODIES = {
    "deep arrays": b'{"Label":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "deep objects": b'{"Details":' + b'{"x":' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    "deep open property": b'{"Details":{"x":' + b"[" * 200 + b"]" * 200 + b"}}",
    "unclosed depth": b"[" * 100_000,
    "invalid utf-8": b'{"Label":"\xff\xfe"}',
    "utf-8 surrogate bytes": b'{"Label":"\xed\xa0\x80"}',
    "lone surrogate value": b'{"Label":"\\ud800"}',
    "lone surrogate name": b'{"\\ud800":1}',
    "lone surrogate in open type": b'{"Details":{"x\\udc00":"\\ud800"}}',
    "low surrogate first": b'{"Label":"\\udc00\\ud800"}',
    "array": b"[1]",
    "string": b'"x"',
    "number": b"1e999999",
    "null": b"null",
    "nan": b'{"Size":NaN}',
    "empty": b"",
    "truncated": b'{"Label":"x',
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_patch_bodies_are_a_400(http: httpx.Client, body: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    _odata_error(http.patch(f"{SERVICE}/Things('a%3Fb')", content=body, headers=headers), 400)
    assert http.get(f"{SERVICE}/Things('a%3Fb')").status_code == 200


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_login_bodies_are_a_400(http: httpx.Client, body: bytes) -> None:
    response = http.post(
        LOGIN,
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert 400 <= response.status_code < 500, response.text[:300]
    assert set(response.json()) == {"Message"}


def test_huge_bodies_are_a_413(http: httpx.Client) -> None:
    huge = b'{"Label":"' + b"a" * 5_000_000 + b'"}'
    _odata_error(http.patch(f"{SERVICE}/Things('a%3Fb')", content=huge), 413)
    login = http.post(LOGIN, content=huge, timeout=TIMEOUT)
    assert login.status_code == 413 and set(login.json()) == {"Message"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(50):
            yield b"a" * 100_000

    _odata_error(http.patch(f"{SERVICE}/Things('a%3Fb')", content=chunks()), 413)
    _still_serving(http)


# --- Prefer, $top, $skip, $select ----------------------------------------------------------------------------

BAD_PREFER: dict[str, list[bytes]] = {
    "negative": [b"odata.maxpagesize=-1"],
    "zero": [b"odata.maxpagesize=0"],
    "letters": [b"odata.maxpagesize=abc"],
    "huge": [b"odata.maxpagesize=99999999999999999999"],
    "empty value": [b"odata.maxpagesize="],
    "superscript digit": [b"odata.maxpagesize=\xb2"],
    "conflicting": [b"odata.maxpagesize=1, odata.maxpagesize=2"],
    "conflicting headers": [b"odata.maxpagesize=1", b"odata.maxpagesize=3"],
    "fraction": [b"odata.maxpagesize=1.5"],
}


@pytest.mark.parametrize("values", BAD_PREFER.values(), ids=BAD_PREFER.keys())
def test_odd_maxpagesize_is_a_400(http: httpx.Client, values: list[bytes]) -> None:
    headers = [(b"Prefer", value) for value in values]
    _odata_error(http.get(f"{SERVICE}/Things", headers=headers), 400)


@pytest.mark.parametrize("value", [b"", b",,,", b"=", b"odata.maxpagesize=2, odata.maxpagesize=2", b"x" * 20_000])
def test_harmless_prefer_values_are_served(http: httpx.Client, value: bytes) -> None:
    assert http.get(f"{SERVICE}/Things", headers=[(b"Prefer", value)]).status_code == 200


ODD_OPTIONS = {
    "$top negative": ("$top", "-1"),
    "$top huge": ("$top", "99999999999999999999"),
    "$top letters": ("$top", "abc"),
    "$top superscript": ("$top", "²"),
    "$skip negative": ("$skip", "-1"),
    "$skip huge": ("$skip", "99999999999999999999"),
    "$skip empty": ("$skip", ""),
    "$skip Arabic digit": ("$skip", "٣"),
    "$select unknown": ("$select", "Unknown"),
    "$select empty": ("$select", ""),
    "$select deep through a primitive": ("$select", "/".join(["Label"] * 2_000)),
    "$select through a primitive": ("$select", "Label/x/y"),
    "$select quotes": ("$select", "'x'"),
    "$skiptoken": ("$skiptoken", "-5"),
    "$count": ("$count", "maybe"),
    "$search deep": ("$search", "(" * 1_000 + "a"),
    "$levels": ("$levels", "max"),
}


@pytest.mark.parametrize(("name", "value"), ODD_OPTIONS.values(), ids=ODD_OPTIONS.keys())
def test_odd_query_options_are_a_400(http: httpx.Client, name: str, value: str) -> None:
    _odata_error(http.get(f"{SERVICE}/Things", params={name: value}), 400)


@pytest.mark.parametrize("value", ["*", "Name,Name", "Details/Colour"])
def test_valid_selects_are_served(http: httpx.Client, value: str) -> None:
    assert http.get(f"{SERVICE}/Things", params={"$select": value}).status_code == 200


# --- headers -------------------------------------------------------------------------------------------------

ODD_AUTHENTICATE = {
    "garbage": b"garbage",
    "huge": b"Avala-Api demo:" + b"x" * 500_000,
    "latin-1 bytes": b"Avala-Api demo:\xff\xfe",
    "only the scheme": b"Avala-Api",
    "no user": b"Avala-Api :token",
    "many colons": b"Avala-Api " + b":" * 10_000,
}


@pytest.mark.parametrize("value", ODD_AUTHENTICATE.values(), ids=ODD_AUTHENTICATE.keys())
def test_odd_authenticate_headers_are_a_401(server: SandboxServer, value: bytes) -> None:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
        _odata_error(client.get(f"{SERVICE}/Things", headers=[(b"Authenticate", value)]), 401)


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PROPFIND", "PUT", "DELETE"])
def test_other_methods_are_an_odata_405_or_501(http: httpx.Client, method: str) -> None:
    for path in (f"{SERVICE}/Things", f"{SERVICE}/Things('a%3Fb')"):
        response = http.request(method, path)
        assert response.status_code in (405, 501), response.text[:300]
        assert set(response.json()) == {"error"}
    login = http.request(method, LOGIN)
    assert login.status_code == 405 and set(login.json()) == {"Message"}


# --- the catch-all and the bind address ----------------------------------------------------------------------


def test_an_unexpected_failure_is_an_odata_500_without_internals() -> None:
    app = create_app(_spec(), rows=5, seed=1)
    sandbox = app.state.sandbox

    def broken(*_: object, **__: object) -> None:
        raise OSError(2, "No such file", "/very/secret/internal/path.db")

    sandbox.store.page = sandbox.store.page_json = broken  # both ways a page is read
    sandbox.tokens.scheme = "none"
    with SandboxServer(app) as running, httpx.Client(base_url=running.url, timeout=TIMEOUT) as client:
        response = client.get(f"{SERVICE}/Things")
        assert response.status_code == 500
        assert set(response.json()) == {"error"}
        assert "secret" not in response.text and "Traceback" not in response.text and ".py" not in response.text
        assert client.get(f"{SERVICE}/Things('x')").status_code == 404  # the server goes on serving
    sandbox.store.close()


def test_the_server_binds_loopback_unless_told_otherwise() -> None:
    from codegen.sandbox.server import is_loopback  # here: the original code has no such function

    assert all(is_loopback(host) for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.0.2.1"))
    app = create_app(_spec(), rows=5, seed=1)
    with SandboxServer(app) as running:
        assert running.url.startswith("http://127.0.0.1:")
    with pytest.raises(ValueError, match="every interface"):
        SandboxServer(app, host="").start()
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then the bind fails.
    with pytest.warns(UserWarning, match="not a loopback address"), pytest.raises(OSError):
        SandboxServer(app, host="192.0.2.1").start()
    app.state.sandbox.store.close()
