"""Exact data through the runtime converter (issue 8, deliverable 7).

Each class is one data class a hostile or merely exotic server sends: 7- and 12-digit fractional seconds
(.NET writes 7), durations below a microsecond, Int64 and Decimal as JSON strings (IEEE754Compatible=true),
numbers out of the range of their Edm type, and enum members sent as numbers. Read then written, a value
gives back the text it came as; a value that does not fit is refused with a `DeserializationError` naming
the property and the Edm type. No network.

This module deliberately has no `from __future__ import annotations`: the hand-made model classes below
need real type objects in their annotations (the converter resolves string hints in generated packages).
"""

import copy
import datetime as dt
import enum
import json
import math
import pickle
import re
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimbase import Lead
from codegen.runtime import DeserializationError, ODataModel, edm, structure, unstructure, wire
from codegen.runtime.query.literals import format_literal

LEAD_UID = "cc16dda6-8c50-483b-a928-cc506817cc33"
FAST = settings(max_examples=150, deadline=None)


def lead(**properties: Any) -> dict[str, Any]:
    return {"Id": 1, "LeadUid": LEAD_UID, "LeadDate": "2016-08-29T15:31:01-05:00", **properties}


def roundtrip_lead(**properties: Any) -> dict[str, Any]:
    return unstructure(structure(lead(**properties), Lead))  # type: ignore[no-any-return]


def typed_wire(name: str, edm_type: str) -> dict[str, str]:
    """`wire(name, edm_type)`; the Edm type is the subject of these tests (new in issue 8)."""
    return wire(name, edm_type)  # type: ignore[call-arg]


def reading_model() -> type[ODataModel]:
    """A model as the generator writes one once field metadata carries the Edm type."""

    @attrs.define(kw_only=True, eq=False, repr=False)
    class Reading(ODataModel):
        __odata_type__ = "Exact.Reading"

        big: int | None = attrs.field(default=None, metadata=typed_wire("Big", "Edm.Int64"))
        small: int | None = attrs.field(default=None, metadata=typed_wire("Small", "Edm.Int16"))
        byte: int | None = attrs.field(default=None, metadata=typed_wire("Byte", "Edm.Byte"))
        sbyte: int | None = attrs.field(default=None, metadata=typed_wire("SByte", "Edm.SByte"))
        counts: list[int] = attrs.field(factory=list, metadata=typed_wire("Counts", "Edm.Int32"))
        single: float | None = attrs.field(default=None, metadata=typed_wire("Single", "Edm.Single"))
        double: float | None = attrs.field(default=None, metadata=typed_wire("Double", "Edm.Double"))
        price: Decimal | None = attrs.field(default=None, metadata=typed_wire("Price", "Edm.Decimal"))
        untyped: int | None = attrs.field(default=None, metadata=wire("Untyped"))
        at: dt.datetime | None = attrs.field(default=None, metadata=typed_wire("At", "Edm.DateTimeOffset"))
        clock: dt.time | None = attrs.field(default=None, metadata=typed_wire("Clock", "Edm.TimeOfDay"))
        shelf_life: dt.timedelta | None = attrs.field(default=None, metadata=typed_wire("ShelfLife", "Edm.Duration"))
        lives: list[dt.timedelta] = attrs.field(factory=list, metadata=typed_wire("Lives", "Edm.Duration"))

    return Reading


def roundtrip_reading(**properties: Any) -> dict[str, Any]:
    return unstructure(structure(properties, reading_model()))  # type: ignore[no-any-return]


# --- hypothesis strategies: valid OData texts -----------------------------------------------------------

