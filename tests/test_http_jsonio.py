"""codegen/runtime/http/jsonio.py: JSON in and out with Edm.Decimal exact.

- `loads`: non-integers are Decimal, integers int (any size), bytes in any JSON encoding, NaN/Infinity
  tokens refused.
- `dumps`: the exact bytes for each kind of value (Decimal positional, `1E+2` -> `100`); round trips of
  nested data; the stdlib's output for data without Decimals (so the writer is as correct as `json`);
  refusals (NaN/Infinity, non-str keys, unknown types, cycles, lone surrogates).
- Hypothesis: arbitrary nested JSON values with finite Decimals round-trip by value, and our bytes are what
  the stdlib parser reads back.
"""

from __future__ import annotations

import enum
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.runtime.http.jsonio import JSONDepthError, decimal_text, dumps, loads

NESTED: dict[str, Any] = {
    "@odata.context": "https://acme.example.com/odata/V2/$metadata#Leads",
    "value": [
        {
            "LeadId": 114,
            "Latitude": Decimal("34.448123"),
            "Longitude": Decimal("-119.2429"),
            "Amount": Decimal("1E+2"),
            "Tiny": Decimal("-0.000001"),
            "Wide": Decimal("-12345678901234567890.123456789012345678"),
            "Big": 10**40,
            "Negative": -7,
            "Name": 'Zoë Ångström \u2603 \U0001f600 "quoted" back\\slash\nnew\ttab \x00 \u2028',
            "IsActive": True,
            "Deleted": False,
            "Notes": None,
            "Score": 1.5,
            "Tags": ["a", "b", []],
            "Prospect": {"Address": {"Lines": [{"Text": "1 Main St."}]}, "Empty": {}},
        }
    ],
}


def test_round_trip_of_nested_data_keeps_every_value() -> None:
    assert loads(dumps(NESTED)) == NESTED


def test_round_trip_keeps_decimal_digits_exactly() -> None:
    lead = loads(dumps(NESTED))["value"][0]
    assert isinstance(lead["Latitude"], Decimal) and str(lead["Latitude"]) == "34.448123"
    assert str(lead["Wide"]) == "-12345678901234567890.123456789012345678"
    assert str(lead["Tiny"]) == "-0.000001"
    assert lead["Big"] == 10**40 and isinstance(lead["Big"], int)
    # 1E+2 is written as 100, the same value; it reads back as the int 100 (== Decimal("1E+2")).
    assert lead["Amount"] == Decimal("1E+2") and lead["Amount"] == 100
    assert lead["Name"] == NESTED["value"][0]["Name"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("34.448123"), b"34.448123"),
        (Decimal("1E+2"), b"100"),
        (Decimal("1.50"), b"1.50"),
        (Decimal("-0.000001"), b"-0.000001"),
        (Decimal("1E-7"), b"0.0000001"),
        (Decimal("-12.5E-3"), b"-0.0125"),
        (Decimal("0"), b"0"),
        (Decimal("-0"), b"-0"),
        (Decimal("0E-3"), b"0.000"),
        (Decimal("79228162514264337593543950335"), b"79228162514264337593543950335"),
        (Decimal("1E+200"), b"1E+200"),  # beyond the positional limit: exponent form, still valid JSON
        (Decimal("-1.5E-150"), b"-1.5E-150"),
    ],
)
def test_decimal_is_written_as_an_exact_json_number(value: Decimal, text: bytes) -> None:
    assert dumps(value) == text
    assert dumps({"D": [value]}) == b'{"D":[' + text + b"]}"
    assert json.loads(text, parse_float=Decimal) == value  # the stdlib reads the same value back


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, b"null"),
        (True, b"true"),
        (False, b"false"),
        (0, b"0"),
        (-(10**30), b"-1000000000000000000000000000000"),
        (1.5, b"1.5"),
        (1e-7, b"1e-07"),
        ("", b'""'),
        ("é\u2603", '"é\u2603"'.encode()),
        ('"\\/\b\f\n\r\t\x01', b'"\\"\\\\/\\b\\f\\n\\r\\t\\u0001"'),
        ([], b"[]"),
        ((1, "a"), b'[1,"a"]'),
        ({}, b"{}"),
        ({"a": {"b": [None]}}, b'{"a":{"b":[null]}}'),
    ],
)
def test_other_values(value: Any, text: bytes) -> None:
    assert dumps(value) == text


class Color(enum.IntEnum):
    RED = 1


def test_int_subclasses_write_their_number_and_bool_is_not_an_int() -> None:
    assert dumps([Color.RED, True, 1]) == b"[1,true,1]"


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")]
)
def test_nan_and_infinity_decimals_are_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match="JSON has no number"):
        dumps({"a": [value]})
    with pytest.raises(ValueError):
        decimal_text(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_floats_are_refused(value: float) -> None:
    with pytest.raises(ValueError, match="JSON has no number"):
        dumps([value])


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ({1: "a"}, TypeError, "keys must be str"),
        ({None: "a"}, TypeError, "keys must be str"),
        ({1, 2}, TypeError, "cannot write set"),
        (object(), TypeError, "cannot write object"),
        (b"bytes", TypeError, "cannot write bytes"),
        ("\ud800", ValueError, "UTF-8"),
    ],
)
def test_refusals(value: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        dumps(value)


def test_a_cycle_is_refused_but_shared_containers_are_fine() -> None:
    shared = [1]
    assert dumps({"a": shared, "b": shared}) == b'{"a":[1],"b":[1]}'
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="circular"):
        dumps(cycle)


