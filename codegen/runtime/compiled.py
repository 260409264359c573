"""Per-class OData JSON readers and writers, compiled once per class and converter on first use.

A generic reader asks, for every value, which hook its field's type needs (cattrs dispatch, an Optional
wrapper, a lambda per primitive): that dispatch costs more than parsing the JSON. Here each class gets
functions with a straight line per field, so a value that already has its field's type (a `str` for a string,
an in-range `int`) is stored without a call, and everything else goes to the reader chosen for that field
when the class was first used. Objects sent whole and objects sent in part ($select) are filled by two
functions, each compiled when first needed; writers likewise.

What goes into the generated source is fixed text of this module, field indexes, and attribute names that are
plain ASCII Python identifiers (checked); wire names, readers and everything else from the class are bound as
constants of the function's namespace, never written into its text. An attribute that is not such an
identifier is set with `setattr` and a bound name.

A writer returns a `checked.CheckedDict` naming the values that are not surely JSON scalars, so that the JSON
writer checks only those before handing the object to msgspec.

Types are resolved lazily: a field whose annotation names a generated type (navigation and complex
properties, enums), which its module imports for type checkers only, is resolved on its first non-null value,
so reading an object imports only the modules of the types its data holds.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import keyword
import math
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.fns import identity

from . import edm
from .checked import CheckedDict
from .enums import Received, sent_form, written
from .errors import DeserializationError
from .model import ODataModel, WireField, field_hint, generated_class, resolve_odata_type, wire_fields
from .subclasses import registered, watch

Reader = Callable[[Any], Any]
Writer = Callable[[Any], dict[str, Any]]

_MISSING = object()
_EMPTY: Mapping[str, Any] = types.MappingProxyType({})


class _Field:
    """How one field is read: its reader, a fast-path test (fixed source text) and the test's constants."""

    def __init__(self, reader: Reader, *, fast: str = "", holds_enums: bool = False):
        self.reader = reader
        self.fast = fast  # a condition over `v`, from the templates below; "" for none
        self.constants: dict[str, Any] = {}
        self.holds_enums = holds_enums


# Conditions under which a JSON value already is what the field's reader would return. `{i}` is the field index.
_STR = "type(v) is str"
_BOOL = "v is True or v is False"
_INT = "type(v) is int and _lo{i} <= v <= _hi{i}"
_FLOAT = "type(v) is float and _lo{i} < v < _hi{i}"
_DECIMAL = "type(v) is _Decimal and v.is_finite()"