two = st.integers(0, 59).map("{:02d}".format)
hours = st.integers(0, 23).map("{:02d}".format)
dates = st.dates(dt.date(1, 1, 2), dt.date(9999, 12, 30)).map(dt.date.isoformat)
offsets = st.one_of(
    st.just("Z"),
    st.builds("{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 14), st.integers(0, 59)),
)


def fractions(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=min_size, max_size=max_size)


seven_digit_clocks = st.builds("{}:{}:{}.{}".format, hours, two, two, fractions(7, 7))
any_clocks = st.one_of(
    st.builds("{}:{}".format, hours, two),
    st.builds("{}:{}:{}".format, hours, two, two),
    st.builds("{}:{}:{}.{}".format, hours, two, two, fractions(1, 12)),
)


@st.composite
def durations(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "-"]))
    days = draw(st.one_of(st.none(), st.integers(0, 10**8)))
    parts = [draw(st.one_of(st.none(), st.integers(0, 10**6))) for _unit in "HM"]
    seconds = draw(st.one_of(st.none(), st.integers(0, 10**9)))
    fraction = draw(st.one_of(st.none(), fractions(1, 12))) if seconds is not None else None
    clock = "".join(f"{n}{unit}" for n, unit in zip(parts, "HM") if n is not None)
    if seconds is not None:
        clock += f"{seconds}" + (f".{fraction}" if fraction else "") + "S"
    text = f"{sign}P" + (f"{days}D" if days is not None else "") + (f"T{clock}" if clock else "")
    return text if text.lstrip("-") != "P" else text + "T0S"


def exact_microseconds(text: str) -> int:
    """The value of a duration text in microseconds, cut towards zero, by Decimal arithmetic alone."""
    match = re.fullmatch(r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", text)
    assert match is not None
    sign, days, hours_, minutes, seconds = match.groups()
    total = Decimal(days or 0) * 86_400 + Decimal(hours_ or 0) * 3_600 + Decimal(minutes or 0) * 60
    micro = int((total + Decimal(seconds or 0)) * 1_000_000)  # int() cuts towards zero
    return -micro if sign else micro


# --- fractional seconds: DateTimeOffset and TimeOfDay ---------------------------------------------------


class TestFractionalSeconds:
    @pytest.mark.parametrize(
        "text",
        [
            "2024-05-01T10:20:30.1234567-05:00",  # what Aimbase and every .NET service send
            "2024-05-01T10:20:30.0000001Z",
            "2016-08-29T15:31:01.1000000+01:00",  # .NET pads with zeros
            "2016-11-22T00:14:41.470-06:00",
            "2024-05-01T10:20:30.123456789012Z",  # 12 digits: the most the ABNF allows
            "2024-05-01T10:20:30+00:00",
            "2024-05-01T10:20Z",  # seconds are optional in the ABNF
        ],
    )
    def test_datetime_text_survives(self, text: str) -> None:
        assert edm.write_datetime(edm.read_datetime(text)) == text
        assert roundtrip_lead(LeadDate=text)["LeadDate"] == text

    @pytest.mark.parametrize("text", ["10:20:30.1234567", "00:00:00.0000001", "23:59:59.999999999999", "08:00:00.50"])
    def test_time_of_day_text_survives(self, text: str) -> None:
        assert edm.write_time(edm.read_time(text)) == text
        assert roundtrip_reading(Clock=text)["Clock"] == text

    def test_value_is_a_datetime_and_compares_as_one(self) -> None:
        value = edm.read_datetime("2024-05-01T10:20:30.1234567-05:00")
        plain = dt.datetime(2024, 5, 1, 10, 20, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        assert isinstance(value, dt.datetime)
        assert value == plain and hash(value) == hash(plain)
        assert value - plain == dt.timedelta(0)
        assert value.microsecond == 123456  # the 7th digit is below datetime's resolution, cut, not rounded
        assert edm.write_datetime(value) == "2024-05-01T10:20:30.1234567-05:00"  # and yet it is kept

    def test_changed_value_is_written_normally(self) -> None:
        value = edm.read_datetime("2024-05-01T10:20:30.1234567-05:00")
        assert edm.write_datetime(value) == "2024-05-01T10:20:30.1234567-05:00"
        assert edm.write_datetime(value + dt.timedelta(seconds=1)) == "2024-05-01T10:20:31.123456-05:00"
        assert edm.write_datetime(value.replace(hour=11)) == "2024-05-01T11:20:30.123456-05:00"
        assert edm.write_time(edm.read_time("10:20:30.1234567").replace(second=0)) == "10:20:00.123456"

    @pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))])
    def test_copies_keep_the_digits(self, clone: Any) -> None:
        assert edm.write_datetime(clone(edm.read_datetime("2024-05-01T10:20:30.1234567Z"))).endswith(".1234567Z")
        assert edm.write_time(clone(edm.read_time("10:20:30.1234567"))) == "10:20:30.1234567"

    def test_url_literal_renders_the_seven_digits(self) -> None:
        value = structure(lead(LeadDate="2024-05-01T10:20:30.1234567-05:00"), Lead).lead_date
        assert format_literal(value) == "2024-05-01T10:20:30.1234567-05:00"
        assert format_literal(edm.read_time("10:20:30.1234567"), "Edm.TimeOfDay") == "10:20:30.1234567"

    @FAST
    @given(date=dates, clock=seven_digit_clocks, offset=offsets)
    def test_any_seven_digit_datetime_round_trips(self, date: str, clock: str, offset: str) -> None:
        text = f"{date}T{clock}{offset}"
        assert edm.write_datetime(edm.read_datetime(text)) == text

    @FAST
    @given(date=dates, clock=any_clocks, offset=offsets)
    def test_any_valid_datetime_round_trips(self, date: str, clock: str, offset: str) -> None:
        text = f"{date}T{clock}{offset}"
        assert edm.write_datetime(edm.read_datetime(text)) == text

    @FAST
    @given(clock=any_clocks)
    def test_any_valid_time_of_day_round_trips(self, clock: str) -> None:
        assert edm.write_time(edm.read_time(clock)) == clock


