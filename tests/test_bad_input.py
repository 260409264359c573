"""Every kind of bad input, run through the real command line.

Each must give exactly one line on stderr, `codegen: error: <file>:<line>: <problem>`,
exit code 2, no traceback, and write nothing: a fresh output directory is not
created and an existing generated package is left byte for byte as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AIMBASE_METADATA = REPO / "specs" / "aimbase" / "metadata.xml"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "generate", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_error(result: subprocess.CompletedProcess[str], expected: str) -> None:
    """Exit 2 and exactly the one expected stderr line; nothing on stdout."""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [expected], result.stderr
    assert result.returncode == 2
    assert result.stdout == ""


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file and directory below root (hidden ones too), with file contents."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
        for p in sorted(root.rglob("*"))
        if "__pycache__" not in p.parts
    }


# -- the bad $metadata documents ---------------------------------------------------------------

_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Ns">
      <EntityType Name="A">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
"""  # 7 lines: whatever a case adds starts on line 8
_TAIL = """      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def v4(body: str, extra_types: str = "") -> str:
    return _HEAD + body + _TAIL.replace("      </EntityType>\n", "      </EntityType>\n" + extra_types, 1)


_DTD_MESSAGE = "DTDs and entity declarations are not allowed in $metadata (possible XXE); remove the DOCTYPE"
_V4_ROOT = '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">'

# id -> (document text, encoding, expected line, expected problem)
METADATA_CASES: dict[str, tuple[str, str, int | None, str]] = {
    "malformed-xml": (
        v4('        <Property Name="X" Type="Edm.String">\n'),
        "utf-8",
        9,
        "malformed XML: Opening and ending tag mismatch: Property line 8 and EntityType",
    ),
    "truncated-xml": (
        _HEAD,
        "utf-8",
        8,
        "malformed XML: Premature end of data in tag EntityType line 5",
    ),
    "dtd": (
        '<?xml version="1.0"?>\n<!DOCTYPE edmx:Edmx>\n' + v4("").split("\n", 1)[1],
        "utf-8",
        2,
        _DTD_MESSAGE,
    ),
    "external-dtd": (
        '<?xml version="1.0"?>\n<!DOCTYPE edmx:Edmx SYSTEM "http://127.0.0.1:9/evil.dtd">\n' + v4("").split("\n", 1)[1],
        "utf-8",
        2,
        _DTD_MESSAGE,
    ),
    "xxe": (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        + v4('        <Property Name="X" Type="Edm.String" DefaultValue="&e;"/>\n').split("\n", 1)[1],
        "utf-8",
        2,
        _DTD_MESSAGE,
    ),
    # The byte search for "<!DOCTYPE" cannot see it in UTF-16; the parsed document's DTD is refused too.
    "xxe-utf16": (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        + _V4_ROOT
        + "<edmx:DataServices>&e;</edmx:DataServices></edmx:Edmx>\n",
        "utf-16",
        2,
        _DTD_MESSAGE,
    ),
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + ' <!ENTITY lol "lol">\n'
        + "".join(f' <!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">\n' for i in range(1, 10))
        + "]>\n"
        + _V4_ROOT
        + "<edmx:DataServices>&lol9;</edmx:DataServices></edmx:Edmx>\n",
        "utf-8",
        2,
        _DTD_MESSAGE,
    ),
    "unknown-type": (
        v4('        <Property Name="X" Type="Ns.Missing"/>\n'),
        "utf-8",
        8,
        "property A.X refers to unknown type 'Ns.Missing'",
    ),
    "unknown-collection-type": (
        v4('        <Property Name="Xs" Type="Collection(Ns.Missing)"/>\n'),
        "utf-8",
        8,
        "property A.Xs refers to unknown type 'Ns.Missing'",
    ),
    "navigation-to-non-entity": (
        v4(
            '        <NavigationProperty Name="C" Type="Ns.C"/>\n',
            '      <ComplexType Name="C"><Property Name="V" Type="Edm.String"/></ComplexType>\n',
        ),
        "utf-8",
        8,
        "navigation property A.C refers to unknown entity type 'Ns.C'",
    ),
    "unknown-base-type": (
        v4(
            "",
            '      <EntityType Name="B" BaseType="Ns.Nope">\n'
            '        <Property Name="Extra" Type="Edm.String"/>\n'
            "      </EntityType>\n",
        ),
        "utf-8",
        9,
        "entity type 'Ns.B' has unknown base type 'Ns.Nope'",
    ),
    "unknown-primitive": (
        v4('        <Property Name="X" Type="Edm.Foo"/>\n'),
        "utf-8",
        8,
        "property A.X has unknown primitive type 'Edm.Foo'",
    ),
    "odata-v2": (
        """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <Schema Namespace="Ns" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
      <EntityType Name="A"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
