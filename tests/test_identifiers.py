"""OData identifiers at run time (codegen/runtime/identifiers.py), shared with the generator.

The character classes are a table of code point ranges; these tests rebuild it from unicodedata, check that
nothing in it can carry URL syntax, whitespace or controls into a URL, and use names such as `Pc_‿⁀`
(connector punctuation) through a generated package: keys, filters, `$select` and enum literals.

`python tests/test_identifiers.py` rewrites codegen/runtime/identifier_ranges.py from the running Python's
unicodedata (after a Unicode upgrade: review the diff).
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from codegen.csdl import identifiers as csdl_identifiers
from codegen.runtime import identifier_ranges, identifiers
from codegen.runtime.identifiers import is_identifier, is_qualified_name
from codegen.runtime.query import entity_path, format_literal, key_predicate

REPO_ROOT = Path(__file__).resolve().parent.parent
RANGES_MODULE = REPO_ROOT / "codegen" / "runtime" / "identifier_ranges.py"

LEADING_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
FOLLOWING_CATEGORIES = LEADING_CATEGORIES | {"Nd", "Mn", "Mc", "Pc", "Cf"}
PC = "Pc_\u203f\u2040"  # `Pc_‿⁀`: letters, "_" and two more connector punctuation characters (category Pc)
PC_IN_URL = "Pc_%E2%80%BF%E2%81%80"
# What a name must never bring into a URL: its delimiters, OData syntax, percent, whitespace and controls.
URL_SYNTAX = "/?#()',=@$&;+%:*!\\\"<>[]{}|^`~ \t\r\n\x00\x7f\x85\xa0\u2028\u2029\u3000"


def code_point_ranges(categories: frozenset[str], extra: str = "") -> str:
    """`41-5a 5f 61-7a ...`: the code points of `categories` (and `extra`) as inclusive hexadecimal ranges."""
    found, start = [], None
    for code in range(sys.maxunicode + 2):
        inside = code <= sys.maxunicode and (chr(code) in extra or unicodedata.category(chr(code)) in categories)
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            found.append(f"{start:x}" if start == code - 1 else f"{start:x}-{code - 1:x}")
            start = None
    return " ".join(found)


def ranges_module() -> str:
    def constant(name: str, ranges: str) -> str:
        lines = "\n".join(f'    "{line} "' for line in textwrap.wrap(ranges, 100, break_on_hyphens=False))
        return f"{name}: Final = (\n{lines}\n)\n"

    return (
        '"""Code point ranges (hexadecimal, inclusive) of the characters of OData identifiers, from Unicode '
        f"{unicodedata.unidata_version}.\n\n"
        "LEADING: categories L and Nl, and `_`; FOLLOWING: L, Nl, Nd, Mn, Mc, Pc and Cf (see `identifiers`).\n"
        "Written by `python tests/test_identifiers.py`, which rebuilds them from unicodedata; do not edit.\n"
        '"""\n\nfrom __future__ import annotations\n\nfrom typing import Final\n\n'
        f'UNICODE_VERSION: Final = "{unicodedata.unidata_version}"\n'
        + constant("LEADING", code_point_ranges(LEADING_CATEGORIES, "_"))
        + constant("FOLLOWING", code_point_ranges(FOLLOWING_CATEGORIES))
    )


def table_code_points(ranges: str) -> Iterator[int]:
    for item in ranges.split():
        first, _, last = item.partition("-")
        yield from range(int(first, 16), int(last or first, 16) + 1)


# --- the table -----------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    unicodedata.unidata_version != identifier_ranges.UNICODE_VERSION, reason="the table is of another Unicode"
)
def test_the_table_is_what_unicodedata_gives():
    assert RANGES_MODULE.read_text(encoding="utf-8") == ranges_module(), "run: python tests/test_identifiers.py"


@pytest.mark.parametrize("ranges", [identifier_ranges.LEADING, identifier_ranges.FOLLOWING])
def test_no_character_of_the_table_is_url_syntax_whitespace_or_a_control(ranges):
    # Whatever Unicode version the table comes from: its ASCII is letters, digits and "_", and nothing in it
    # is a space, a line or paragraph separator, a control, a surrogate or unassigned here.
    ascii_allowed = set(string.ascii_letters + string.digits + "_")
    refused = {"Zs", "Zl", "Zp", "Cc", "Cs", "Co", "Cn"}
    points = list(table_code_points(ranges))
    assert [chr(c) for c in points if c < 128 and chr(c) not in ascii_allowed] == []
    assert [hex(c) for c in points if unicodedata.category(chr(c)) in refused] == []
    assert not any(chr(c) in URL_SYNTAX for c in points)


def test_ascii_shortcut_agrees_with_the_full_pattern():
    full = re.compile(identifiers.IDENTIFIER)
    qualified = re.compile(identifiers.QUALIFIED_NAME)
    for code in range(128):
        for text in (chr(code), f"a{chr(code)}", f"a{chr(code)}b", f"Ns.a{chr(code)}"):
            assert is_identifier(text) == bool(full.fullmatch(text)), repr(text)
            assert is_qualified_name(text) == bool(qualified.fullmatch(text)), repr(text)


# --- the rule ------------------------------------------------------------------------------------------------

VALID = [
    PC,
    "_",
    "A",
    "x" * 128,
    "A\u0301",  # combining acute accent (Mn)
    "a\u0903",  # Devanagari visarga (Mc)
    "a\u00ad",  # soft hyphen (Cf)
    "a\u200d",  # zero width joiner (Cf)
    "\u216b",  # Roman numeral twelve (Nl) leads
    "a\u0661",  # Arabic-Indic digit one (Nd) follows
    "\u540d\u524d",
    "n\u00e4me",
    "\u01c5",  # Lt
    "\u02b0x",  # Lm
]
INVALID = [
    "",
    "1a",
    "\u0661a",  # a digit (Nd) cannot lead
    "\u0301A",  # neither can a mark
    "\u203fA",  # nor connector punctuation other than "_"
    "\u00adA",  # nor a format character
    "x\u00b2",  # superscript two is No, which `\w` allows
    "x\u00bd",
    "x" * 129,
    "A-B",
    "A.B",
    "A\ud800",  # lone surrogate
]