# --- durations ------------------------------------------------------------------------------------------


class TestDurations:
    @pytest.mark.parametrize(
        "text",
        ["-PT0.0000001S", "PT0.0000001S", "PT0.000000000001S", "P1DT2H3M4.1234567S", "PT36H", "P0D", "-PT1.50S"],
    )
    def test_duration_text_survives(self, text: str) -> None:
        assert edm.write_duration(edm.read_duration(text)) == text
        out = roundtrip_reading(ShelfLife=text, Lives=[text, "PT1S"])
        assert out["ShelfLife"] == text and out["Lives"] == [text, "PT1S"]

    @pytest.mark.parametrize(
        ("text", "microseconds"),
        [
            ("PT86399999999.999999S", 86399999999999999),  # through float: a whole second more, 0 µs
            ("PT8639999999999.999999S", 8639999999999999999),
            ("-PT1.9999999S", -1999999),  # cut towards zero, never rounded up to -2 s
            ("PT0.0000009S", 0),
        ],
    )
    def test_duration_is_exact(self, text: str, microseconds: int) -> None:
        assert edm.read_duration(text) == dt.timedelta(microseconds=microseconds)

    def test_huge_duration_is_refused_as_a_value_error(self) -> None:
        with pytest.raises(DeserializationError, match=r"^Reading\.ShelfLife: .*range"):
            structure({"ShelfLife": "P999999999999D"}, reading_model())

    @FAST
    @given(text=durations())
    def test_any_valid_duration_round_trips_exactly(self, text: str) -> None:
        value = edm.read_duration(text)
        assert edm.write_duration(value) == text
        assert value == dt.timedelta(microseconds=exact_microseconds(text))


# --- IEEE754Compatible: Int64 and Decimal as strings ----------------------------------------------------


