"""`create_app`: the Starlette application serving a spec's CSDL over seeded SQLite data.

app = create_app(load_spec(Path("specs/aimbase/codegen.toml")), rows=3000, seed=1)
app.state.sandbox.faults = Faults(status_every=2, retry_after=0)   # change faults while serving
app.state.sandbox.store.execute('SELECT COUNT(*) AS n FROM "Leads"')  # look at the data directly

Operations answer with the generic echo (see `operations`) unless a handler is registered for them:

def discount(call: OperationCall) -> object:        # Products/Default.Discount, bound to Collection(Product)
    for record in call.records():
        ...                                           # change call.store, return JSON or Records
app = create_app(spec, rows=40, seed=1, operations={"Default.Discount": discount})
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, request_response
from starlette.types import Receive, Scope, Send

from ..csdl import parse_metadata
from ..spec import Spec
from .auth import Tokens
from .errors import ODataFailure, error_response
from .faults import FaultControl, FaultInjector, Faults
from .guard import RequestGuard
from .operations import Handler, check_handlers
from .pools import AIMBASE
from .schema import Model, build_model
from .seed import Flavour, generate
from .service import ODataService
from .store import Store

__all__ = ["DEFAULT_LOGIN_PATH", "Sandbox", "create_app"]

DEFAULT_LOGIN_PATH = "/api/Security/Login"


class _PathRoute(BaseRoute):
    """`endpoint` for `path` (and, unless `exact`, every path below it), whatever the method: the endpoint
    answers 405 itself. Starlette's `{rest:path}` misses paths holding a newline (`Things('a%0Ab')`), and its
    own 405 is plain text, not an OData error."""

    def __init__(self, path: str, endpoint: Callable[[Request], Awaitable[Response]], *, exact: bool) -> None:
        self.path = path.rstrip("/") or "/"
        self.exact = exact
        self.endpoint = endpoint
        self.app = request_response(endpoint)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            path: str = scope["path"]
            inside = path == self.path or path == self.path + "/"
            if not self.exact:
                inside = inside or path.startswith(self.path.rstrip("/") + "/")
            if inside:
                return Match.FULL, {"endpoint": self.endpoint, "path_params": {}}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class Sandbox:
    """What a sandbox app holds (`app.state.sandbox`): the model, the data, the tokens and the faults."""

    def __init__(
        self,
        spec: Spec,
        *,
        rows: int,
        seed: int,
        username: str = "demo",
        password: str = "demo",
        page_size: int = 1000,
        token_ttl: float | None = None,
        flavour: Flavour | None = None,
        database: Path | None = None,
        operations: Mapping[str, Handler] | None = None,
    ) -> None:
        self.spec = spec
        self.model: Model = build_model(parse_metadata(spec.metadata, spec.references))
        self.store = Store(self.model, generate(self.model, rows=rows, seed=seed, flavour=flavour or AIMBASE), database)
        self.tokens = Tokens(username, password, scheme=spec.auth, ttl=token_ttl)
        self.service_path = "/" + spec.service_path.strip("/")
        self.login_path = spec.login_path or DEFAULT_LOGIN_PATH
        self.service = ODataService(
            self.model,
            self.store,
            self.tokens,
            metadata=spec.metadata.read_bytes(),
            service_path=self.service_path,
            page_size=page_size,
            handlers=check_handlers(self.model, operations or {}),
        )
        self.fault_control = FaultControl()

    @property
    def faults(self) -> Faults:
        """The faults injected now; assign to change them (the request count starts again)."""
        return self.fault_control.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self.fault_control.faults = faults


def create_app(
    spec: Spec,
    *,
    rows: int,
    seed: int,
    username: str = "demo",
    password: str = "demo",
    page_size: int = 1000,
    token_ttl: float | None = None,
    faults: Faults | None = None,
    flavour: Flavour | None = None,
    database: Path | None = None,
    operations: Mapping[str, Handler] | None = None,
) -> Starlette:
    """A Starlette app serving `spec`'s entity sets and singletons under its service path, with `rows`
    seeded rows.

    `database` keeps the SQLite data in that file instead of in memory; `flavour` replaces the Aimbase
    value pools (see `codegen.sandbox.seed.Flavour`); `operations` maps qualified action and function names
    (`"Default.Discount"`) to handlers run instead of the generic echo (see `codegen.sandbox.operations`).
    """
    sandbox = Sandbox(
        spec,
        rows=rows,
        seed=seed,
        username=username,
        password=password,
        page_size=page_size,
        token_ttl=token_ttl,
        flavour=flavour,
        database=database,
        operations=operations,
    )
    service = sandbox.service
    root = sandbox.service_path
    prefix = root.rstrip("/")
    routes: list[BaseRoute] = [
        _PathRoute(sandbox.login_path, service.login, exact=True),
        _PathRoute(prefix or "/", service.odata, exact=False),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(ODataFailure(404, f"No resource at {request.url.path}."))

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestGuard),  # outermost: limits and strict decoding first, and the catch-all
            Middleware(
                FaultInjector,
                control=sandbox.fault_control,
                service_path=root,
                login_path=sandbox.login_path,
            ),
        ],
        exception_handlers={404: not_found},
    )
    sandbox.faults = faults
    app.state.sandbox = sandbox
    return app