@pytest.mark.parametrize("name", VALID)
def test_odata_identifiers_are_accepted(name):
    assert is_identifier(name)
    assert csdl_identifiers.is_simple_identifier(name)  # the generator uses the same definition


@pytest.mark.parametrize("name", INVALID)
def test_other_text_is_refused(name):
    assert not is_identifier(name)
    assert not csdl_identifiers.is_simple_identifier(name)


@pytest.mark.parametrize("char", URL_SYNTAX)
@pytest.mark.parametrize("where", ["A{}", "{}A", "A{}B"])
def test_no_url_syntax_whitespace_or_control_anywhere_in_a_name(char, where):
    name = where.format(char)
    assert not is_identifier(name)
    assert not is_qualified_name(f"Ns.{name}")


@pytest.mark.parametrize("value", [None, 1, b"A", ["A"]])
def test_only_strings_are_identifiers(value):
    assert not is_identifier(value)
    assert not is_qualified_name(value)


@pytest.mark.parametrize("name", ["Ns.T", "Org.OData.Core.V1.Permission", f"Uni.{PC}Kind", f"{PC}.{PC}"])
def test_qualified_names(name):
    assert is_qualified_name(name)


@pytest.mark.parametrize("name", ["T", PC, "Ns.", ".T", "Ns..T", "Ns.T/X", "Ns.1", "Ns.T x", "Ns.T\n"])
def test_not_qualified_names(name):
    assert not is_qualified_name(name)


# --- in URLs -------------------------------------------------------------------------------------------------


def test_unicode_names_in_entity_paths_are_percent_encoded():
    assert entity_path(PC) == PC_IN_URL
    assert entity_path(PC, 1) == f"{PC_IN_URL}(1)"
    assert entity_path("Sets", {PC: 1, "B": "x"}) == f"Sets({PC_IN_URL}=1,B='x')"
    # Format characters are invisible on screen; in the URL they are plainly encoded.
    assert entity_path("A\u200d") == "A%E2%80%8D"


@pytest.mark.parametrize("char", URL_SYNTAX)
def test_a_name_with_url_syntax_never_reaches_a_url(char):
    with pytest.raises(ValueError, match="not an entity set name"):
        entity_path(f"A{char}", 1)
    with pytest.raises(ValueError, match="not an OData identifier"):
        key_predicate({f"A{char}": 1})


@pytest.mark.parametrize("char", URL_SYNTAX.replace(",", ""))
def test_an_enum_literal_by_name_refuses_url_syntax(char):
    with pytest.raises(ValueError, match="not an enumeration member name"):
        format_literal(f"Read{char}x", "Ns.Access")


# --- a generated package with such names ---------------------------------------------------------------------

UNICODE_CSDL = f"""<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Uni" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="{PC}Kind" IsFlags="true">
        <Member Name="None" Value="0" />
        <Member Name="{PC}" Value="1" />
        <Member Name="Other" Value="2" />
      </EnumType>
      <EntityType Name="{PC}">
        <Key><PropertyRef Name="{PC}" /></Key>
        <Property Name="{PC}" Type="Edm.Int32" Nullable="false" />
        <Property Name="A\u0301" Type="Edm.String" />
        <Property Name="Kind" Type="Uni.{PC}Kind" />
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="{PC}" EntityType="Uni.{PC}" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


@pytest.fixture(scope="module")
def uni(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("unicode")
    csdl = out / "uni.xml"
    csdl.write_text(UNICODE_CSDL, encoding="utf-8")
    command = ["generate", "--metadata", str(csdl), "--package", "uni", "--out", str(out / "pkg"), "--package-only"]
    result = subprocess.run(
        [sys.executable, "-m", "codegen", *command], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out / "pkg"))
    try:
        import uni

        yield SimpleNamespace(entity=uni.Pc, query=uni.QPc, kind=uni.PcKind)
    finally:
        sys.path.remove(str(out / "pkg"))
        for name in [name for name in sys.modules if name.split(".")[0] == "uni"]:
            del sys.modules[name]


def test_filter_select_and_key_with_unicode_names(uni):
    from codegen.runtime.query import Query

    q = uni.query
    query = Query(q).filter((q.pc == 1) & q.kind.has(uni.kind.PC)).select(q.pc, q.a)
    assert query.url(PC, key=7) == (
        f"{PC_IN_URL}(7)?$filter={PC_IN_URL}%20eq%201%20and%20Kind%20has%20Uni.{PC_IN_URL}Kind'{PC_IN_URL}'"
        f"&$select={PC_IN_URL},A%CC%81"
    )


def test_key_of_an_entity_read_with_unicode_names(uni):
    from codegen.runtime import structure, unstructure

    wire = {PC: 5, "A\u0301": "x", "Kind": f"{PC},Other"}
    entity = structure(dict(wire), uni.entity)
    assert entity.kind == uni.kind.PC | uni.kind.OTHER
    assert entity_path(PC, entity) == f"{PC_IN_URL}(5)"
    assert unstructure(entity) == wire
    assert format_literal(uni.kind.PC) == f"Uni.{PC}Kind'{PC}'"


if __name__ == "__main__":
    RANGES_MODULE.write_text(ranges_module(), encoding="utf-8")
    print(f"wrote {RANGES_MODULE} (Unicode {unicodedata.unidata_version})")