class Specialiser:
    """The compiled readers and writers of one converter; `configure_converter` registers its hooks.

    The converter stays the place to customise: a structure hook registered for a type is used for every field
    of that type, only the runtime's own primitive hooks are replaced by their inline fast paths. Hooks are
    looked up when a class is first read or written, so they are registered before the converter is used.
    """

    def __init__(self, converter: cattrs.Converter, primitive_hooks: Mapping[Any, Reader]):
        self.converter = converter
        # Our registered structure hook -> the plain Edm reader it wraps.
        self._primitive_hooks = primitive_hooks
        self._readers: dict[type[ODataModel], Reader] = {}
        self._writers: dict[type[ODataModel], Writer] = {}
        # The writers of the classes the converter has handed to `unstructure`, i.e. those whose unstructure hook
        # is ours: a field holding one of them calls its writer without the converter's dispatch.
        self._direct: dict[type, Writer] = {}
        watch(self)

    # --- hooks registered on the converter ---------------------------------------------------------------

    def structure(self, data: Any, cls: type[ODataModel]) -> ODataModel:
        read = self._readers.get(cls) or self.reader(cls)
        result: ODataModel = read(data)
        return result

    def unstructure(self, obj: ODataModel) -> dict[str, Any]:
        cls = type(obj)
        write = self._direct.get(cls)
        if write is None:
            write = self._direct[cls] = self.writer(cls)
        return write(obj)

    # --- per class -----------------------------------------------------------------------------------------

    def reader(self, cls: type[ODataModel]) -> Reader:
        found = self._readers.get(cls)
        while found is None:
            actual = registered(cls)  # the user's subclass standing for a generated class (`subclasses`)
            found = self._readers.get(actual) or _compile_reader(self, actual)
            self._readers[cls] = self._readers[actual] = found
            # A registration made while this one compiled may have found nothing to forget yet: checked after
            # storing, so it either shows here or its `forget` comes after the store and drops it.
            if registered(cls) is not actual:
                self._readers.pop(cls, None)
                found = None
        return found

    def forget(self, cls: type[ODataModel]) -> None:
        """Drop the reader of `cls`: a subclass was registered for it. Readers of fields and of derived types look
        theirs up here per value, so the next object of `cls` read anywhere is read by a new one."""
        self._readers.pop(cls, None)

    def writer(self, cls: type[ODataModel]) -> Writer:
        found = self._writers.get(cls)
        if found is None:
            found = self._writers[cls] = _compile_writer(self, cls)
        return found

    def is_ours(self, hook: Any) -> bool:
        return getattr(hook, "__self__", None) is self

    # --- per field -----------------------------------------------------------------------------------------

    def field(self, field: WireField, hint: Any) -> _Field:
        """The reader of one field of type `hint`, chosen once per class."""
        base, is_list, nullable_items = _unwrap(hint)
        if base is not hint:  # `list[X]`, `X | None`: a hook a user registered for the whole type wins
            whole = self.converter.get_structure_hook(hint)
            if not _made_by_cattrs(whole) and not self.is_ours(whole) and whole not in self._primitive_hooks:
                return _Field(_hook_reader(whole, hint))
        checked = _edm_number(base, field.edm_type)
        if checked is not None:  # Int32 and Int64 are both int: the field's Edm type gives the range
            reader, fast = checked
            return _Field(_list_reader(reader, True)) if is_list else fast
        if is_list:
            item = self._value(base, base)
            return _Field(_list_reader(item.reader, nullable_items), holds_enums=item.holds_enums)
        return self._value(base, hint)

    def _value(self, base: Any, hint: Any) -> _Field:
        """A single (non-list) value of type `base`; `hint` is the full type, for the converter's own hooks."""
        converter = self.converter
        if isinstance(base, type):
            hook = converter.get_structure_hook(base)
            primitive = self._primitive_hooks.get(hook)
            if primitive is not None:
                return _primitive_field(base, primitive)
            if issubclass(base, ODataModel) and self.is_ours(hook):
                model: type[ODataModel] = base
                # Looked up per value, not now: a class may refer to itself (Person.Friends).
                return _Field(lambda value: (self._readers.get(model) or self.reader(model))(value))
            return _Field(_hook_reader(hook, base), holds_enums=issubclass(base, enum.Enum))
        hook = converter.get_structure_hook(hint)
        return _Field(_hook_reader(hook, hint))


def _made_by_cattrs(hook: Any) -> bool:
    """True for the hooks cattrs builds itself for lists and optionals (what a user registers comes from elsewhere)."""
    module = getattr(getattr(hook, "__func__", hook), "__module__", None) or ""
    return module == "cattrs" or module.startswith("cattrs.")


def _hook_reader(hook: Callable[[Any, Any], Any], hint: Any) -> Reader:
    return lambda value: hook(value, hint)


def _primitive_field(base: type, reader: Reader) -> _Field:
    if base is str:
        return _Field(reader, fast=_STR)
    if base is bool:
        return _Field(reader, fast=_BOOL)
    if base is int:  # no Edm type named: Int64, as `edm.read_wire_int` reads it
        return _int_field(reader, *edm.INT_RANGES["Edm.Int64"])
    if base is float:
        return _float_field(reader, math.inf)
    if base is Decimal:
        return _Field(reader, fast=_DECIMAL)
    return _Field(reader)


def _int_field(reader: Reader, low: int, high: int) -> _Field:
    result = _Field(reader, fast=_INT)
    result.constants = {"lo": low, "hi": high}
    return result


def _float_field(reader: Reader, limit: float) -> _Field:
    result = _Field(reader, fast=_FLOAT)
    result.constants = {"lo": -limit, "hi": limit}
    return result