""",
        "utf-8",
        2,
        "this is an OData V1-V3 document (EDMX 1.0); only OData V4 CSDL is supported",
    ),
    "edmx-version-3": (
        v4("").replace('Version="4.0"', 'Version="3.0"'),
        "utf-8",
        2,
        "unsupported EDMX Version '3.0'; expected 4.0 or 4.01",
    ),
    "not-edmx": (
        '<?xml version="1.0"?>\n<root/>\n',
        "utf-8",
        2,
        "root element is <root> in namespace None; expected an OData V4 edmx:Edmx",
    ),
    # Structurally invalid CSDL that used to be generated silently (a dropped type, a key naming a
    # property of the wrong type) or crashed with an internal error (a missing base further up).
    "duplicate-property": (
        v4('        <Property Name="Id" Type="Edm.String"/>\n'),
        "utf-8",
        8,
        "A.Id is declared more than once",
    ),
    "redeclared-inherited-property": (
        v4(
            "",
            '      <EntityType Name="B" BaseType="Ns.A">\n        <Property Name="Id" Type="Edm.String"/>\n      </EntityType>\n',
        ),
        "utf-8",
        10,
        "B.Id is already declared by base type 'Ns.A'",
    ),
    "duplicate-type": (
        v4("", '      <ComplexType Name="A"/>\n'),
        "utf-8",
        9,
        "type 'Ns.A' is defined more than once",
    ),
    "type-without-name": (
        v4("", '      <ComplexType><Property Name="V" Type="Edm.String"/></ComplexType>\n'),
        "utf-8",
        9,
        "a type in namespace 'Ns' has no Name",
    ),
    "property-without-name": (
        v4('        <Property Type="Edm.String"/>\n'),
        "utf-8",
        8,
        "a property of 'Ns.A' has no Name",
    ),
    "key-not-a-property": (
        v4(
            "",
            '      <EntityType Name="B">\n        <Key><PropertyRef Name="Code"/></Key>\n'
            '        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>\n      </EntityType>\n',
        ),
        "utf-8",
        9,
        "the key of entity type 'Ns.B' names 'Code', which is not one of its properties",
    ),
    "enum-unknown-underlying-type": (
        v4("", '      <EnumType Name="E" UnderlyingType="Edm.Foo"><Member Name="a"/></EnumType>\n'),
        "utf-8",
        9,
        "enum type 'Ns.E' has underlying type 'Edm.Foo'; expected one of Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32, Edm.Int64",
    ),
    "base-type-of-other-kind": (
        v4("", '      <ComplexType Name="C"/>\n      <EntityType Name="B" BaseType="Ns.C"/>\n'),
        "utf-8",
        10,
        "entity type 'Ns.B' has base type 'Ns.C', which is a complex type",
    ),
    "unknown-base-type-further-up": (
        v4("", '      <EntityType Name="B" BaseType="Ns.C"/>\n      <EntityType Name="C" BaseType="Ns.Nope"/>\n'),
        "utf-8",
        10,
        "entity type 'Ns.C' has unknown base type 'Ns.Nope'",
    ),
    "base-type-cycle": (
        v4("", '      <EntityType Name="B" BaseType="Ns.B"/>\n'),
        "utf-8",
        9,
        "type 'Ns.B' inherits from itself",
    ),
}


def write_case(tmp_path: Path, case: str) -> tuple[Path, str]:
    text, encoding, line, problem = METADATA_CASES[case]
    document = tmp_path / f"{case}.xml"
    document.write_bytes(text.encode(encoding))
    where = f"{document}:{line}" if line is not None else str(document)
    return document, f"codegen: error: {where}: {problem}"


@pytest.mark.parametrize("case", sorted(METADATA_CASES))
def test_bad_metadata(tmp_path: Path, case: str) -> None:
    document, expected = write_case(tmp_path, case)
    out = tmp_path / "out"
    result = run("--metadata", document, "--package", "p", "--out", out)
    assert_one_error(result, expected)
    assert not out.exists()
    assert "root:" not in result.stderr  # nothing of /etc/passwd leaks into the message


def test_missing_metadata_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "metadata.xml"
    out = tmp_path / "out"
    result = run("--metadata", missing, "--package", "p", "--out", out)
    assert_one_error(result, f"codegen: error: {missing}: cannot read metadata: No such file or directory")
    assert not out.exists()


def test_metadata_is_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("--metadata", tmp_path, "--package", "p", "--out", out)
    assert_one_error(result, f"codegen: error: {tmp_path}: cannot read metadata: Is a directory")
    assert not out.exists()


def test_missing_metadata_file_named_by_spec(tmp_path: Path) -> None:
    spec = tmp_path / "codegen.toml"
    spec.write_text(_spec_text([]).replace('"metadata.xml"', '"missing.xml"'), encoding="utf-8")
    result = run(spec)
    assert_one_error(
        result, f"codegen: error: {tmp_path / 'missing.xml'}: cannot read metadata: No such file or directory"
    )
    assert not (tmp_path / "out").exists()


# -- bad specs ---------------------------------------------------------------------------------

_SPEC_LINES = [
    "[metadata]",  # 1
    'source = "metadata.xml"',  # 2
    "",  # 3
    "[output]",  # 4
    'directory = "out"',  # 5
    'package = "pkg"',  # 6
    "",  # 7
    "[service]",  # 8
    'name = "Svc"',  # 9
    'path = "/odata"',  # 10
    "",  # 11
]


def _spec_text(extra: list[str]) -> str:
    return "\n".join(_SPEC_LINES + extra) + "\n"


# id -> (lines after line 11, expected line, expected problem)
SPEC_CASES: dict[str, tuple[list[str], int | None, str]] = {
    "unknown-key": (
        ["[client]", 'entity_sets = "*"', "entity_set = []"],
        14,
        "unknown key 'entity_set' in [client] (did you mean 'entity_sets'?); expected one of entity_sets",
    ),
    "unknown-section": (
        ["[clients]", 'entity_sets = "*"'],
        12,
        "unknown section [clients] (did you mean [client]?); expected one of metadata, output, project, service, "
        "client, naming, select, templates, extensions",
    ),
    "wrong-value-type": (
        ["[client]", "entity_sets = 7"],
        13,
        "[client] entity_sets must be a list or str",
    ),
    "invalid-toml": (
        ["[client", 'entity_sets = "*"'],
        12,
        "invalid TOML: Expected ']' at the end of a table declaration",
    ),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_bad_spec(tmp_path: Path, case: str) -> None:
    extra, line, problem = SPEC_CASES[case]
    shutil.copyfile(AIMBASE_METADATA, tmp_path / "metadata.xml")
    spec = tmp_path / "codegen.toml"
    spec.write_text(_spec_text(extra), encoding="utf-8")
    result = run(spec)
    assert_one_error(result, f"codegen: error: {spec}:{line}: {problem}")
    assert not (tmp_path / "out").exists()


def test_spec_not_utf8(tmp_path: Path) -> None:
    spec = tmp_path / "codegen.toml"
    spec.write_bytes(_spec_text([]).replace('"Svc"', '"Sv\xe9"').encode("latin-1"))
    result = run(spec)
    assert_one_error(result, f"codegen: error: {spec}:9: spec is not UTF-8 text (byte 0xe9)")
    assert not (tmp_path / "out").exists()


def test_missing_spec_file(tmp_path: Path) -> None:
    spec = tmp_path / "codegen.toml"
    result = run(spec)
    assert_one_error(result, f"codegen: error: {spec}: cannot read spec: No such file or directory")


# -- an existing generated package survives bad input untouched ---------------------------------


@pytest.fixture(scope="module")
def existing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output directory holding a package `p` that codegen generated from a good document."""
    root = tmp_path_factory.mktemp("existing")
    good = root / "good.xml"
    good.write_text(v4('        <Property Name="Name" Type="Edm.String"/>\n'), encoding="utf-8")
    out = root / "out"
    result = run("--metadata", good, "--package", "p", "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / "p" / "p" / "__init__.py").is_file()
    return out


@pytest.mark.parametrize("case", ["malformed-xml", "xxe", "unknown-type", "odata-v2"])
def test_bad_metadata_leaves_existing_package_unchanged(tmp_path: Path, existing: Path, case: str) -> None:
    before = snapshot(existing)
    document, expected = write_case(tmp_path, case)
    result = run("--metadata", document, "--package", "p", "--out", existing)
    assert_one_error(result, expected)
    assert snapshot(existing) == before  # same files, same bytes, no staging directories left


def test_bad_spec_leaves_existing_package_unchanged(tmp_path: Path, existing: Path) -> None:
    before = snapshot(existing)
    shutil.copyfile(AIMBASE_METADATA, tmp_path / "metadata.xml")
    spec = tmp_path / "codegen.toml"
    text = _spec_text(["[client]", "entity_sets = ['Nope']"])
    spec.write_text(text.replace('"out"', f'"{existing.as_posix()}"').replace('"pkg"', '"p"'), encoding="utf-8")
    result = run(spec)
    assert result.stderr.startswith(f"codegen: error: {spec}: [client] entity_sets names 'Nope', which metadata.xml")
    assert_one_error(result, result.stderr.rstrip("\n"))
    assert snapshot(existing) == before
