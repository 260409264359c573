"""Entity references (`$ref`): the links of a navigation property, read and changed in the store.

    GET    Dealers(1)/Products/$ref                 the linked entities' ids (paged, with $filter/$orderby)
    POST   Dealers(1)/Products/$ref                 {"@odata.id": ".../Products(7)"}: link one more
    DELETE Dealers(1)/Products/$ref?$id=.../Products(7)    unlink it (OData 4.0 and 4.01)
    DELETE Dealers(1)/Products(7)/$ref              the same, in the form OData 4.01 adds
    GET    Leads(1)/Prospect/$ref                   the linked entity's id (204 when there is none)
    PUT    Leads(1)/Prospect/$ref                   {"@odata.id": ...}: link this one instead
    DELETE Leads(1)/Prospect/$ref                   unlink it

An `@odata.id` (in a body or `$id`) is resolved against the request URL, as OData resolves relative URLs in
a request; it must then name one entity, by key, of the entity set the navigation is bound to, below this
service's root: another host, service, entity set or a longer path is a 400, a key no entity has a 404.

A link is stored where the navigation joins (see `schema`): a row of its link table, or the foreign key
columns on whichever side is not made of its key (the target's for `Dealer/Products` through a partner's
constraint, the source's for `Lead/Prospect`). Unlinking sets those columns to null, which a non-nullable
one refuses (400). Contained entities have no canonical URL of their own, so containment has no `$ref`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import attrs

from .errors import ODataFailure
from .limits import unquoted
from .options import split_top
from .paths import Single, key_text, resolve
from .resources import parse_key
from .schema import Model, Navigation, Table, link_columns, quote as sql_name
from .store import Record, Scope, Store, key_scope, navigation_scope

__all__ = ["RefTarget", "entity_id", "link", "parse_id", "resolve_ref", "unlink", "unlink_all"]

_ID_SAFE = "()',=:@!$*+;"  # what a key predicate keeps literal in an id URL; the rest is percent-encoded


@attrs.frozen
class RefTarget:
    """`source`'s navigation `navigation` (to `target`), and for `Nav(key)/$ref` the key given."""

    model: Model
    source: Record
    source_path: str
    navigation: Navigation
    target: Table
    key: tuple[Any, ...] | None = None

    @property
    def scope(self) -> Scope:
        """The linked entities, as a condition on the target table."""
        return navigation_scope(self.model, self.navigation, self.source)


def resolve_ref(model: Model, store: Store, path: str, aliases: dict[str, str]) -> RefTarget:
    """What `path` (below the service root, without its final `/$ref`) links: a 404 for a source entity that
    does not exist, a 400 for anything but a navigation property of one entity."""
    parts = split_top(path, "/")
    if len(parts) < 2:
        raise ODataFailure(501, "Only the references of a navigation property ($ref after it) are served.")
    source = resolve(model, store, "/".join(parts[:-1]), aliases)
    name, parens = _name_and_key(parts[-1])
    if not isinstance(source, Single):
        raise ODataFailure(400, f"$ref needs a navigation property of one entity, not '{parts[-1]}' here.")
    navigation = source.table.navigations.get(name)
    if navigation is None:
        raise ODataFailure(400, f"'{name}' is not a navigation property of {source.type_name}.", target=name)
    target = model.table(navigation.target)
    if target.kind != "set":
        why = "contained entities have no references" if target.kind == "contained" else "it leads to a singleton"
        raise ODataFailure(400, f"The links of {name} cannot be addressed: {why}.", target=name)
    record = store.first(source.table, None, source.scope)
    if record is None:
        raise ODataFailure(404, f"No entity {source.path} exists.", target=source.path)
    key = None
    if parens is not None:
        if not navigation.collection:
            raise ODataFailure(400, f"The navigation {name} is single-valued; it takes no key.", target=name)
        key = parse_key(target, parens, aliases)
    return RefTarget(model, record, source.path, navigation, target, key)


def _name_and_key(text: str) -> tuple[str, str | None]:
    opening = next((index for index, char in unquoted(text) if char == "("), None)
    if opening is None:
        return text, None
    if not text.endswith(")"):
        raise ODataFailure(400, f"The path segment {text!r} has text after its closing parenthesis.")
    return text[:opening], text[opening + 1 : -1]


def entity_id(root: str, table: Table, key: tuple[Any, ...]) -> str:
    """The canonical URL of an entity: `{root}Products(7)`, `{root}People('russell%20whyte')`."""
    return root + quote(f"{table.name}({key_text(table, key)})", safe=_ID_SAFE)


def parse_id(model: Model, store: Store, ref: RefTarget, text: Any, base: str, root: str) -> tuple[Any, ...]:
    """The key of the entity an `@odata.id` names (see the module text); `base` is the request URL."""
    if not isinstance(text, str) or not text:
        raise ODataFailure(400, "@odata.id must be a non-empty string: the URL of the entity to link.")
    absolute = urljoin(base, text)
    parts = urlsplit(absolute)
    if parts.query or parts.fragment or not _under(absolute, root):
        raise ODataFailure(400, f"@odata.id {text[:200]!r} is not the URL of an entity of this service.")
    below = unquote(parts.path[len(urlsplit(root).path) :])
    wanted = ref.target.name
    if len(split_top(below, "/")) != 1 or not below.startswith(f"{wanted}("):  # a `/` in a quoted key is no step
        raise ODataFailure(400, f"@odata.id {text[:200]!r} does not name an entity of {wanted} by its key.")
    found = resolve(model, store, below, {})
    assert isinstance(found, Single)  # a set name and a key predicate
    record = store.first(found.table, None, found.scope)
    if record is None:
        raise ODataFailure(404, f"No entity {found.path} exists.", target=found.path)
    return record.key


