"""codegen.runtime.http.auth against an in-memory Aimbase (httpx.MockTransport only, no network)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from codegen.runtime.http.auth import AvalaApiAuth, AvalaApiLogin, BearerAuth, HeaderAuth, alogin, login
from codegen.runtime.http.errors import (
    AuthenticationError,
    BadRequestError,
    ODataError,
    ServerError,
    error_from_response,
)

BASE = "https://traversebikes.aimbase.com"
LOGIN_URL = f"{BASE}/api/Security/Login"
LEADS = f"{BASE}/odata/V2/Leads"
USERNAME = "bob"
PASSWORD = "s3cr3t-Pa55word"
WRONG_PASSWORD = "wrong-Pa55word"
GUID = "1ea0934d-ef65-4ae2-b513-8ed5d8a64e52"


class FakeAimbase:
    """Answers the login and the OData set; a token is valid until `expire_all()`."""

    def __init__(
        self,
        *,
        password: str = PASSWORD,
        token_body: Callable[[str], bytes] | None = None,
        login_status: int = 200,
        login_error: dict[str, Any] | None = None,
        login_delay: float = 0.0,
    ) -> None:
        self.password = password
        self.token_body = token_body or (lambda pair: json.dumps(pair).encode())
        self.login_status = login_status
        self.login_error = login_error
        self.login_delay = login_delay
        self.valid: set[str] = set()
        self.login_requests: list[httpx.Request] = []
        self.data_requests: list[httpx.Request] = []
        # The retry resends the same (mutated) request object, so the header each send carried is kept here.
        self.data_headers: list[str] = []
        self.issued: list[str] = []
        self.lock = threading.Lock()
        # Called with the request before a data request with an invalid token is answered 401.
        self.on_rejected: Callable[[httpx.Request], None] | None = None

    @property
    def logins(self) -> int:
        return len(self.login_requests)

    def expire_all(self) -> None:
        with self.lock:
            self.valid.clear()

    def handle_login(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.login_requests.append(request)
        if self.login_delay:
            time.sleep(self.login_delay)
        if self.login_status != 200:
            return httpx.Response(self.login_status, json=self.login_error or {"Message": "Login failed."})
        body = json.loads(request.content)
        if body != {"Username": USERNAME, "Password": self.password}:
            return httpx.Response(401, json={"Message": "The username or password is incorrect."})
        guid = str(uuid.uuid4())
        with self.lock:
            self.valid.add(f"{USERNAME}:{guid}")
            self.issued.append(guid)
        return httpx.Response(200, content=self.token_body(f"{USERNAME}:{guid}"), headers=_JSON)

    def check_data(self, request: httpx.Request) -> httpx.Response | None:
        with self.lock:
            self.data_requests.append(request)
            header = request.headers.get("Authenticate", "")
            self.data_headers.append(header)
            ok = header.startswith("Avala-Api ") and header.removeprefix("Avala-Api ") in self.valid
        if ok:
            return httpx.Response(200, json={"value": [{"LeadId": 1}]})
        return None

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/Security/Login":
            return self.handle_login(request)
        response = self.check_data(request)
        if response is not None:
            return response
        if self.on_rejected is not None:
            self.on_rejected(request)
        return httpx.Response(401, json={"Message": "Authorization has been denied for this request."})

    def client(self, auth: httpx.Auth) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler), auth=auth)


_JSON = {"Content-Type": "application/json; charset=utf-8"}


def new_login(**kwargs: Any) -> AvalaApiLogin:
    return AvalaApiLogin(USERNAME, PASSWORD, login_url=LOGIN_URL, **kwargs)


def assert_secret_free(exc: BaseException, *secrets: str) -> None:
    texts = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    if isinstance(exc, ODataError):
        texts += [repr(vars(exc))]
    for text in texts:
        for secret in secrets:
            assert secret not in text


# -- static tokens -------------------------------------------------------------------------------------------


def test_avala_api_auth_sends_the_authenticate_header_exactly() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=AvalaApiAuth(USERNAME, GUID)) as client:
        client.get(LEADS)
    assert seen[0].headers["Authenticate"] == f"Avala-Api bob:{GUID}"
    assert "Authorization" not in seen[0].headers
    raw_names = [name for name, _ in seen[0].headers.raw]
    assert b"Authenticate" in raw_names


@pytest.mark.parametrize("token", [GUID, f"bob:{GUID}"])
def test_avala_api_auth_accepts_the_guid_or_the_whole_pair(token: str) -> None:
    request = httpx.Request("GET", LEADS)
    flow = AvalaApiAuth(USERNAME, token).sync_auth_flow(request)
    assert next(flow).headers["Authenticate"] == f"Avala-Api bob:{GUID}"


def test_avala_api_auth_works_with_async_client() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authenticate"])
        return httpx.Response(200)

    async def main() -> None:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport, auth=AvalaApiAuth(USERNAME, GUID)) as client:
            await client.get(LEADS)

    asyncio.run(main())
    assert seen == [f"Avala-Api bob:{GUID}"]


def test_bearer_and_header_auth() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(handler)
    with httpx.Client(transport=transport, auth=BearerAuth("abc.def")) as client:
        client.get(LEADS)
    with httpx.Client(transport=transport, auth=HeaderAuth("X-Api-Key", "k-123")) as client:
        client.get(LEADS, headers={"X-Api-Key": "overwritten"})

    async def main() -> None:
        async with httpx.AsyncClient(transport=transport, auth=BearerAuth("async-token")) as client:
            await client.get(LEADS)

    asyncio.run(main())
    assert seen[0].headers["Authorization"] == "Bearer abc.def"
    assert seen[1].headers["X-Api-Key"] == "k-123"
    assert "Authorization" not in seen[1].headers
    assert seen[2].headers["Authorization"] == "Bearer async-token"


def test_repr_and_str_hide_secrets() -> None:
    objects: list[httpx.Auth] = [
        AvalaApiAuth(USERNAME, GUID),
        new_login(),
        new_login(token=GUID),
        BearerAuth(GUID),
        HeaderAuth("X-Api-Key", GUID),
    ]
    for auth in objects:
        for text in (repr(auth), str(auth)):
            assert GUID not in text and PASSWORD not in text
            assert "'***'" in text
    assert repr(objects[0]) == "AvalaApiAuth(username='bob', token='***')"
    assert repr(objects[1]) == (f"AvalaApiLogin(username='bob', password='***', login_url='{LOGIN_URL}', token=None)")
    assert repr(objects[2]).endswith("token='***')")
    assert repr(objects[3]) == "BearerAuth(token='***')"
    assert repr(objects[4]) == "HeaderAuth(name='X-Api-Key', value='***')"
    login_with_userinfo = AvalaApiLogin(USERNAME, PASSWORD, login_url="https://u:pw@h/api/Security/Login")
    assert ":pw@" not in repr(login_with_userinfo)


def test_secret_attributes_are_private() -> None:
    auth = new_login(token=GUID)
    public = {name for name in dir(auth) if not name.startswith("_")}
    for name in public:
        value = getattr(auth, name)
        assert PASSWORD not in repr(value) and GUID not in repr(value)


def test_invalid_values_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as info:
        AvalaApiAuth(USERNAME, "abc\r\nX-Injected: 1")
    assert "abc" not in str(info.value)
    with pytest.raises(ValueError):
        BearerAuth("")
    with pytest.raises(ValueError):
        HeaderAuth("Bad Name", "v")
    with pytest.raises(ValueError):
        AvalaApiLogin("", PASSWORD, login_url=LOGIN_URL)


# -- login ------------------------------------------------------------------------------------------------------


def test_login_request_body_and_url_are_exact() -> None:
    server = FakeAimbase()
    with server.client(new_login()) as client:
        assert client.get(LEADS).status_code == 200
    [request] = server.login_requests
    assert request.method == "POST"
    assert str(request.url) == LOGIN_URL
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert body == {"Username": USERNAME, "Password": PASSWORD}
    assert list(body) == ["Username", "Password"]
    assert "Authenticate" not in request.headers and "Authorization" not in request.headers
    assert server.data_headers[0] == f"Avala-Api bob:{server.issued[0]}"


def test_login_is_lazy_and_happens_once_for_many_requests() -> None:
    server = FakeAimbase()
    auth = new_login()
    assert server.logins == 0 and not auth.has_token
    with server.client(auth) as client:
        assert server.logins == 0
        statuses = [client.get(LEADS).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert server.logins == 1 and auth.has_token
    assert set(server.data_headers) == {f"Avala-Api bob:{server.issued[0]}"}


def test_known_token_starts_without_logging_in() -> None:
    server = FakeAimbase()
    server.valid.add(f"bob:{GUID}")
    with server.client(new_login(token=GUID)) as client:
        assert client.get(LEADS).status_code == 200
    assert server.logins == 0
    assert server.data_headers[0] == f"Avala-Api bob:{GUID}"


def test_401_logs_in_again_once_and_retries_the_request() -> None:
    server = FakeAimbase()
    with server.client(new_login()) as client:
        assert client.get(LEADS).status_code == 200
        server.expire_all()
        response = client.post(LEADS, json={"Score": 10})
    assert response.status_code == 200
    assert server.logins == 2
    assert server.data_headers[-2:] == [f"Avala-Api bob:{server.issued[0]}", f"Avala-Api bob:{server.issued[1]}"]
    assert server.data_requests[-1] is server.data_requests[-2]  # httpx auth flows resend the request object
    assert json.loads(server.data_requests[-1].content) == {"Score": 10}  # the body is sent again
    # httpx keeps every response the auth flow saw, the login included, in `history`.
    assert [r.status_code for r in response.history] == [401, 200]


def test_streamed_request_body_can_be_resent_after_401() -> None:
    server = FakeAimbase()

    def chunks() -> Iterator[bytes]:
        yield b'{"Score":'
        yield b" 10}"

    with server.client(new_login(token="stale")) as client:
        response = client.post(LEADS, content=chunks())
    assert response.status_code == 200
    assert [r.content for r in server.data_requests] == [b'{"Score": 10}'] * 2


def test_second_401_is_returned_as_is() -> None:
    always_401 = FakeAimbase()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/Security/Login":
            return always_401.handle_login(request)
        always_401.data_requests.append(request)
        return httpx.Response(401, json={"Message": "Authorization has been denied for this request."})

    with httpx.Client(transport=httpx.MockTransport(handler), auth=new_login()) as client:
        response = client.get(LEADS)
    assert response.status_code == 401
    assert always_401.logins == 2  # the lazy login and one retry, no more
    assert len(always_401.data_requests) == 2
    error = error_from_response(response)
    assert isinstance(error, AuthenticationError)
    assert error.method == "GET" and error.url == LEADS


def test_failed_login_raises_authentication_error_without_secrets() -> None:
    server = FakeAimbase(
        login_status=401, login_error={"Message": f"The password {PASSWORD} is incorrect for {USERNAME}."}
    )
    auth = new_login()
    with server.client(auth) as client:
        with pytest.raises(AuthenticationError) as info:
            client.get(LEADS)
    error = info.value
    assert error.status == 401
    assert error.method == "POST" and error.url == LOGIN_URL
    text = str(error)
    assert text.startswith("401 login failed: The password *** is incorrect for bob.")
    assert text.endswith(f"POST {LOGIN_URL}")
    assert server.data_requests == []
    assert not auth.has_token
    assert_secret_free(error, PASSWORD)


def test_failed_refresh_raises_without_the_password_or_either_token() -> None:
    server = FakeAimbase()
    auth = new_login()
    with server.client(auth) as client:
        client.get(LEADS)
        old = server.issued[0]
        server.expire_all()
        server.password = "changed-on-the-server"
        with pytest.raises(AuthenticationError) as info:
            client.get(LEADS)
        assert not auth.has_token  # the rejected token is dropped
        with pytest.raises(AuthenticationError):
            client.get(LEADS)  # logs in again rather than sending the rejected token
    assert server.logins == 3
    assert_secret_free(info.value, PASSWORD, old)


@pytest.mark.parametrize(
    ("status", "error_type"), [(400, BadRequestError), (500, ServerError), (503, ServerError), (403, ODataError)]
)
def test_other_login_failures_map_through_error_from_response(status: int, error_type: type[Exception]) -> None:
    server = FakeAimbase(login_status=status, login_error={"Message": "The Username field is required."})
    with server.client(new_login()) as client:
        with pytest.raises(error_type) as info:
            client.get(LEADS)
    assert str(info.value) == f"{status} login failed: The Username field is required. - POST {LOGIN_URL}"
    assert_secret_free(info.value, PASSWORD)


@pytest.mark.parametrize("body", [b"", b"{}", b"null", b'""', b"<html><body>Sign in</body></html>", b'"a b"'])
def test_login_answer_without_a_token_raises(body: bytes) -> None:
    server = FakeAimbase(token_body=lambda pair: body)
    with server.client(new_login()) as client:
        with pytest.raises(AuthenticationError) as info:
            client.get(LEADS)
    assert str(info.value) == f"200 login failed: the response held no token - POST {LOGIN_URL}"
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert_secret_free(info.value, PASSWORD)


@pytest.mark.parametrize(
    "token_body",
    [
        pytest.param(lambda pair: json.dumps(pair).encode(), id="json-pair"),
        pytest.param(lambda pair: json.dumps(pair.partition(":")[2]).encode(), id="json-guid-only"),
        pytest.param(lambda pair: f" {json.dumps(pair)}\r\n".encode(), id="json-with-whitespace"),
        pytest.param(
            lambda pair: f'<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">{pair}</string>'.encode(),
            id="xml-pair",
        ),
        pytest.param(lambda pair: pair.partition(":")[2].encode(), id="plain-guid-only"),
    ],
)
def test_token_responses_with_and_without_username(token_body: Callable[[str], bytes]) -> None:
    server = FakeAimbase(token_body=token_body)
    with server.client(new_login()) as client:
        assert client.get(LEADS).status_code == 200
    assert server.data_headers[0] == f"Avala-Api bob:{server.issued[0]}"


def test_a_pair_with_another_username_spelling_is_used_as_sent() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/Security/Login":
            return httpx.Response(200, json=f"Bob:{GUID}:512146")
        return httpx.Response(200)

    auth = new_login()
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        response = client.get(LEADS)
    assert response.request.headers["Authenticate"] == f"Avala-Api Bob:{GUID}:512146"


def test_relative_login_url_is_resolved_against_the_request() -> None:
    server = FakeAimbase()
    auth = AvalaApiLogin(USERNAME, PASSWORD, login_url="/api/Security/Login")
    with server.client(auth) as client:
        client.get(LEADS, headers={"User-Agent": "aimbase-client/1"})
    assert str(server.login_requests[0].url) == LOGIN_URL
    assert server.login_requests[0].headers["User-Agent"] == "aimbase-client/1"


def test_login_goes_through_the_clients_transport_and_hooks() -> None:
    server = FakeAimbase()
    hooked: list[str] = []

    def hook(request: httpx.Request) -> None:
        hooked.append(f"{request.method} {request.url.path}")

    transport = httpx.MockTransport(server.handler)
    with httpx.Client(transport=transport, auth=new_login(), event_hooks={"request": [hook]}) as client:
        client.get(LEADS)
    assert hooked == ["POST /api/Security/Login", "GET /odata/V2/Leads"]


def test_login_helpers() -> None:
    server = FakeAimbase()
    transport = httpx.MockTransport(server.handler)
    # The client's own auth is not applied to the login request.
    with httpx.Client(transport=transport, base_url=BASE, auth=BearerAuth("x")) as client:
        pair = login(client, "/api/Security/Login", USERNAME, PASSWORD)
    assert pair == f"bob:{server.issued[0]}"
    assert "Authorization" not in server.login_requests[0].headers
    assert json.loads(server.login_requests[0].content) == {"Username": USERNAME, "Password": PASSWORD}

    async def main() -> str:
        async with httpx.AsyncClient(transport=transport) as client:
            return await alogin(client, LOGIN_URL, USERNAME, PASSWORD)

    assert asyncio.run(main()) == f"bob:{server.issued[1]}"
    with httpx.Client(transport=transport) as client:
        with pytest.raises(AuthenticationError) as info:
            login(client, LOGIN_URL, USERNAME, WRONG_PASSWORD)
    assert_secret_free(info.value, WRONG_PASSWORD)


# -- async --------------------------------------------------------------------------------------------------------


def async_client(server: FakeAimbase, auth: httpx.Auth) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(server.handler), auth=auth)


def test_async_lazy_login_refresh_and_second_401() -> None:
    server = FakeAimbase()
    auth = new_login()

    async def main() -> list[int]:
        async with async_client(server, auth) as client:
            statuses = [(await client.get(LEADS)).status_code for _ in range(3)]
            server.expire_all()
            statuses.append((await client.post(LEADS, json={"Score": 1})).status_code)
            return statuses

    assert asyncio.run(main()) == [200, 200, 200, 200]
    assert server.logins == 2
    assert json.loads(server.login_requests[0].content) == {"Username": USERNAME, "Password": PASSWORD}
    assert json.loads(server.data_requests[-1].content) == {"Score": 1}
    assert server.data_headers[-1] == f"Avala-Api bob:{server.issued[1]}"

    rejecting = FakeAimbase()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/Security/Login":
            return rejecting.handle_login(request)
        return httpx.Response(401)

    async def always_401() -> int:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=new_login()) as client:
            return (await client.get(LEADS)).status_code

    assert asyncio.run(always_401()) == 401
    assert rejecting.logins == 2


def test_async_failed_login_raises_without_secrets() -> None:
    server = FakeAimbase(password="something-else")

    async def main() -> None:
        async with async_client(server, new_login()) as client:
            await client.get(LEADS)

    with pytest.raises(AuthenticationError) as info:
        asyncio.run(main())
    assert str(info.value) == f"401 login failed: The username or password is incorrect. - POST {LOGIN_URL}"
    assert_secret_free(info.value, PASSWORD)


# -- concurrency ---------------------------------------------------------------------------------------------------

CONCURRENCY = 20


def test_threads_hitting_an_expired_token_share_one_login() -> None:
    server = FakeAimbase(login_delay=0.05)
    server.valid.add(f"bob:{GUID}")
    auth = new_login(token=GUID)
    # Every thread sends the expired token before any of them is answered, so all 20 see a 401.
    barrier = threading.Barrier(CONCURRENCY)

    def wait_for_all(request: httpx.Request) -> None:
        if GUID in request.headers["Authenticate"]:
            barrier.wait(timeout=10)

    server.on_rejected = wait_for_all
    with server.client(auth) as client:
        assert client.get(LEADS).status_code == 200
        server.expire_all()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            statuses = list(pool.map(lambda _: client.get(LEADS).status_code, range(CONCURRENCY)))
    assert statuses == [200] * CONCURRENCY
    assert server.logins == 1
    assert len(server.data_requests) == 1 + 2 * CONCURRENCY


def test_threads_share_the_first_lazy_login() -> None:
    server = FakeAimbase(login_delay=0.05)
    start = threading.Barrier(CONCURRENCY)

    def call(client: httpx.Client) -> int:
        start.wait(timeout=10)
        return client.get(LEADS).status_code

    with server.client(new_login()) as client:
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            statuses = list(pool.map(lambda _: call(client), range(CONCURRENCY)))
    assert statuses == [200] * CONCURRENCY
    assert server.logins == 1


def test_tasks_hitting_an_expired_token_share_one_login() -> None:
    server = FakeAimbase()
    auth = new_login(token=GUID)

    async def main() -> list[int]:
        barrier = asyncio.Barrier(CONCURRENCY)

        async def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/Security/Login":
                await asyncio.sleep(0.05)
                return server.handle_login(request)
            response = server.check_data(request)
            if response is not None:
                return response
            await barrier.wait()  # all 20 carry the expired token before any is answered
            return httpx.Response(401)

        async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
            responses = await asyncio.gather(*(client.get(LEADS) for _ in range(CONCURRENCY)))
        return [r.status_code for r in responses]

    assert asyncio.run(main()) == [200] * CONCURRENCY
    assert server.logins == 1
    assert len(server.data_requests) == 2 * CONCURRENCY


def test_one_auth_object_serves_several_event_loops() -> None:
    # asyncio.Lock binds to the loop that first waits on it; the auth keeps one lock per loop.
    server = FakeAimbase()
    auth = new_login()

    async def burst() -> list[int]:
        async def handler(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0.01)
            return server.handler(request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
            responses = await asyncio.gather(*(client.get(LEADS) for _ in range(5)))
        return [r.status_code for r in responses]

    for _ in range(3):
        assert asyncio.run(burst()) == [200] * 5
        server.expire_all()
    assert server.logins == 3