def _edm_number(base: Any, edm_type: str | None) -> tuple[Reader, _Field] | None:
    if base is int and edm_type is not None and edm_type in edm.INT_RANGES:
        int_type = edm_type  # bound now: the lambda must not see a later rebinding
        reader: Reader = lambda value: edm.read_wire_int(value, int_type)  # noqa: E731
        return reader, _int_field(reader, *edm.INT_RANGES[int_type])
    if base is float and edm_type == "Edm.Single":
        reader = lambda value: edm.read_float(value, "Edm.Single")  # noqa: E731
        return reader, _float_field(reader, edm._SINGLE_MAX)
    return None


def _list_reader(item: Reader, nullable_items: bool) -> Reader:
    def read(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(f"expected a JSON array, got {type(value).__name__}")
        if nullable_items:
            return [None if element is None else item(element) for element in value]
        return [item(element) for element in value]

    return read


def _unwrap(hint: Any) -> tuple[Any, bool, bool]:
    """(base type, whether a list, whether its items may be null): `list[int | None] | None` -> (int, True, True)."""
    hint, _ = _without_none(hint)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (Any,)
        base, nullable = _without_none(item)
        return base, True, nullable
    return hint, False, True


def _without_none(hint: Any) -> tuple[Any, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        rest = [arg for arg in args if arg is not type(None)]
        return (rest[0] if len(rest) == 1 else hint), len(rest) < len(args)
    return hint, hint is Any


class _Deferred:
    """A field whose type is a generated class not imported yet: resolved, and its reader chosen, on the first
    non-null value. `read` then becomes that reader (an instance attribute shadowing the method)."""

    def __init__(self, specialiser: Specialiser, field: WireField):
        self._specialiser = specialiser
        self._field = field
        self.holds_enums = False

    def read(self, value: Any) -> Any:
        chosen = self._specialiser.field(self._field, field_hint(self._field, load=True))
        self.holds_enums = chosen.holds_enums
        reader = chosen.reader
        self.read = reader  # type: ignore[method-assign, assignment]
        return reader(value)


def _known_hint(field: WireField) -> tuple[bool, Any]:
    """(True, hint) when the field's module already has every name its annotation uses, else (False, None)."""
    try:
        return True, field_hint(field, load=False)
    except NameError:
        return False, None


def _attribute_code(attribute: str, index: int, namespace: dict[str, Any]) -> tuple[str, str]:
    """(source reading the attribute of `o`, source assigning `{}` to it)."""
    if attribute.isascii() and attribute.isidentifier() and not keyword.iskeyword(attribute):
        return f"o.{attribute}", f"o.{attribute} = {{}}"
    namespace[f"_a{index}"] = attribute
    return f"getattr(o, _a{index})", f"setattr(o, _a{index}, {{}})"


# --- reading ---------------------------------------------------------------------------------------------------


def _compile_reader(specialiser: Specialiser, cls: type[ODataModel]) -> Reader:
    fields = wire_fields(cls)
    wires = frozenset(field.wire_name for field in fields)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_new": cls.__new__,
        "_M": _MISSING,
        "_Decimal": Decimal,
        "_Mapping": Mapping,
        "_wires": wires,
        "_names": tuple(field.wire_name for field in fields),
        "_at": DeserializationError.at,
        "_not_object": _not_object,
        "_target": _target,
        "_reader_of": specialiser.reader,
        "_split": _split_extras,
        "_sent_form": sent_form,
        "_Received": Received,
    }
    codes = [_field_code(specialiser, field, index, namespace) for index, field in enumerate(fields)]
    # The two ways of filling an object are compiled on first use: a class is mostly read one way only, and
    # compiling costs about as much as reading a few hundred objects.
    namespace["_fill_whole"] = _compile_on_first_call(
        "_fill_whole", "fill", functools.partial(_fill_source, codes, True), namespace, cls
    )
    namespace["_fill_partial"] = _compile_on_first_call(
        "_fill_partial", "fill", functools.partial(_fill_source, codes, False), namespace, cls
    )
    at_in_wires = any("@" in wire for wire in wires)  # never for CSDL names; then every object is checked
    lines = [
        "def read(data):",
        "    if type(data) is not dict and not isinstance(data, _Mapping):",
        "        raise _not_object(_cls, data)",
        # Sent whole and nothing else (the common case): the declared names are the set of those sent.
        f"    if len(data) == {len(fields)} and _wires.issuperset(data):",
        "        present = _wires",
        f"        extra = {at_in_wires}",
        "        whole = True",
        "    else:",
        "        present = frozenset(data.keys() & _wires)",
        # An annotation is never a declared property (property names have no "@"), so only objects with keys
        # beyond the declared ones can carry @odata.type.
        f"        extra = {at_in_wires} or len(present) != len(data)",
        f"        whole = len(present) == {len(fields)}",
        "    if extra:",
        "        target = _target(_cls, data)",
        "        if target is not _cls:",
        "            return _reader_of(target)(data)",
        "    o = _new(_cls)",
        "    forms = _fill_whole(o, data) if whole else _fill_partial(o, data)",
        "    if extra:",
        "        o.dynamic_properties, o.instance_annotations = _split(data, _wires)",
        "    else:",
        "        o.dynamic_properties = {}",
        "        o.instance_annotations = {}",
        "    o._odata_present = _Received(present, forms) if forms else present",
        "    return o",
    ]
    reader: Reader = _define("read", lines, namespace, cls)
    return reader


def _fill_source(codes: list[_FieldCode], whole: bool) -> list[str]:
    """`fill(o, data)`: set the attributes of `o` from `data`, whole (every declared name present, indexed) or
    not (each looked up); returns the enum forms to remember, or None."""
    lines = ["def fill(o, data):", "    forms = None", "    n = 0"]
    if not whole:
        lines.append("    get = data.get")
    lines.append("    try:")
    for index, code in enumerate(codes):
        lines += ["    " + line for line in _read_field(code, index, whole=whole)]
    lines += [
        "        pass",  # a class without properties
        "    except Exception as e:",
        "        raise _at(_cls, _names[n], e) from None",  # n: the field whose reader raised
        "    return forms",
    ]
    return lines


def _compile_on_first_call(
    name: str, defines: str, source: Callable[[], list[str]], namespace: dict[str, Any], cls: type
) -> Callable[..., Any]:
    """A stand-in for function `name` of `namespace`: on its first call, compiles `source` (which defines the
    function `defines`) and puts the result in its place."""

    def first_call(*args: Any) -> Any:
        function = namespace[name] = _define(defines, source(), namespace, cls)
        return function(*args)

    return first_call


@attrs.frozen
class _FieldCode:
    """The source pieces of one field's reading; its constants are in the function's namespace already."""

    assign: str  # source assigning `{}` to the attribute
    call: str  # source reading a value `v` off the fast path
    fast: str  # a condition under which `v` is stored as it is, or ""
    holds_enums: str  # source of a condition under which the value's enum forms are remembered, or ""
    default_none: bool


def _field_code(specialiser: Specialiser, field: WireField, i: int, namespace: dict[str, Any]) -> _FieldCode:
    namespace[f"_w{i}"] = field.wire_name
    _get, assign = _attribute_code(field.attribute, i, namespace)
    known, hint = _known_hint(field)
    if not known:
        namespace[f"_d{i}"] = _Deferred(specialiser, field)
        return _FieldCode(assign, f"_d{i}.read(v)", "", f"_d{i}.holds_enums", field.default_none)
    plan = specialiser.field(field, hint)
    for name, value in plan.constants.items():
        namespace[f"_{name}{i}"] = value
    namespace[f"_r{i}"] = plan.reader
    return _FieldCode(
        assign, f"_r{i}(v)", plan.fast.format(i=i), "True" if plan.holds_enums else "", field.default_none
    )


def _read_field(code: _FieldCode, i: int, *, whole: bool) -> list[str]:
    assign = code.assign
    # Most likely first: a value of the field's own type, then null or absent, then the reader.
    lines = [f"    v = data[_w{i}]" if whole else f"    v = get(_w{i}, _M)"]
    if code.fast:
        lines += [f"    if {code.fast}:", f"        {assign.format('v')}", "    elif v is None:"]
    else:
        lines += ["    if v is None:"]
    lines.append(f"        {assign.format('None')}")
    if not whole:
        lines += ["    elif v is _M:", f"        {assign.format('None')}" if code.default_none else "        pass"]
    lines += ["    else:", f"        n = {i}", f"        r = {code.call}", f"        {assign.format('r')}"]
    if code.holds_enums:
        lines += [
            f"        if {code.holds_enums}:",
            "            f = _sent_form(v, r)",
            "            if f is not None:",
            "                if forms is None:",
            "                    forms = {}",
            f"                forms[_w{i}] = f",
        ]
    return lines


def _not_object(cls: type, data: Any) -> DeserializationError:
    return DeserializationError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")


def _target(cls: type[ODataModel], data: Mapping[str, Any]) -> type[ODataModel]:
    """The class to read `data` as: `cls`, or the derived type its `@odata.type` names."""
    odata_type = data.get("@odata.type") or data.get("@type")
    if not isinstance(odata_type, str):
        return cls
    base = generated_class(cls)  # `cls` may be a user's subclass; the package's index names generated classes
    try:
        found = resolve_odata_type(base, odata_type)
    except ValueError as exc:  # a known type that is not `cls` or derived from it
        raise DeserializationError(str(exc), owner=cls.__name__) from None
    return cls if found is base else registered(found)


def _split_extras(data: Mapping[str, Any], wires: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(dynamic properties, instance annotations) of `data`: its undeclared keys, in the order sent."""
    extras = [(key, value) for key, value in data.items() if key not in wires]
    dynamic = {key: value for key, value in extras if "@" not in key}
    annotations = {key: value for key, value in extras if "@" in key}
    return dynamic, annotations


# --- writing ---------------------------------------------------------------------------------------------------


def _compile_writer(specialiser: Specialiser, cls: type[ODataModel]) -> Writer:
    converter = specialiser.converter
    fields = wire_fields(cls)
    namespace: dict[str, Any] = {
        "_Received": Received,
        "_EMPTY": _EMPTY,
        "_u": converter.unstructure,
        "_direct": specialiser._direct.get,
        "_written": written,
        "_own": _own_annotations,
        "_property": _property_annotations,
        "_rest": _other_annotations,
        "_type_annotation": f"#{cls.__odata_type__}",
        "_wires": frozenset(field.wire_name for field in fields),
        "_Checked": CheckedDict,
    }
    values = [_write_value(converter, field, index, namespace) for index, field in enumerate(fields)]
    for name, plain in (("_put_plain", True), ("_put_general", False)):
        source = functools.partial(_put_source, fields, values, namespace, plain)
        namespace[name] = _compile_on_first_call(name, "put", source, namespace, cls)
    lines = [
        "def write(o):",
        "    u = []",  # the values put in `out` that `jsonio` must still check (see `checked`)
        "    p = o._odata_present",
        "    forms = p.forms if type(p) is _Received else _EMPTY",
        "    ann = o.instance_annotations",
        # OData JSON puts an object's own annotations first and a property's just before it.
        "    out = _own(ann) if ann else {}",
    ]
    if _is_derived(cls):  # built in Python: a server can only tell a derived type by its annotation
        lines += ['    if p is None and "@odata.type" not in out:', "        out['@odata.type'] = _type_annotation"]
    lines += [
        # Every property set (built in Python, or sent whole) and no annotation to place: the common case.
        "    if (p is None or p == _wires) and not ann:",
        "        _put_plain(o, out, forms, u)",
        "    else:",
        "        _put_general(o, out, forms, p, ann, u)",
        "    if ann:",
        "        _rest(out, ann)",
        "    dynamic = o.dynamic_properties",
        "    if dynamic:",
        "        out.update(dynamic)",
        # Annotations and dynamic properties are the user's data, keys and all: such an object is checked whole.
        "        return out",
        "    if ann:",
        "        return out",
        "    checked = _Checked(out)",
        "    checked.vetted = True",
        "    checked.unchecked = u",
        "    return checked",
    ]
    writer: Writer = _define("write", lines, namespace, cls)
    return writer


def _put_source(
    fields: tuple[WireField, ...], values: list[list[str]], namespace: dict[str, Any], plain: bool
) -> list[str]:
    """`put(o, out, forms[, p, ann], u)`: the properties of `o` into `out`: every one set, or (not `plain`) those
    sent, each after its own annotations; values that are not surely JSON scalars also go to list `u`."""
    lines = ["def put(o, out, forms, u):" if plain else "def put(o, out, forms, p, ann, u):"]
    for index, field in enumerate(fields):
        get, _assign = _attribute_code(field.attribute, index, namespace)
        head = ["try:", f"    v = {get}", "except AttributeError:", "    pass", "else:"]
        body = ["    " + line for line in values[index]]
        if not plain:
            head = [f"if p is None or _w{index} in p:", *("    " + line for line in head)]
            body = ["    " + line for line in ["    if ann:", f"        _property(out, ann, _p{index})", *body]]
        lines += ["    " + line for line in head + body]
    lines.append("    pass")  # a class without properties
    return lines


def _write_value(converter: cattrs.Converter, field: WireField, i: int, namespace: dict[str, Any]) -> list[str]:
    """Source writing `v`, the value of field `i`, into `out` (and into `u` unless surely a JSON scalar),
    unindented."""
    namespace[f"_w{i}"] = field.wire_name
    namespace[f"_p{i}"] = f"{field.wire_name}@"
    known, hint = _known_hint(field)
    base, is_list, _ = _unwrap(hint) if known else (None, False, False)
    may_hold_forms = not known or is_list or (isinstance(base, type) and issubclass(base, enum.Enum))
    lines = []
    if known and not is_list and isinstance(base, type) and not may_hold_forms:
        hook = converter.get_unstructure_hook(base)
        namespace[f"_b{i}"] = base
        namespace[f"_h{i}"] = hook
        value = "v" if hook is identity or (base is Decimal and hook is edm.write_decimal) else f"_h{i}(v)"
        lines += [f"if type(v) is _b{i}:", f"    out[_w{i}] = r = {value}"]
        if not (_SCALAR_BASES.get(base) is hook or any(hook is writer for writer in _TEXT_WRITERS)):
            lines.append("    u.append(r)")  # a Decimal or float may be NaN, a user's hook may give anything
        lines.append("elif v is None:")
    else:
        lines.append("if v is None:")
    lines.append(f"    out[_w{i}] = None")
    if may_hold_forms:  # enum members read in a form of their own go back in that form
        lines += [
            f"elif forms and _w{i} in forms:",
            f"    out[_w{i}] = r = _written(v, forms[_w{i}], _u)",
            "    u.append(r)",
        ]
    # A model the converter has written before goes straight to its writer; anything else through the converter.
    lines += [
        "else:",
        "    w = _direct(type(v))",
        f"    out[_w{i}] = r = _u(v) if w is None else w(v)",
        "    u.append(r)",
    ]
    return lines


# Values of these exact types, written by these hooks, are JSON scalars msgspec writes as `jsonio` does.
_SCALAR_BASES: dict[type, Any] = {str: identity, int: identity, bool: identity}
# Hooks of the runtime that always return a `str`, whatever value of their exact type they are given.
_TEXT_WRITERS = (edm.write_datetime, dt.date.isoformat, edm.write_time, edm.write_duration, edm.write_binary, str)


def _own_annotations(annotations: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in annotations.items() if key.startswith("@")}


def _property_annotations(out: dict[str, Any], annotations: Mapping[str, Any], prefix: str) -> None:
    out.update((key, value) for key, value in annotations.items() if key.startswith(prefix))


def _other_annotations(out: dict[str, Any], annotations: Mapping[str, Any]) -> None:
    out.update((key, value) for key, value in annotations.items() if key not in out)


def _is_derived(cls: type[ODataModel]) -> bool:
    """True for a derived OData type; a user's subclass of a generated class is that class on the wire."""
    bases = generated_class(cls).__bases__
    return any(base is not ODataModel and issubclass(base, ODataModel) for base in bases)


def _define(name: str, lines: list[str], namespace: dict[str, Any], cls: type) -> Any:
    source = "\n".join(lines) + "\n"
    filename = f"<odata {name} of {cls.__module__}.{cls.__qualname__}>"
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - see the module docstring
    return namespace[name]
