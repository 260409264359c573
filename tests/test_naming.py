"""Python names for OData names (`codegen.naming`): table-driven, one case per line."""

from __future__ import annotations

import keyword

import pytest

from codegen import naming
from codegen.naming import NameAllocator, attribute_name, class_name, enum_member_name, module_name, snake_case


def _valid(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


@pytest.mark.parametrize(
    ("odata", "python"),
    [
        ("FIPSCode", "fips_code"),
        ("ZIP4", "zip4"),
        ("HomePhoneNumeric", "home_phone_numeric"),
        ("request-id", "request_id"),
        ("EMail", "e_mail"),
        ("DealerGroupcode", "dealer_groupcode"),
        ("Address1", "address1"),
        ("Id", "id"),
        ("ID", "id"),
        ("LeadID", "lead_id"),
        ("getHTTPResponseCode", "get_http_response_code"),
        ("HTTPServer2Go", "http_server2_go"),
        ("already_snake", "already_snake"),
        ("odata.etag", "odata_etag"),
        ("Trailing_", "trailing"),
    ],
)
def test_snake_case(odata: str, python: str) -> None:
    assert snake_case(odata) == python


@pytest.mark.parametrize(
    ("odata", "python"),
    [
        ("from", "from_"),
        ("class", "class_"),
        ("None", "none"),
        ("True", "true"),
        ("list", "list_"),
        ("str", "str_"),
        ("print", "print_"),
        ("id", "id"),
        ("type", "type"),
        ("Type", "type"),
        ("ID", "id"),
        ("match", "match_"),
        ("case", "case_"),
        ("async", "async_"),
        ("self", "self_"),  # the first parameter of the generated __init__
        ("dynamic_properties", "dynamic_properties_"),
        ("DynamicProperties", "dynamic_properties_"),
        ("instance_annotations", "instance_annotations_"),
        ("1st", "field_1st"),
        ("2FA", "field_2_fa"),  # a digit before a capital starts a word, as in HTTPServer2Go
        ("FIPSCode", "fips_code"),
        ("_", "field"),
    ],
)
def test_attribute_name(odata: str, python: str) -> None:
    assert attribute_name(odata) == python
    assert _valid(python)


@pytest.mark.parametrize(
    ("odata", "python"),
    [
        ("directoryObject", "DirectoryObject"),
        ("None", "None_"),
        ("True", "True_"),
        ("class", "Class"),
        ("Lead", "Lead"),
        ("ProductCategory", "ProductCategory"),
        ("product_category", "ProductCategory"),
        ("FIPSCode", "FIPSCode"),
        ("1080p", "Type1080p"),
    ],
)
def test_class_name(odata: str, python: str) -> None:
    assert class_name(odata) == python
    assert _valid(python)


@pytest.mark.parametrize(
    ("odata", "python"),
    [
        ("ProductCategory", "product_category"),
        ("directoryObject", "directory_object"),
        ("class", "class_"),
        ("1080p", "m_1080p"),
    ],
)
def test_module_name(odata: str, python: str) -> None:
    assert module_name(odata) == python
    assert _valid(python)


@pytest.mark.parametrize(
    ("odata", "python"),
    [
        ("unknownFutureValue", "UNKNOWN_FUTURE_VALUE"),
        ("Male", "MALE"),
        ("None", "NONE"),
        ("in-progress", "IN_PROGRESS"),
        ("1080p", "V_1080P"),
        ("4K", "V_4_K"),
    ],
)
def test_enum_member_name(odata: str, python: str) -> None:
    assert enum_member_name(odata) == python
    assert _valid(python)


@pytest.mark.parametrize("odata", ["", "_", "__", "-", "9", "ÄÖÜ", "None", "class", "list", "1080p", "a-b-c", "x__y"])
def test_every_name_kind_is_a_valid_identifier(odata: str) -> None:
    for make in (attribute_name, class_name, module_name, enum_member_name):
        assert _valid(make(odata)), (make.__name__, odata, make(odata))


def test_model_attributes_are_reserved() -> None:
    for name in naming.MODEL_ATTRIBUTES:
        assert attribute_name(name) == f"{name}_"


# -- NameAllocator ------------------------------------------------------------------------------


def test_allocator_first_come_first_served() -> None:
    allocator = NameAllocator()
    assert [allocator.allocate(n) for n in ["name", "name", "name", "other"]] == ["name", "name_2", "name_3", "other"]


def test_allocator_suffix_after_trailing_underscore() -> None:
    allocator = NameAllocator()
    assert [allocator.allocate(n) for n in ["class_", "class_"]] == ["class_", "class_2"]


def test_allocator_respects_taken_names() -> None:
    allocator = NameAllocator(naming.MODEL_ATTRIBUTES)
    assert allocator.allocate("dynamic_properties") == "dynamic_properties_2"
    assert allocator.is_taken("instance_annotations")
    assert not allocator.is_taken("id")


def test_allocator_suffix_does_not_steal_a_later_plain_name() -> None:
    allocator = NameAllocator()
    assert [allocator.allocate(n) for n in ["a", "a", "a_2"]] == ["a", "a_2", "a_2_2"]


def test_allocator_fold_case_for_file_names() -> None:
    # Module files must not differ only in case (macOS and Windows file systems fold case).
    allocator = NameAllocator(fold_case=True)
    assert [allocator.allocate(n) for n in ["lead", "Lead", "LEAD"]] == ["lead", "Lead_2", "LEAD_3"]
    assert allocator.is_taken("LeAd")


def test_allocator_separator() -> None:
    allocator = NameAllocator(fold_case=True, separator="")
    assert [allocator.allocate(n) for n in ["Lead", "lead"]] == ["Lead", "lead2"]


def test_allocator_is_deterministic() -> None:
    names = [attribute_name(n) for n in ["Name", "name", "NAME", "from", "From", "list", "List", "Id", "ID", "id"]]
    runs = []
    for _ in range(3):
        allocator = NameAllocator(naming.MODEL_ATTRIBUTES)
        runs.append([allocator.allocate(n) for n in names])
    assert runs[0] == runs[1] == runs[2]
    assert runs[0] == ["name", "name_2", "name_3", "from_", "from_2", "list_", "list_2", "id", "id_2", "id_3"]
    assert len(set(runs[0])) == len(runs[0])