def test_loads_reads_non_integers_as_decimal() -> None:
    data = loads('{"a": 34.448123, "b": 1E+2, "c": -0.5e-3, "d": 7, "e": 123456789012345678901234567890}')
    assert data == {
        "a": Decimal("34.448123"),
        "b": Decimal("1E+2"),
        "c": Decimal("-0.0005"),
        "d": 7,
        "e": 123456789012345678901234567890,
    }
    assert [type(v) for v in data.values()] == [Decimal, Decimal, Decimal, int, int]
    assert str(data["b"]) == "1E+2"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_loads_reads_bytes_in_any_json_encoding(encoding: str) -> None:
    assert loads('{"Name": "Zoë \u2603", "X": 1.10}'.encode(encoding)) == {"Name": "Zoë \u2603", "X": Decimal("1.10")}


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}'])
def test_loads_refuses_nan_and_infinity_tokens(text: str) -> None:
    with pytest.raises(ValueError, match="not JSON"):
        loads(text)


@pytest.mark.parametrize("text", ["", "{", "{'a': 1}", "[1,]", "<html>"])
def test_loads_refuses_what_is_not_json(text: str) -> None:
    with pytest.raises(ValueError):
        loads(text)


def test_output_matches_the_stdlib_for_data_without_decimals() -> None:
    data = {k: v for k, v in NESTED["value"][0].items() if not isinstance(v, Decimal)}
    assert dumps(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_json = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


def _as_read(value: Any) -> Any:
    """What reading `value` back gives: a float comes back as the Decimal of its shortest repr."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _as_read(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    return value


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_value_round_trips_by_value(value: Any) -> None:
    text = dumps(value)
    assert loads(text) == _as_read(value)
    assert json.loads(text, parse_float=Decimal) == _as_read(value)  # the stdlib parser agrees: valid JSON


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_every_finite_decimal_is_written_exactly(value: Decimal) -> None:
    text = dumps(value).decode()
    assert Decimal(text) == value
    if -100 <= int(value.as_tuple().exponent) and value.adjusted() <= 100:
        assert "E" not in text and "e" not in text


def _written_by_the_python_writer(value: Any) -> bytes:
    from codegen.runtime.http import jsonio

    pieces: list[str] = []
    jsonio._write(value, pieces, set())
    return "".join(pieces).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(_json)
def test_the_fast_writer_gives_the_same_bytes_as_the_python_writer(value: Any) -> None:
    # `dumps` hands most data to msgspec; whatever it takes, the bytes must be those of our own writer.
    try:
        expected = _written_by_the_python_writer(value)
    except ValueError:  # a lone surrogate from st.text()
        with pytest.raises(ValueError):
            dumps(value)
        return
    assert dumps(value) == expected


@pytest.mark.parametrize(
    "text",
    [b'"\xed\xa0\x80"', b'"\\ud800"', b"1" * 5000, "[1".encode("utf-16-le")[:-1]],
    ids=["surrogate-bytes", "lone-surrogate-escape", "huge-integer", "truncated-utf16"],
)
def test_loads_refuses_surrogates_huge_integers_and_broken_encodings(text: bytes) -> None:
    with pytest.raises(ValueError):
        loads(text)


@pytest.mark.parametrize(
    "text",
    ['{"a": "' + "[" * 300 + '"}', '["", "", "[[[", "]]]", ""]', '{"k": "\\"[[[[", "j": [""]}'],
)
def test_brackets_inside_strings_do_not_count_as_depth(text: str) -> None:
    loads(text.encode(), max_depth=3)


@pytest.mark.parametrize("text", ['[""' * 5 + "]" * 5, '[["",' * 5 + '""' + "]]" * 5, '[ "]" ,' * 5 + "1" + "]" * 5])
def test_depth_is_found_between_strings(text: str) -> None:
    with pytest.raises(JSONDepthError):
        loads(text.encode(), max_depth=4)


@pytest.mark.parametrize("max_depth", [100, 10**7], ids=["scanned", "beyond-the-scan"])
@pytest.mark.parametrize("text", [b"[" * 10**6, b'{"a":' * 10**6 + b"1" + b"}" * 10**6], ids=["arrays", "objects"])
def test_a_million_levels_are_a_clean_depth_error(text: bytes, max_depth: int) -> None:
    # Refused by the scan, or (a limit set beyond it) by the parser's own recursion guard: never a crash.
    with pytest.raises(JSONDepthError):
        loads(text, max_depth=max_depth)
    with pytest.raises(JSONDepthError):
        loads(text.decode(), max_depth=max_depth)


def test_depth_is_found_after_escaped_quotes() -> None:
    with pytest.raises(JSONDepthError):
        loads(b'["\\"", ' + b"[" * 5 + b"]" * 5 + b"]", max_depth=4)
    loads(b'["\\"[[[[[[", [[]]]', max_depth=3)
