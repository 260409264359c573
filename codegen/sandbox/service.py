"""Request handling: login, service document, `$metadata`, and what a resource path addresses (see `paths`):
collections (with paging), single entities, `$count`, PATCH, and operations (see `operations`). Database
work runs in the thread pool; the store serialises it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..runtime.edm import write_datetime
from ..runtime.http.jsonio import dumps
from .auth import LoginRefused, Tokens
from .codec import ValueProblem, check_value
from .entities import check_select, context_url, entity_json, etag
from .errors import ODATA_HEADERS, ODataFailure, error_response, json_bytes_response, json_object, json_response, shown
from .guard import internal_error_message
from .limits import MAX_BODY_BYTES, MAX_LOGIN_BODY_BYTES, read_json_body
from .operations import Handler, OperationCall, Stored, echo
from .options import QueryOptions, parse_options
from .parameters import action_parameters, function_parameters
from .paths import Call, Count, Rows, Single, Value, resolve
from .references import RefTarget, entity_id, link, parse_id, resolve_ref, unlink, unlink_all
from .results import operation_context, operation_json
from .schema import INTEGER_TYPES, Model, Table
from .store import Record, Scope, Store

__all__ = ["ODataService", "preferences"]

T = TypeVar("T")
_log = logging.getLogger(__name__)
# The client went away before its request was read (it timed out, say): nobody will read this answer, and the
# sandbox did nothing wrong. nginx logs such requests as 499 "client closed request".
_CLIENT_GONE = 499
_MAX_PAGE_SIZE = 2**31 - 1  # odata.maxpagesize is an Edm.Int32 in the OData ABNF


def preferences(request: Request) -> dict[str, str]:
    """The `Prefer` header's preferences, names lower-cased (`odata.maxpagesize` -> "50"); a 400 when one is
    given twice with different values (a client bug worth seeing; the same value twice is accepted)."""
    found: dict[str, str] = {}
    for header in request.headers.getlist("prefer"):
        for item in header.split(","):
            name, _, value = item.strip().partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if not name:
                continue
            if found.get(name, value) != value:
                raise ODataFailure(400, f"The preference {name} is given twice with different values.")
            found[name] = value
    return found


class ODataService:
    def __init__(
        self,
        model: Model,
        store: Store,
        tokens: Tokens,
        *,
        metadata: bytes,
        service_path: str,
        page_size: int,
        handlers: dict[str, Handler] | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be 1 or more, not {page_size}")
        self.handlers = handlers or {}
        self.model = model
        self.store = store
        self.tokens = tokens
        self.metadata = metadata
        self.service_path = service_path.rstrip("/")
        self.page_size = page_size

    # --- login --------------------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        try:
            if request.method != "POST":
                raise LoginRefused(405, f"{request.method} is not allowed here; log in with POST.")
            try:
                body = await read_json_body(request, MAX_LOGIN_BODY_BYTES)
            except ODataFailure as failure:
                raise LoginRefused(failure.status, failure.message) from None
            token = self.tokens.login(body)
        except LoginRefused as refused:
            headers = {"Allow": "POST"} if refused.status == 405 else None
            message = dumps({"Message": shown(refused.message)})
            return Response(message, refused.status, headers, media_type="application/json")
        except ClientDisconnect:
            return Response(status_code=_CLIENT_GONE)
        return Response(dumps(token), 200, media_type="application/json; charset=utf-8")

    # --- OData --------------------------------------------------------------------------------------------

    async def odata(self, request: Request) -> Response:
        try:
            self.tokens.check(request.headers)
            # scope["path"], strictly percent-decoded by the RequestGuard; request.url.path would re-encode
            # ?, # and \ in it.
            path: str = request.scope["path"]
            below = path[len(self.service_path) :].lstrip("/")
            if below == "":
                self._method(request, "GET")
                return self.service_document(request)
            if below == "$metadata":
                self._method(request, "GET")
                return Response(self.metadata, 200, ODATA_HEADERS, media_type="application/xml")
            if below.startswith("$"):
                raise ODataFailure(501, f"{below} is not supported by the sandbox.")
            aliases = parameter_aliases(request)
            if below.endswith("/$ref"):
                return await self.references(request, below.removesuffix("/$ref"), aliases)
            target = await _threaded(lambda: resolve(self.model, self.store, below, aliases))
            if isinstance(target, Count):
                self._method(request, "GET")
                return await self.count(request, target.rows)
            if isinstance(target, Rows):
                self._collection_method(request, target.table)
                return await self.collection(request, target)
            if isinstance(target, Call):
                return await self.invoke(request, target, aliases)
            if request.method == "PATCH":
                return await self.patch(request, target)
            self._entity_method(request, target.table)
            return await self.entity(request, target)
        except ODataFailure as failure:
            return error_response(failure)
        except ClientDisconnect:
            return Response(status_code=_CLIENT_GONE)
        except RecursionError:  # a last resort: the limits should refuse anything this deep before
            return error_response(ODataFailure(400, "The request nests too deeply for the sandbox."))
        except Exception as error:  # a bug in the sandbox: still an OData error, and the connection stays usable
            _log.exception("sandbox failure on %s %r", request.method, request.scope.get("path"))
            return error_response(ODataFailure(500, internal_error_message(error)))

    def service_root(self, request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}{self.service_path}/"

    def service_document(self, request: Request) -> Response:
        sets = [{"name": name, "kind": "EntitySet", "url": name} for name in self.model.tables]
        sets += [{"name": name, "kind": "Singleton", "url": name} for name in self.model.singletons]
        return json_response({"@odata.context": f"{self.service_root(request)}$metadata", "value": sets})

    async def collection(self, request: Request, rows: Rows, *, pageable: bool = True) -> Response:
        """A page of `rows`; with `pageable` False (an action's result, which cannot be asked for again with
        GET) the first page only, without a next link."""
        options = parse_options(request.query_params.multi_items())
        table = rows.table
        check_select(self.model, table, options)
        size, applied = self._page_size(request)

        def read() -> tuple[bytes, int, int | None, bool]:
            remaining = None if options.top is None else max(0, options.top - options.skiptoken)
            limit = size if remaining is None else min(size, remaining)
            offset = options.skip + options.skiptoken
            values, served, more = self._page_values(table, options, offset=offset, limit=limit, scope=rows.scope)
            count = self.store.count(table, options, rows.scope) if options.count else None
            return values, served, count, more and (remaining is None or remaining > limit)

        values, served, count, more = await _threaded(read)
        context = context_url(self.model, self.service_root(request), table, options, path=rows.context)
        members = [("@odata.context", dumps(context))]
        if count is not None:
            members.append(("@odata.count", dumps(count)))
        members.append(("value", values))
        if more and pageable:
            members.append(("@odata.nextLink", dumps(_next_link(request, options.skiptoken + served))))
        headers = {"Preference-Applied": f"odata.maxpagesize={applied}"} if applied else {}
        return json_bytes_response(json_object(members), headers=headers)

    def _page_values(
        self, table: Table, options: QueryOptions, *, offset: int, limit: int, scope: Scope
    ) -> tuple[bytes, int, bool]:
        """A page's `value` array as JSON text, its length, and whether more entities follow. SQLite writes the
        JSON where it can (`Store.page_json`); other shapes go through `Record`s and `entity_json`."""
        written = self.store.page_json(table, options, offset=offset, limit=limit, scope=scope)
        if written is not None:
            texts, more = written
            return ("[" + ",".join(texts) + "]").encode("utf-8"), len(texts), more
        records, more = self.store.page(table, options, offset=offset, limit=limit, scope=scope)
        return dumps([entity_json(self.model, record, options) for record in records]), len(records), more

    async def count(self, request: Request, rows: Rows) -> Response:
        options = parse_options(request.query_params.multi_items())
        number = await _threaded(lambda: self.store.count(rows.table, options, rows.scope))
        return Response(str(number), 200, ODATA_HEADERS, media_type="text/plain")

    async def entity(self, request: Request, single: Single) -> Response:
        options = parse_options(request.query_params.multi_items())
        _single_entity_options(options)
        check_select(self.model, single.table, options)
        record = await _threaded(lambda: self.store.first(single.table, options, single.scope))
        if record is None:
            if single.navigation:
                return Response(status_code=204, headers=dict(ODATA_HEADERS))  # a navigation to no entity
            raise _not_found(single)
        return self._entity_response(request, single, record, options)

    def _entity_response(self, request: Request, single: Single, record: Record, options: QueryOptions) -> Response:
        root = self.service_root(request)
        entity = not single.singleton
        context = context_url(self.model, root, single.table, options, entity=entity, path=single.context)
        body = {"@odata.context": context}
        body.update(entity_json(self.model, record, options))
        tag = etag(record)
        return json_response(body, headers={"ETag": tag} if tag else {})

    async def patch(self, request: Request, single: Single) -> Response:
        table = single.table
        if not table.entity_set.updatable:
            raise ODataFailure(405, f"The entity set {table.name} is not updatable.", headers={"Allow": "GET"})
        if request.query_params:
            _single_entity_options(parse_options(request.query_params.multi_items()))
        wanted = preferences(request)  # before the write: a bad Prefer header must not leave a change behind
        body = await read_json_body(request, MAX_BODY_BYTES)
        if not isinstance(body, dict):
            raise ODataFailure(400, "The request body must be a JSON object holding the properties to change.")
        changes = self._changes(table, body)
        if_match = request.headers.get("if-match")

        def write() -> Any:
            with self.store.lock:
                record = self.store.first(table, None, single.scope)
                if record is None:
                    raise _not_found(single)
                current = etag(record)
                if if_match and current and if_match.strip() != "*" and current not in _tags(if_match):
                    raise ODataFailure(412, "The entity was changed since it was read (If-Match does not match).")
                self.store.update(table, record.key, {**changes, **_new_version(table, record.values, changes)})
                return self.store.get(table, record.key)

        record = await _threaded(write)
        tag = etag(record)
        headers = {"ETag": tag} if tag else {}
        if wanted.get("return") == "representation":
            response = self._entity_response(request, single, record, QueryOptions())
            response.headers["Preference-Applied"] = "return=representation"
            return response
        return Response(status_code=204, headers={**ODATA_HEADERS, **headers})

    # --- entity references ($ref, see `references`) -------------------------------------------------------

    async def references(self, request: Request, path: str, aliases: dict[str, str]) -> Response:
        ref = await _threaded(lambda: resolve_ref(self.model, self.store, path, aliases))
        root = self.service_root(request)
        if ref.key is not None:  # `Nav(key)/$ref`, the OData 4.01 way to name the link to remove
            self._method(request, "DELETE")
            key = ref.key
            await _threaded(lambda: unlink(self.store, ref, key))
        elif request.method in ("GET", "HEAD"):
            return await self._reference_list(request, ref, root)
        elif request.method == "DELETE" and ref.navigation.collection:
            given = request.query_params.getlist("$id")
            if len(given) != 1:
                raise ODataFailure(400, "Name the entity to unlink with one $id (or as Nav(key)/$ref).")
            key = await _threaded(lambda: parse_id(self.model, self.store, ref, given[0], str(request.url), root))
            await _threaded(lambda: unlink(self.store, ref, key))
        elif request.method == "DELETE":
            await _threaded(lambda: unlink_all(self.store, ref))
        else:
            self._method(request, "POST" if ref.navigation.collection else "PUT", "GET", "DELETE")
            body = await read_json_body(request, MAX_BODY_BYTES)
            if not isinstance(body, dict):
                raise ODataFailure(400, 'The body must be a JSON object: {"@odata.id": "<entity URL>"}.')
            wanted = body.get("@odata.id")
            key = await _threaded(lambda: parse_id(self.model, self.store, ref, wanted, str(request.url), root))
            replace = not ref.navigation.collection
            await _threaded(lambda: link(self.store, ref, key, replace=replace))
        return Response(status_code=204, headers=dict(ODATA_HEADERS))

    async def _reference_list(self, request: Request, ref: RefTarget, root: str) -> Response:
        """The ids of the linked entities: a page of them, or the one (204 when there is none)."""
        options = parse_options(request.query_params.multi_items())
        if options.select is not None or options.expand:
            raise ODataFailure(400, "$select and $expand do not apply to entity references.")
        if not ref.navigation.collection:
            _single_entity_options(options)
            found = await _threaded(lambda: self.store.first(ref.target, None, ref.scope))
            if found is None:
                return Response(status_code=204, headers=dict(ODATA_HEADERS))
            return json_response(
                {"@odata.context": f"{root}$metadata#$ref", "@odata.id": entity_id(root, ref.target, found.key)}
            )
        size, applied = self._page_size(request)
        remaining = None if options.top is None else max(0, options.top - options.skiptoken)
        limit = size if remaining is None else min(size, remaining)
        offset = options.skip + options.skiptoken
        page = await _threaded(
            lambda: self.store.page(ref.target, options, offset=offset, limit=limit, scope=ref.scope)
        )
        records, more = page
        body: dict[str, Any] = {"@odata.context": f"{root}$metadata#Collection($ref)"}
        if options.count:
            body["@odata.count"] = await _threaded(lambda: self.store.count(ref.target, options, ref.scope))
        body["value"] = [{"@odata.id": entity_id(root, ref.target, r.key)} for r in records]
        if more and (remaining is None or remaining > limit):
            body["@odata.nextLink"] = _next_link(request, options.skiptoken + len(records))
        headers = {"Preference-Applied": f"odata.maxpagesize={applied}"} if applied else {}
        return json_response(body, headers=headers)

    # --- operations ---------------------------------------------------------------------------------------

    async def invoke(self, request: Request, call: Call, aliases: dict[str, str]) -> Response:
        operation = call.operation
        if operation.kind == "function":
            self._method(request, "GET")
            parameters = function_parameters(self.model, operation, call.arguments, aliases)
        else:
            self._method(request, "POST")
            body = await read_json_body(request, MAX_BODY_BYTES, empty=None)
            parameters = action_parameters(self.model, operation, body)
        options = parse_options(request.query_params.multi_items())
        binding = call.binding
        details = OperationCall(operation, parameters, self.store, self.model)
        if isinstance(binding, Value):
            details = attrs.evolve(details, binding_value=binding.value, binding_path=binding.path)
        elif binding is not None:
            details = attrs.evolve(
                details,
                binding_table=binding.table,
                binding_scope=binding.scope,
                binding_collection=isinstance(binding, Rows),
                binding_context=binding.context,
                binding_path=binding.path or binding.context,
            )
        handler = self.handlers.get(operation.qualified_name, echo)
        result = await _threaded(lambda: handler(details))
        returned = operation.return_type
        if returned is None or result is None:
            return Response(status_code=204, headers=dict(ODATA_HEADERS))
        if isinstance(result, Stored):
            if returned.collection:
                rows = Rows(result.table, result.scope, result.context, result.table.type_name)
                return await self.collection(request, rows, pageable=operation.kind == "function")
            single = Single(result.table, result.scope, result.context, result.context, result.table.type_name)
            single = attrs.evolve(single, navigation=True, singleton=result.table.kind == "singleton")
            return await self.entity(request, single)
        context = operation_context(self.model, self.service_root(request), operation, result)
        return json_response({"@odata.context": context, **operation_json(self.model, operation, result, options)})

    def _changes(self, table: Table, body: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for name, value in body.items():
            if name.startswith("@") or "@" in name:
                continue  # annotations such as @odata.type or Prop@odata.type
            column = table.columns.get(name)
            if column is None:
                if name in table.navigations:
                    raise ODataFailure(
                        400, f"The navigation property '{name}' cannot be changed with PATCH here.", target=name
                    )
                raise ODataFailure(
                    400, f"The property '{name}' does not exist on type '{table.type_name}'.", target=name
                )
            if not column.editable:
                why = "it is part of the key" if name in table.key else "it is read-only (computed by the service)"
                if column.prop.doc.immutable:
                    why = "it is immutable"
                raise ODataFailure(400, f"The property '{name}' cannot be changed: {why}.", target=name)
            try:
                changes[name] = check_value(self.model, column.prop, value)
            except ValueProblem as problem:
                raise ODataFailure(400, problem.message, target=problem.target) from None
        return changes

    def _page_size(self, request: Request) -> tuple[int, int | None]:
        """The page size for this request, and the `odata.maxpagesize` applied (None if none was asked for)."""
        wanted = preferences(request).get("odata.maxpagesize")
        if wanted is None:
            return self.page_size, None
        # ASCII digits only: str.isdigit() accepts "²", which int() then refuses.
        if not (wanted.isascii() and wanted.isdigit() and 0 < len(wanted) <= 10 and 0 < int(wanted) <= _MAX_PAGE_SIZE):
            raise ODataFailure(
                400, f"odata.maxpagesize must be a whole number from 1 to {_MAX_PAGE_SIZE}, not {wanted!r}."
            )
        size = int(wanted)
        return (size, size) if size <= self.page_size else (self.page_size, None)

    @staticmethod
    def _method(request: Request, *allowed: str) -> None:
        if request.method not in allowed and not (request.method == "HEAD" and "GET" in allowed):
            raise ODataFailure(405, f"{request.method} is not allowed here.", headers={"Allow": ", ".join(allowed)})

    def _collection_method(self, request: Request, table: Table) -> None:
        if request.method == "POST":
            if not table.entity_set.insertable:
                raise ODataFailure(
                    405, f"The entity set {table.name} does not allow inserts.", headers={"Allow": "GET"}
                )
            raise ODataFailure(501, "Creating entities is not supported by the sandbox.")
        self._method(request, "GET")

    def _entity_method(self, request: Request, table: Table) -> None:
        if request.method == "DELETE":
            if not table.entity_set.deletable:
                raise ODataFailure(
                    405, f"The entity set {table.name} does not allow deletes.", headers={"Allow": "GET, PATCH"}
                )
            raise ODataFailure(501, "Deleting entities is not supported by the sandbox.")
        if request.method == "PUT":
            raise ODataFailure(501, "PUT is not supported by the sandbox; use PATCH.")
        self._method(request, "GET", "PATCH")


async def _threaded(function: Callable[[], T]) -> T:
    return await run_in_threadpool(function)


def _single_entity_options(options: QueryOptions) -> None:
    collection_only = ("filter", "orderby", "top", "search")
    default = QueryOptions()
    for name in collection_only + ("skip", "count", "skiptoken"):
        if getattr(options, name) != getattr(default, name):
            raise ODataFailure(400, f"${name} cannot be applied to a single entity.", target=f"${name}")


def _not_found(single: Single) -> ODataFailure:
    return ODataFailure(404, f"No entity {single.path} exists.", target=single.path)


def parameter_aliases(request: Request) -> dict[str, str]:
    """The query's parameter aliases (`@p=1`) by name with the `@`; a 400 for one given twice."""
    aliases: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if not name.startswith("@"):
            continue
        if not name[1:].isidentifier():
            raise ODataFailure(400, f"{name!r} is not a parameter alias (@ and a name).", target=name)
        if name in aliases:
            raise ODataFailure(400, f"The parameter alias {name} is given more than once.", target=name)
        aliases[name] = value
    return aliases


def _new_version(table: Table, values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """New values for the concurrency properties a change does not set itself, so that the ETag changes."""
    bumped: dict[str, Any] = {}
    for name in table.entity_set.concurrency_properties:
        column = table.columns.get(name)
        if column is None or name in changes:
            continue
        if column.edm in INTEGER_TYPES:
            bumped[name] = int(values.get(name) or 0) + 1
        elif column.edm == "Edm.DateTimeOffset":
            bumped[name] = write_datetime(dt.datetime.now(dt.timezone.utc))
    return bumped


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",")]


def _next_link(request: Request, skiptoken: int) -> str:
    """This request's URL with `$skiptoken` set (the other options kept exactly as the client wrote them)."""
    kept = [part for part in request.url.query.split("&") if part and not _is_skiptoken(part)]
    kept.append(f"$skiptoken={skiptoken}")
    return str(request.url.replace(query="&".join(kept)))


def _is_skiptoken(part: str) -> bool:
    name = part.split("=", 1)[0]
    return name.lower() in ("$skiptoken", "%24skiptoken")