def _under(url: str, root: str) -> bool:
    """Whether `url` is below the service root `root` (ending in `/`); scheme and host compared without case."""
    mine, theirs = urlsplit(root), urlsplit(url)
    same_origin = (mine.scheme.lower(), mine.netloc.lower()) == (theirs.scheme.lower(), theirs.netloc.lower())
    return same_origin and theirs.path.startswith(mine.path)


# --- changes -----------------------------------------------------------------------------------------------


def link(store: Store, ref: RefTarget, key: tuple[Any, ...], *, replace: bool) -> None:
    """Link the target entity with `key`; with `replace` (a single-valued navigation's PUT), instead of the
    current one. Linking an entity already linked changes nothing."""
    with _transaction(store):
        if replace:
            _unlink(store, ref, None, quiet=True)
        _link(store, ref, key)


def unlink(store: Store, ref: RefTarget, key: tuple[Any, ...]) -> None:
    """Unlink the target entity with `key`: a 404 when it is not linked."""
    with _transaction(store):
        _unlink(store, ref, key, quiet=False)


def unlink_all(store: Store, ref: RefTarget) -> None:
    """Unlink a single-valued navigation's target: a 404 when there is none."""
    with _transaction(store):
        _unlink(store, ref, None, quiet=False)


@contextlib.contextmanager
def _transaction(store: Store) -> Iterator[None]:
    """One change of links is all or nothing: a refusal half-way (a non-nullable column) leaves no trace."""
    with store.lock:
        store.connection.execute("BEGIN")
        try:
            yield
        except BaseException:
            store.connection.execute("ROLLBACK")
            raise
        store.connection.execute("COMMIT")


def _link(store: Store, ref: RefTarget, key: tuple[Any, ...]) -> None:
    navigation, source = ref.navigation, ref.source
    if navigation.link_table is not None:
        sources, targets = link_columns(ref.model, navigation, source.table)
        names = ", ".join(sql_name(c) for c in (*sources, *targets))
        marks = ", ".join("?" for _ in (*sources, *targets))
        sql = f"INSERT OR IGNORE INTO {sql_name(navigation.link_table)} ({names}) VALUES ({marks})"
        store.connection.execute(sql, (*source.key, *key))
        return
    if _target_holds_link(ref):
        values = {t: source.values[s] for s, t in zip(navigation.source_columns, navigation.target_columns)}
        _set_columns(store, ref.target, key, values)
        return
    target = store.get(ref.target, key)
    assert target is not None  # parse_id found it
    values = {s: target.values[t] for s, t in zip(navigation.source_columns, navigation.target_columns)}
    _set_columns(store, source.table, source.key, values)


def _unlink(store: Store, ref: RefTarget, key: tuple[Any, ...] | None, *, quiet: bool) -> None:
    """Unlink the target with `key`, or every target (`key` None); a 404 for nothing to unlink unless `quiet`."""
    navigation, source = ref.navigation, ref.source
    linked = ref.scope if key is None else ref.scope.also(key_scope(ref.target, key))
    targets = [r.key for r in _records(store, ref.target, linked)]
    if not targets:
        if quiet:
            return
        what = f"{ref.target.name}({key_text(ref.target, key)})" if key is not None else "No entity"
        raise ODataFailure(404, f"{what} is not linked from {ref.source_path}/{navigation.name}.")
    if navigation.link_table is not None:
        sources, columns = link_columns(ref.model, navigation, source.table)
        where = " AND ".join(f"{sql_name(c)} = ?" for c in (*sources, *columns))
        sql = f"DELETE FROM {sql_name(navigation.link_table)} WHERE {where}"
        store.connection.executemany(sql, [(*source.key, *target) for target in targets])
    elif _target_holds_link(ref):
        for target in targets:
            _set_columns(store, ref.target, target, dict.fromkeys(navigation.target_columns))
    else:
        _set_columns(store, source.table, source.key, dict.fromkeys(navigation.source_columns))


def _target_holds_link(ref: RefTarget) -> bool:
    """Whether the foreign key is on the target's side: the source's join columns are its key."""
    return set(ref.navigation.source_columns) <= set(ref.source.table.key)


def _set_columns(store: Store, table: Table, key: tuple[Any, ...], values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in table.key:
            raise ODataFailure(400, f"The link is made by the key of {table.name}; it cannot be changed.")
        column = table.columns.get(name)
        if value is None and (column is None or not column.nullable):
            raise ODataFailure(400, f"{table.name}.{name} cannot be null: this link can be replaced, not removed.")
    assignments = ", ".join(f"{sql_name(name)} = ?" for name in values)
    where = " AND ".join(f"{sql_name(k)} = ?" for k in table.key)
    sql = f"UPDATE {sql_name(table.name)} SET {assignments} WHERE {where}"
    store.connection.execute(sql, (*values.values(), *key))


def _records(store: Store, table: Table, scope: Scope) -> list[Record]:
    order = ", ".join(f"{sql_name('t0')}.{sql_name(k)}" for k in table.key)
    sql = (
        f"SELECT {sql_name('t0')}.* FROM {sql_name(table.name)} AS {sql_name('t0')} WHERE {scope.sql} ORDER BY {order}"
    )
    return [Record(table, row) for row in store.execute(sql, scope.parameters)]
