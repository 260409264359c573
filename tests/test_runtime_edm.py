"""Edm primitive readers and writers (codegen/runtime/edm.py): exact values, strictness, round trips."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import enum
import math
import pickle
import re
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.runtime import edm, enums

UTC = dt.timezone.utc


def tz(hours: int = 0, minutes: int = 0) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


# Patterns from the OData ABNF (odata-abnf-construction-rules.txt) that writers must satisfy.
ABNF_DATETIMEOFFSET = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)")
ABNF_DURATION = re.compile(r"-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")
ABNF_BINARY = re.compile(r"[A-Za-z0-9_-]*={0,2}")


# --- strings -----------------------------------------------------------------------------------


def test_read_str_returns_the_string_unchanged():
    assert edm.read_str("93023     ") == "93023     "
    assert edm.read_str("") == ""


@pytest.mark.parametrize("value", [1, 1.5, True, None, ["a"], {"a": 1}])
def test_read_str_rejects_other_json_types(value):
    with pytest.raises(ValueError, match="expected a string"):
        edm.read_str(value)


# --- booleans ------------------------------------------------------------------------------------


def test_read_bool_accepts_json_true_and_false():
    assert edm.read_bool(True) is True
    assert edm.read_bool(False) is False


@pytest.mark.parametrize("value", [1, 0, "true", "false", None, 1.0])
def test_read_bool_rejects_numbers_and_strings(value):
    with pytest.raises(ValueError, match="expected a boolean"):
        edm.read_bool(value)


@pytest.mark.parametrize("reader", [edm.read_int, edm.read_float, edm.read_decimal])
@pytest.mark.parametrize("value", [True, False])
def test_json_booleans_never_pass_as_numbers(reader, value):
    with pytest.raises(ValueError):
        reader(value)


# --- integers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (-5, -5),
        (402499, 402499),
        # Int64 as a string (IEEE754Compatible=true); int64Value allows a leading sign.
        ("9223372036854775807", 9223372036854775807),
        ("-9223372036854775808", -9223372036854775808),
        ("+7", 7),
        ("007", 7),
        # json.loads(..., parse_float=Decimal) never yields an integral Decimal for an integer, but a
        # caller's own Decimal with an integral value is accepted.
        (Decimal("3"), 3),
    ],
)
def test_read_int(value, expected):
    result = edm.read_int(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    [1.0, 1.5, "1.5", "", " 1", "1 ", "12a", "0x10", "1e3", "\u0661\u0662", Decimal("3.5"), None, [1]],
)
def test_read_int_rejects_non_integers(value):
    with pytest.raises(ValueError):
        edm.read_int(value)


# --- floating point ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.5, 1.5), (2, 2.0), (-0.25, -0.25), (Decimal("34.448123"), 34.448123), ("INF", math.inf), ("-INF", -math.inf)],
)
def test_read_float(value, expected):
    result = edm.read_float(value)
    assert result == expected
    assert type(result) is float


def test_read_float_nan():
    assert math.isnan(edm.read_float("NaN"))


@pytest.mark.parametrize("value", ["1.5", "inf", "Infinity", "nan", "-inf", "", None, [1.0]])
def test_read_float_rejects_strings_other_than_the_three_specials(value):
    with pytest.raises(ValueError):
        edm.read_float(value)


@pytest.mark.parametrize(("value", "expected"), [(math.inf, "INF"), (-math.inf, "-INF"), (1.5, 1.5), (0.0, 0.0)])
def test_write_float(value, expected):
    assert edm.write_float(value) == expected


def test_write_float_nan_and_finite_types():
    assert edm.write_float(math.nan) == "NaN"
    assert type(edm.write_float(3.0)) is float


# --- decimals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # A float from plain json.loads: repr() keeps exactly the digits that were on the wire.
        (34.448123, "34.448123"),
        (250.101206129, "250.101206129"),
        (-119.25256, "-119.25256"),
        (0.1, "0.1"),
        # Strings (IEEE754Compatible) and Decimals (parse_float=Decimal) keep scale and trailing zeros.
        ("34.448123", "34.448123"),
        ("-119.252560", "-119.252560"),
        ("1e-7", "1E-7"),
        (Decimal("250.101206129"), "250.101206129"),
        (Decimal("-119.252560"), "-119.252560"),
        # Integers.
        (42, "42"),
        (-3, "-3"),
    ],
)
def test_read_decimal_is_exact(value, text):
    result = edm.read_decimal(value)
    assert isinstance(result, Decimal)
    assert str(result) == text


def test_read_decimal_from_float_adds_no_binary_noise():
    # Decimal(0.1) would be 0.1000000000000000055511151231257827...
    assert edm.read_decimal(0.1) == Decimal("0.1")
    assert edm.read_decimal(34.448123) == Decimal("34.448123")


def test_read_decimal_returns_a_given_decimal_unchanged():
    value = Decimal("-119.252560")
    assert edm.read_decimal(value).as_tuple() == value.as_tuple()


@pytest.mark.parametrize("value", ["abc", "", "1.2.3", None, [1], {"a": 1}])
def test_read_decimal_rejects_non_numbers(value):
    with pytest.raises(ValueError):
        edm.read_decimal(value)


# --- Guid ----------------------------------------------------------------------------------------


def test_read_uuid():
    result = edm.read_uuid("cc16dda6-8c50-483b-a928-cc506817cc33")
    assert result == uuid.UUID("cc16dda6-8c50-483b-a928-cc506817cc33")
    assert isinstance(result, uuid.UUID)


@pytest.mark.parametrize("value", ["nope", "cc16dda6-8c50-483b-a928-cc506817cc3", "", 5, None])
def test_read_uuid_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        edm.read_uuid(value)


# --- DateTimeOffset ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-08-29T15:31:01-05:00", dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=tz(-5))),
        ("2016-11-22T00:14:41.47-06:00", dt.datetime(2016, 11, 22, 0, 14, 41, 470000, tzinfo=tz(-6))),
        ("2016-08-29T15:32:04.997-05:00", dt.datetime(2016, 8, 29, 15, 32, 4, 997000, tzinfo=tz(-5))),
        ("2014-01-01T00:00:00Z", dt.datetime(2014, 1, 1, tzinfo=UTC)),
        ("2014-01-01T00:00:00+05:30", dt.datetime(2014, 1, 1, tzinfo=tz(5, 30))),
        # .NET writes 7 fraction digits; the 7th (100 ns) is below datetime's resolution.
        ("2016-08-29T15:31:01.1234567Z", dt.datetime(2016, 8, 29, 15, 31, 1, 123456, tzinfo=UTC)),
        ("2016-08-29T15:31:01.1000000+01:00", dt.datetime(2016, 8, 29, 15, 31, 1, 100000, tzinfo=tz(1))),
    ],
)
def test_read_datetime(text, expected):
    result = edm.read_datetime(text)
    assert result == expected
    # == compares instants; the offset itself must be kept too.
    assert result.utcoffset() == expected.utcoffset()
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize("text", ["2016-08-29T15:31:01", "2016-08-29T15:31:01.47", "2016-08-29"])
def test_read_datetime_rejects_values_without_offset(text):
    # Edm.DateTimeOffset always has "Z" or an offset; a naive value could not be written back.
    with pytest.raises(ValueError, match="offset"):
        edm.read_datetime(text)


@pytest.mark.parametrize("value", ["yesterday", "", "2016-13-01T00:00:00Z", 1472502661, None])
def test_read_datetime_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        edm.read_datetime(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2016, 11, 22, 0, 14, 41, 470000, tzinfo=tz(-6)), "2016-11-22T00:14:41.47-06:00"),
        (dt.datetime(2016, 8, 29, 15, 32, 4, 997000, tzinfo=tz(-5)), "2016-08-29T15:32:04.997-05:00"),
        (dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=tz(-5)), "2016-08-29T15:31:01-05:00"),
        (dt.datetime(2016, 8, 29, 15, 31, 1, 1, tzinfo=tz(-5)), "2016-08-29T15:31:01.000001-05:00"),
        (dt.datetime(2016, 8, 29, 15, 31, 1, 100000, tzinfo=tz(5, 30)), "2016-08-29T15:31:01.1+05:30"),
        (dt.datetime(2016, 8, 29, 15, 31, 1, 120000, tzinfo=UTC), "2016-08-29T15:31:01.12Z"),
        (dt.datetime(2014, 1, 1, tzinfo=tz(0)), "2014-01-01T00:00:00Z"),
        (dt.datetime(2014, 1, 1, 10, 0, 0, 500000, tzinfo=tz(0)), "2014-01-01T10:00:00.5Z"),
    ],
)
def test_write_datetime(value, text):
    assert edm.write_datetime(value) == text


def test_write_datetime_refuses_naive_datetimes():
    with pytest.raises(ValueError, match=r"naive datetime 2016-08-29T15:31:01 .*tzinfo"):
        edm.write_datetime(dt.datetime(2016, 8, 29, 15, 31, 1))


def test_write_datetime_refuses_tzinfo_without_offset():
    class NoOffset(dt.tzinfo):
        def utcoffset(self, _when):
            return None

    with pytest.raises(ValueError, match="naive"):
        edm.write_datetime(dt.datetime(2016, 8, 29, tzinfo=NoOffset()))


@pytest.mark.parametrize(
    "text",
    [
        "2016-08-29T15:31:01-05:00",
        "2016-11-22T00:14:41.47-06:00",
        "2016-08-29T15:32:04.997-05:00",
        "2025-06-04T10:37:00.293-05:00",
        "2014-08-04T00:00:00-05:00",
        "2014-08-04T00:00:00Z",
        "2014-08-04T00:00:00.000001+14:00",
    ],
)
def test_datetime_text_written_back_unchanged(text):
    assert edm.write_datetime(edm.read_datetime(text)) == text


# --- Date ----------------------------------------------------------------------------------------


def test_read_date():
    assert edm.read_date("2016-08-29") == dt.date(2016, 8, 29)
    assert type(edm.read_date("2016-08-29")) is dt.date


@pytest.mark.parametrize("value", ["2016-13-01", "2016-02-30", "", "tomorrow", 20160829, None])
def test_read_date_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        edm.read_date(value)


# --- TimeOfDay -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:20:00", dt.time(13, 20)),
        ("13:20", dt.time(13, 20)),
        ("23:59:59.47", dt.time(23, 59, 59, 470000)),
        ("12:11:50.1234567", dt.time(12, 11, 50, 123456)),
    ],
)
def test_read_time(text, expected):
    assert edm.read_time(text) == expected


@pytest.mark.parametrize("value", ["25:00:00", "noon", "", 1200, None])
def test_read_time_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        edm.read_time(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.time(13, 20), "13:20:00"),
        (dt.time(0, 0), "00:00:00"),
        (dt.time(23, 59, 59, 470000), "23:59:59.47"),
        (dt.time(23, 59, 59, 1), "23:59:59.000001"),
        (dt.time(8, 0, 0, 100000), "08:00:00.1"),
    ],
)
def test_write_time(value, text):
    assert edm.write_time(value) == text


# --- Duration ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1DT2H3M4.5S", dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("-PT1S", dt.timedelta(seconds=-1)),
        ("PT0S", dt.timedelta(0)),
        ("P0D", dt.timedelta(0)),
        ("P2D", dt.timedelta(days=2)),
        ("PT36H", dt.timedelta(hours=36)),
        ("PT90M", dt.timedelta(minutes=90)),
        ("PT129600S", dt.timedelta(days=1.5)),
        ("PT0.000001S", dt.timedelta(microseconds=1)),
        ("-P1DT0.5S", -dt.timedelta(days=1, seconds=0.5)),
        ("PT12H30M", dt.timedelta(hours=12, minutes=30)),
    ],
)
def test_read_duration(text, expected):
    assert edm.read_duration(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        "P",
        "-P",
        "PT",
        "P1DT",
        "1D",
        "",
        "P1Y",  # years and months are not Edm.Duration
        "P1M",
        "P1W",
        "P1H",  # hours need the T
        "PT1D",
        "PT.5S",
        "PT1.S",
        "PT1,5S",
        "pt1s",
        "+PT1S",
        " PT1S",
        "PT1S ",
        "PT1S\n",
        "P-1D",
        5,
        None,
    ],
)
def test_read_duration_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        edm.read_duration(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5), "P1DT2H3M4.5S"),
        (dt.timedelta(seconds=-1), "-PT1S"),
        (dt.timedelta(0), "PT0S"),
        (dt.timedelta(days=2), "P2D"),
        (dt.timedelta(hours=2, minutes=30), "PT2H30M"),
        (dt.timedelta(minutes=1), "PT1M"),
        (dt.timedelta(microseconds=1), "PT0.000001S"),
        (dt.timedelta(microseconds=-500000), "-PT0.5S"),
        (dt.timedelta(days=-1, hours=-2), "-P1DT2H"),
        (dt.timedelta(hours=36), "P1DT12H"),
    ],
)
def test_write_duration(value, text):
    assert edm.write_duration(value) == text


@pytest.mark.parametrize("text", ["P1DT2H3M4.5S", "-PT1S", "PT0S", "P2D", "PT2H30M", "PT0.25S", "-P3DT4M"])
def test_duration_text_written_back_unchanged(text):
    assert edm.write_duration(edm.read_duration(text)) == text


# --- Binary --------------------------------------------------------------------------------------

# b"\xfb\xff\xbf" is "+/+/" in the standard alphabet and "-_-_" in base64url.
BINARY = b"\xfb\xff\xbf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AQID", b"\x01\x02\x03"),
        ("", b""),
        ("-_-_", BINARY),  # base64url, as OData sends it
        ("+/+/", BINARY),  # standard alphabet
        ("QQ==", b"A"),
        ("QQ", b"A"),  # padding left out
        ("QUI", b"AB"),
        ("QUI=", b"AB"),
    ],
)
def test_read_binary(text, expected):
    assert edm.read_binary(text) == expected


@pytest.mark.parametrize("value", ["not base64!", "a b c d", "$$$$", "Q", "QUJD\n", 5, None, b"AQID"])
def test_read_binary_rejects_non_base64(value):
    with pytest.raises(ValueError):
        edm.read_binary(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(b"\x01\x02\x03", "AQID"), (BINARY, "-_-_"), (b"A", "QQ=="), (b"AB", "QUI="), (b"", "")],
)
def test_write_binary_is_padded_base64url(value, text):
    assert edm.write_binary(value) == text


# --- properties ----------------------------------------------------------------------------------

whole_minute_offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(timezones=whole_minute_offsets))
def test_datetime_round_trip_keeps_instant_and_offset(value):
    text = edm.write_datetime(value)
    assert ABNF_DATETIMEOFFSET.fullmatch(text), text
    result = edm.read_datetime(text)
    assert result == value
    assert result.utcoffset() == value.utcoffset()
    assert result.replace(tzinfo=None) == value.replace(tzinfo=None)
    # The fraction is trimmed: never a trailing zero.
    assert not re.search(r"\.\d*0(Z|[+-])", text), text


@settings(max_examples=300, deadline=None)
@given(st.times())
def test_time_round_trip(value):
    assert edm.read_time(edm.write_time(value)) == value


@settings(max_examples=300, deadline=None)
@given(st.timedeltas())
def test_duration_round_trip(value):
    text = edm.write_duration(value)
    assert ABNF_DURATION.fullmatch(text), text
    assert edm.read_duration(text) == value


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimal_round_trip_through_text(value):
    result = edm.read_decimal(str(value))
    assert result == value
    assert result.as_tuple() == value.as_tuple()  # same digits and exponent, not just equal


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_decimal_from_float_has_the_shortest_digits(value):
    result = edm.read_decimal(value)
    assert result == Decimal(repr(value))
    assert float(result) == value


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_binary_round_trip(value):
    text = edm.write_binary(value)
    assert ABNF_BINARY.fullmatch(text), text
    assert edm.read_binary(text) == value
    # The standard alphabet without padding reads the same.
    assert edm.read_binary(base64.b64encode(value).decode("ascii").rstrip("=")) == value


@settings(max_examples=300, deadline=None)
@given(st.floats())
def test_float_round_trip(value):
    result = edm.read_float(edm.write_float(value))
    if math.isnan(value):
        assert math.isnan(result)
    else:
        assert result == value
        assert math.copysign(1.0, result) == math.copysign(1.0, value)


# --- enum values and the form they were sent in (codegen/runtime/enums.py) ---------------------------------


class Access(enum.Flag):
    __odata_wire__ = {"NONE": "None", "READ": "Read", "WRITE": "Write", "READ_WRITE": "ReadWrite", "RUN": "Run"}
    NONE = 0
    READ = 1
    WRITE = 2
    READ_WRITE = 3
    RUN = 4


class Color(enum.Enum):
    __odata_values__ = {"RED": 1, "GREEN": 2}
    RED = "Red"
    GREEN = "Green"


FLAG_PARTS = st.sampled_from(["None", "Read", "Write", "ReadWrite", "Run", "0", "1", "2", "3", "4", "7"])


@settings(max_examples=300, deadline=None)
@given(st.lists(FLAG_PARTS, max_size=5), st.sampled_from([",", ", ", " ,"]))
def test_any_flags_text_is_written_back_as_sent_and_its_standard_form_reads_the_same(parts, comma):
    text = comma.join(parts)
    value = enums.read_enum(text, Access)
    form = enums.sent_form(text, value)
    standard = enums.enum_wire_value(value)
    assert (form is None) == (text == standard)
    assert (standard if form is None else enums.written(value, form, enums.enum_wire_value)) == text
    assert enums.read_enum(standard, Access) is value


@pytest.mark.parametrize(("sent", "member"), [(2, Color.GREEN), ("2", Color.GREEN), ("Red", Color.RED)])
def test_enum_by_number_is_remembered_and_by_name_is_not(sent, member):
    assert enums.read_enum(sent, Color) is member
    form = enums.sent_form(sent, member)
    assert form == (None if sent == "Red" else enums.Sent(member, sent))


def test_a_collection_remembers_only_the_items_sent_in_another_form():
    sent = ["3", "Read", None]
    value = [enums.read_enum(item, Access) if item is not None else None for item in sent]
    form = enums.sent_form(sent, value)
    assert form == (enums.Sent(Access.READ_WRITE, "3"), None, None)
    assert form is not None
    assert enums.written(value, form, lambda v: None if v is None else enums.enum_wire_value(v)) == sent
    assert enums.sent_form(["Read", "Write"], [Access.READ, Access.WRITE]) is None


def test_an_item_of_another_member_is_written_in_the_standard_form():
    form = (enums.Sent(Access.READ_WRITE, "3"),)
    assert enums.written([Access.READ, Access.READ_WRITE], form, enums.enum_wire_value) == ["Read", "Read,Write"]
    assert enums.written(Access.READ_WRITE, form, enums.enum_wire_value) == "Read,Write"  # no longer a list
    assert enums.written(Access.READ, enums.Sent(Access.READ_WRITE, "3"), enums.enum_wire_value) == "Read"


def test_received_names_keep_their_forms_through_copies_and_pickles():
    received = enums.Received({"A", "B"}, {"A": enums.Sent(Access.READ_WRITE, "3")})
    assert received == {"A", "B"}
    for again in (copy.copy(received), copy.deepcopy(received), pickle.loads(pickle.dumps(received))):
        assert type(again) is enums.Received and again == received
        assert again.forms == {"A": enums.Sent(Access.READ_WRITE, "3")}


# --- the positional fast path of DateTimeOffset agrees with the pattern it skips ---------------------------


def _wire_text_by_pattern(text: str) -> str | None:
    """The wire text read_datetime keeps, decided by the ABNF pattern alone (the rule before the fast path)."""
    match = edm._DATETIME.fullmatch(text)
    if match is not None and (not edm._is_standard_clock(match) or match["offset"] in edm._ZERO_OFFSETS):
        return text
    return None


_CLOCKS = ["10:37", "10:37:00", "10:37:00.2", "10:37:00.20", "10:37:00.293", "10:37:00.123456", "10:37:00.1234567"]
_OFFSETS = ["Z", "+00:00", "-00:00", "-05:00", "+05:30", "+14:00", "-00:30"]


@pytest.mark.parametrize("clock", _CLOCKS)
@pytest.mark.parametrize("offset", _OFFSETS)
@pytest.mark.parametrize("separator", ["T", " ", "t"])
def test_datetime_wire_text_is_kept_exactly_when_the_pattern_says(clock: str, offset: str, separator: str) -> None:
    text = f"2025-06-04{separator}{clock}{offset}"
    value = edm.read_datetime(text)
    assert getattr(value, "wire_text", None) == _wire_text_by_pattern(text)
    if _wire_text_by_pattern(text) is None and separator == "T":
        assert edm.write_datetime(value) == text


def _write_by_parts(value: dt.datetime) -> str:
    """write_datetime as it was written before it used isoformat()."""
    offset = value.utcoffset()
    assert offset is not None
    return f"{value.date().isoformat()}T{edm._clock(value)}{edm._offset(offset)}"


@given(
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_datetime_writer_gives_the_same_text_as_before(value: dt.datetime, minutes: int) -> None:
    aware = value.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    text = edm.write_datetime(aware)
    assert text == _write_by_parts(aware)
    assert edm.read_datetime(text) == aware and getattr(edm.read_datetime(text), "wire_text", None) is None


@given(
    st.datetimes(timezones=st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m))))
)
def test_write_datetime_gives_the_isoformat_based_text(value):
    # The fast (msgspec) rendering must be the text of the general one, for every offset and fraction.
    assert edm.write_datetime(value) == edm._write_datetime_iso(value)


def test_write_datetime_refuses_an_offset_with_seconds_on_the_fast_path_too():
    with pytest.raises(ValueError, match="has seconds"):
        edm.write_datetime(dt.datetime(2016, 8, 29, tzinfo=dt.timezone(dt.timedelta(minutes=1, seconds=30))))