class TestIeee754Strings:
    def test_int64_string_goes_back_as_a_string(self) -> None:
        out = roundtrip_reading(Big="9007199254740993", Untyped="-9223372036854775808")
        assert out == {"Big": "9007199254740993", "Untyped": "-9223372036854775808"}

    def test_int64_number_goes_back_as_a_number(self) -> None:
        assert roundtrip_reading(Big=9007199254740993) == {"Big": 9007199254740993}

    def test_value_is_a_plain_int_for_the_user(self) -> None:
        value = structure({"Big": "9007199254740993"}, reading_model()).big
        assert value == 9007199254740993 and isinstance(value, int) and repr(value) == "9007199254740993"
        assert json.dumps(value + 1) == "9007199254740994"  # arithmetic gives a plain int, written as a number

    @pytest.mark.parametrize("text", ["12.30", "-0.000", "1E+3", "123456789012345678901234567890.12"])
    def test_decimal_string_goes_back_as_the_same_string(self, text: str) -> None:
        assert roundtrip_lead(DealerDistanceMiles=text)["DealerDistanceMiles"] == text
        assert roundtrip_reading(Price=text) == {"Price": text}

    def test_decimal_number_keeps_trailing_zeros(self) -> None:
        out = roundtrip_reading(Price=Decimal("12.30"))
        assert out == {"Price": Decimal("12.30")} and str(out["Price"]) == "12.30"

    @pytest.mark.parametrize("text", ["1_000", " 12.3", "12.3 ", "Infinity", "sNaN", "0x10", "\u0661\u0662"])
    def test_decimal_string_beyond_the_abnf_is_refused(self, text: str) -> None:
        with pytest.raises(DeserializationError, match=r"^Reading\.Price: expected a decimal"):
            structure({"Price": text}, reading_model())


# --- numbers out of the range of their Edm type ---------------------------------------------------------


class TestRanges:
    @pytest.mark.parametrize(
        ("wire_name", "edm_type", "value"),
        [
            ("Big", "Edm.Int64", 2**63),
            ("Big", "Edm.Int64", "-9223372036854775809"),
            ("Untyped", "Edm.Int64", 2**64),  # an int field of unknown Edm type is at most an Int64
            ("Small", "Edm.Int16", 32768),
            ("Byte", "Edm.Byte", -1),
            ("Byte", "Edm.Byte", 256),
            ("SByte", "Edm.SByte", 128),
            ("Counts", "Edm.Int32", [1, 2**31]),
            ("Big", "Edm.Int64", Decimal("1E+400")),
        ],
    )
    def test_integer_out_of_range_is_refused(self, wire_name: str, edm_type: str, value: Any) -> None:
        with pytest.raises(DeserializationError, match=rf"^Reading\.{wire_name}: .*out of range for {edm_type}"):
            structure({wire_name: value}, reading_model())

    @pytest.mark.parametrize("value", [2**31, -(2**31) - 1, "2147483648", 10**30])
    def test_generated_int32_is_range_checked(self, value: Any) -> None:
        with pytest.raises(DeserializationError, match=r"^Lead\.Score: .*out of range for Edm\.Int32"):
            structure(lead(Score=value), Lead)

    @pytest.mark.parametrize(("low", "high"), [(-(2**31), 2**31 - 1)])
    def test_int32_limits_are_accepted_and_no_further(self, low: int, high: int) -> None:
        assert structure(lead(Score=low), Lead).score == low
        assert structure(lead(Score=high), Lead).score == high
        for beyond in (low - 1, high + 1):
            with pytest.raises(DeserializationError, match=r"out of range for Edm\.Int32"):
                structure(lead(Score=beyond), Lead)

    @pytest.mark.parametrize("value", [True, False])
    def test_booleans_are_not_integers(self, value: bool) -> None:
        for model, data, message in (
            (Lead, lead(Score=value), r"^Lead\.Score: expected an integer, got bool"),
            (reading_model(), {"Big": value}, r"^Reading\.Big: expected an integer, got bool"),
        ):
            with pytest.raises(DeserializationError, match=message):
                structure(data, model)

    @pytest.mark.parametrize(
        ("wire_name", "edm_type", "body"),
        [
            ("Double", "Edm.Double", '{"Double": 1e400}'),
            ("Double", "Edm.Double", '{"Double": -1e400}'),
            ("Double", "Edm.Double", '{"Double": Infinity}'),  # json.loads accepts it; JSON has no such number
            ("Double", "Edm.Double", '{"Double": NaN}'),
            ("Single", "Edm.Single", '{"Single": 1e39}'),
        ],
    )
    @pytest.mark.parametrize("parse_float", [float, Decimal])
    def test_float_out_of_range_is_refused(self, wire_name: str, edm_type: str, body: str, parse_float: Any) -> None:
        with pytest.raises(DeserializationError, match=rf"^Reading\.{wire_name}: .*out of range for {edm_type}"):
            structure(json.loads(body, parse_float=parse_float), reading_model())

    @pytest.mark.parametrize("body", ['{"Price": 1e400}', '{"Price": Infinity}', '{"Price": NaN}'])
    def test_decimal_from_an_overflowed_float_is_refused(self, body: str) -> None:
        with pytest.raises(DeserializationError, match=r"^Reading\.Price: .*Edm\.Decimal"):
            structure(json.loads(body), reading_model())

    def test_generated_double_refuses_infinity_from_json_loads(self) -> None:
        with pytest.raises(DeserializationError, match=r"^Lead\.DealerDistanceMiles: .*Edm\.Decimal"):
            structure(json.loads('{"Id": 1, "LeadUid": "%s", "DealerDistanceMiles": 1e400}' % LEAD_UID), Lead)

    @pytest.mark.parametrize(("text", "expected"), [("INF", math.inf), ("-INF", -math.inf)])
    def test_special_values_as_strings_stay_accepted(self, text: str, expected: float) -> None:
        assert structure({"Double": text}, reading_model()).double == expected
        assert structure({"Single": 3.4028234663852886e38}, reading_model()).single == 3.4028234663852886e38


