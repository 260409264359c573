"""The per-class compiled readers and writers (codegen/runtime/compiled.py): hooks, hostile names, laziness."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimbase import Lead
from codegen.runtime import DeserializationError, ODataModel, make_converter, structure, unstructure, wire

REPO_ROOT = Path(__file__).resolve().parents[1]
LEAD_82540 = REPO_ROOT / "specs" / "aimbase" / "examples" / "lead-82540-expand-all.json"


def load_lead() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(LEAD_82540.read_text(encoding="utf-8"), parse_float=Decimal)
    return loaded


# Wire names that are not Python: they must reach the compiled function as constants, never as source text.
HOSTILE_WIRE = 'a"b\\\n); import os #'


@attrs.define(kw_only=True, eq=False, repr=False)
class Odd(ODataModel):
    __odata_type__ = "Lab.Odd"

    text: str | None = attrs.field(default=None, metadata=wire(HOSTILE_WIRE))
    small: int = attrs.field(metadata=wire("Small", "Edm.Byte"))
    amounts: list[Decimal | None] = attrs.field(factory=list, metadata=wire("Amounts"))


@attrs.define(kw_only=True, eq=False, repr=False)
class Accented(ODataModel):
    # Not a plain ASCII identifier: set and read through setattr/getattr with a bound name, not source text.
    ñame: str | None = attrs.field(default=None, metadata=wire("Name"))


def test_an_attribute_that_is_not_an_ascii_identifier_is_set_by_name():
    accented = structure({"Name": "Åsa"}, Accented)
    assert accented.ñame == "Åsa"
    assert unstructure(accented) == {"Name": "Åsa"}
    assert structure({}, Accented).ñame is None


def test_a_hook_registered_for_a_type_applies_to_its_fields():
    own = make_converter()
    own.register_structure_hook(dt.datetime, lambda value, _cls: dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    own.register_structure_hook(str, lambda value, _cls: value.upper())
    lead = own.structure(load_lead(), Lead)
    assert lead.lead_date == dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    assert lead.prospect.first_name == "JOHN"  # nested objects use the same converter
    # The default converter is unaffected.
    assert structure(load_lead(), Lead).prospect.first_name == "John"


def test_a_hook_registered_for_a_whole_list_or_optional_type_applies():
    own = make_converter()
    own.register_structure_hook_func(lambda hint: hint == list[Decimal | None], lambda value, _hint: ["listed"])
    own.register_structure_hook_func(lambda hint: hint == str | None, lambda value, _hint: "optional")
    odd = own.structure({HOSTILE_WIRE: "x", "Small": 1, "Amounts": [1]}, Odd)
    assert odd.amounts == ["listed"] and odd.text == "optional"
    plain = structure({HOSTILE_WIRE: "x", "Small": 1, "Amounts": [1]}, Odd)
    assert plain.amounts == [Decimal(1)] and plain.text == "x"


def test_a_hook_registered_for_writing_a_type_applies():
    own = make_converter()
    own.register_unstructure_hook(str, lambda value: value.lower())
    written = own.unstructure(own.structure(load_lead(), Lead))
    assert written["Prospect"]["FirstName"] == "john"
    assert written["ScoreText"] == "25"


def test_a_hook_registered_for_writing_a_model_class_applies_to_fields_holding_it():
    # Fields holding a model call its compiled writer directly once the converter has handed that class to
    # us; a class with a hook of its own must never be taken that way.
    own = make_converter()
    lead = own.structure(load_lead(), Lead)
    prospect_class = type(lead.prospect)
    own.register_unstructure_hook_func(lambda cls: cls is prospect_class, lambda value: {"custom": value.first_name})
    assert own.unstructure(lead.prospect) == {"custom": "John"}
    assert own.unstructure(lead)["Prospect"] == {"custom": "John"}
    assert own.unstructure(lead)["Dealer"] == unstructure(lead)["Dealer"]  # the other classes as before


def test_hostile_wire_names_are_read_and_written_as_data():
    odd = structure({HOSTILE_WIRE: "x", "Small": 7, "Amounts": [Decimal("1.50"), None]}, Odd)
    assert (odd.text, odd.small, odd.amounts) == ("x", 7, [Decimal("1.50"), None])
    assert odd._odata_present == {HOSTILE_WIRE, "Small", "Amounts"}
    assert unstructure(odd) == {HOSTILE_WIRE: "x", "Small": 7, "Amounts": [Decimal("1.50"), None]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"Small": 256}, "Odd.Small: 256 is out of range for Edm.Byte (0 to 255)"),
        ({"Small": True}, "Odd.Small: expected an integer, got bool True"),
        ({"Small": 1, HOSTILE_WIRE: 5}, f"Odd.{HOSTILE_WIRE}: expected a string, got int 5"),
        ({"Small": 1, "Amounts": {"a": 1}}, "Odd.Amounts: expected a JSON array, got dict"),
        ({"Small": 1, "Amounts": [Decimal("NaN")]}, "Odd.Amounts: Decimal('NaN') is not an Edm.Decimal number"),
    ],
)
def test_values_off_the_fast_path_are_refused_as_before(data, message):
    with pytest.raises(DeserializationError) as caught:
        structure(data, Odd)
    assert str(caught.value).startswith(message)


def test_extra_keys_split_into_dynamic_properties_and_annotations_in_order():
    odd = structure({"Small": 1, "b": 2, "@odata.etag": "W/1", "Small@x": 3, "a": 4}, Odd)
    assert list(odd.dynamic_properties) == ["b", "a"]
    assert list(odd.instance_annotations) == ["@odata.etag", "Small@x"]
    assert list(unstructure(odd)) == ["@odata.etag", "Small@x", "Small", "b", "a"]


GRAPHLESS_PROBE = """
import sys
from codegen.runtime import structure
import aimbase
before = set(sys.modules)
lead = structure({payload!r}, aimbase.Lead)
loaded = sorted(name for name in set(sys.modules) - before if name.startswith("aimbase"))
print(" ".join(loaded))
"""


def test_structuring_imports_only_the_modules_of_types_in_the_data():
    payload = {"Id": 1, "LeadUid": "257a56e7-02a3-47f4-80c5-6dd5681e4f7a", "Dealer": {"Id": 48, "Name": "A"}}
    result = subprocess.run(
        [sys.executable, "-c", GRAPHLESS_PROBE.format(payload=payload)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    loaded = set(result.stdout.split())
    assert {"aimbase.models.lead", "aimbase.models.dealer"} <= loaded
    assert not loaded & {"aimbase.models.prospect", "aimbase.models.product", "aimbase.models.customs"}


# --- written objects and the JSON writer's fast path (codegen/runtime/checked.py) --------------------------------


@attrs.define(kw_only=True, eq=False, repr=False)
class Measure(ODataModel):
    __odata_type__ = "Lab.Measure"

    name: str | None = attrs.field(default=None, metadata=wire("Name"))
    ratio: float | None = attrs.field(default=None, metadata=wire("Ratio"))
    amount: Decimal | None = attrs.field(default=None, metadata=wire("Amount"))
    when: dt.datetime | None = attrs.field(default=None, metadata=wire("When"))
    inner: Measure | None = attrs.field(default=None, metadata=wire("Inner"))


def _python_writer_bytes(value: Any) -> bytes:
    from codegen.runtime.http import jsonio

    pieces: list[str] = []
    jsonio._write(value, pieces, set())
    return "".join(pieces).encode("utf-8")


def test_a_written_lead_gives_the_python_writers_bytes():
    from codegen.runtime.http.jsonio import dumps

    data = unstructure(structure(load_lead(), Lead))
    assert dumps(data) == _python_writer_bytes(data)
    assert dumps([data, data]) == _python_writer_bytes([data, data])


@pytest.mark.parametrize(
    ("ratio", "amount"),
    [(1e16, Decimal("1E+2")), (1e-5, Decimal("1.50")), (float("inf"), Decimal("-0")), (0.5, Decimal("1E-7"))],
)
def test_numbers_of_a_written_object_are_still_written_as_the_python_writer_does(ratio, amount):
    from codegen.runtime.http.jsonio import dumps

    data = unstructure(Measure(ratio=ratio, amount=amount, inner=Measure(ratio=ratio, amount=amount)))
    assert dumps(data) == _python_writer_bytes(data)


def test_a_nan_decimal_in_a_written_object_is_refused():
    from codegen.runtime.http.jsonio import dumps

    with pytest.raises(ValueError, match="NaN"):
        dumps(unstructure(Measure(inner=Measure(amount=Decimal("NaN")))))


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data.__setitem__("Name", float("nan")),
        lambda data: data.update(Name=float("nan")),
        lambda data: data.setdefault("Extra", float("nan")),
        lambda data: data.__ior__({"Extra": float("nan")}),
        lambda data: data["Inner"].__setitem__("Name", float("nan")),
    ],
    ids=["setitem", "update", "setdefault", "ior", "nested"],
)
def test_a_written_object_changed_afterwards_is_checked_again(change):
    from codegen.runtime.http.jsonio import dumps

    data = unstructure(Measure(name="a", inner=Measure(name="b")))
    dumps(data)
    change(data)
    with pytest.raises(ValueError, match="nan"):
        dumps(data)


def test_a_copied_or_pickled_written_object_writes_the_same_bytes():
    import copy
    import pickle

    from codegen.runtime.http.jsonio import dumps

    when = dt.datetime(2024, 1, 2, 3, 4, 5, 600000, tzinfo=dt.timezone.utc)
    data = unstructure(Measure(name="a", amount=Decimal("1E+3"), when=when, inner=Measure(ratio=2.5)))
    expected = _python_writer_bytes(data)
    for twin in (copy.copy(data), copy.deepcopy(data), pickle.loads(pickle.dumps(data))):
        assert twin == data
        assert dumps(twin) == expected


def test_a_users_hook_result_is_checked_by_the_json_writer():
    from codegen.runtime.http.jsonio import dumps

    own = make_converter()
    own.register_unstructure_hook(str, lambda value: float("nan") if value == "bad" else value)
    assert dumps(own.unstructure(Measure(name="good"))).startswith(b'{"Name":"good",')
    with pytest.raises(ValueError, match="nan"):
        dumps(own.unstructure(Measure(inner=Measure(name="bad"))))


_measures = st.recursive(
    st.builds(
        Measure,
        name=st.none() | st.text(),
        ratio=st.none() | st.floats(),
        amount=st.none() | st.decimals(),
        when=st.none()
        | st.datetimes(timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=-6))])),
    ),
    lambda inner: st.builds(Measure, name=st.text(), inner=inner),
    max_leaves=4,
)


@settings(max_examples=300, deadline=None)
@given(_measures)
def test_written_objects_give_the_python_writers_bytes_or_the_same_refusal(measure):
    # Floats and Decimals of every kind (NaN, exponents), lone surrogates, nesting: the vetted fast path must
    # write exactly what the general writer writes, and refuse what it refuses.
    from codegen.runtime.http.jsonio import dumps

    data = unstructure(measure)
    try:
        expected = _python_writer_bytes(data)
    except ValueError:
        with pytest.raises(ValueError):
            dumps(data)
        return
    assert dumps(data) == expected