# --- enum members sent as numbers -----------------------------------------------------------------------


class Gender(enum.Enum):
    """As the generator writes a non-flags enum, with the member numbers CSDL gives."""

    __odata_type__ = "Exact.Gender"
    __odata_values__ = {"MALE": 0, "FEMALE": 1, "UNKNOWN": 5}

    MALE = "Male"
    FEMALE = "Female"
    UNKNOWN = "Unknown"


class Access(enum.Flag):
    """As the generator writes a flags enum."""

    __odata_type__ = "Exact.Access"
    __odata_wire__ = {"NONE": "None", "READ": "Read", "WRITE": "Write"}

    NONE = 0
    READ = 1
    WRITE = 2


@attrs.define(kw_only=True, eq=False, repr=False)
class Person(ODataModel):
    __odata_type__ = "Exact.Person"

    gender: Gender | None = attrs.field(default=None, metadata=wire("Gender"))
    access: Access | None = attrs.field(default=None, metadata=wire("Access"))
    genders: list[Gender] = attrs.field(factory=list, metadata=wire("Genders"))


class TestEnumNumbers:
    @pytest.mark.parametrize(
        ("value", "member"),
        [("1", Gender.FEMALE), (1, Gender.FEMALE), ("0", Gender.MALE), (5, Gender.UNKNOWN), ("Female", Gender.FEMALE)],
    )
    def test_enum_member_by_number(self, value: Any, member: Gender) -> None:
        person = structure({"Gender": value, "Genders": [value]}, Person)
        assert person.gender is member and person.genders == [member]
        assert unstructure(person) == {"Gender": value, "Genders": [value]}  # written back as received

    @pytest.mark.parametrize(
        ("value", "member"),
        [
            ("3", Access.READ | Access.WRITE),
            (3, Access.READ | Access.WRITE),
            (0, Access.NONE),
            ("Read, 2", ~Access.NONE),
        ],
    )
    def test_flags_by_number(self, value: Any, member: Access) -> None:
        assert structure({"Access": value}, Person).access == member

    @pytest.mark.parametrize(
        ("wire_name", "value"), [("Gender", "2"), ("Gender", 7), ("Access", "4"), ("Gender", True)]
    )
    def test_unknown_numbers_are_refused(self, wire_name: str, value: Any) -> None:
        with pytest.raises(DeserializationError, match=rf"^Person\.{wire_name}: "):
            structure({wire_name: value}, Person)
