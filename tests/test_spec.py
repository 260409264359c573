"""The spec loader (`codegen.toml`): every key checked, errors naming file and line, paths relative to the spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen import generate
from codegen.errors import SpecError
from codegen.spec import Spec, load_spec, spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
AIMBASE = REPO / "specs" / "aimbase"

BASE = [
    "# a comment",  # 1
    "[metadata]",  # 2
    'source = "metadata.xml"',  # 3
    "",  # 4
    "[output]",  # 5
    'directory = "out"',  # 6
    'package = "pkg"',  # 7
    "",  # 8
    "[service]",  # 9
    'name = "Svc"',  # 10
    'path = "/odata"',  # 11
    "",  # 12
]


def write_spec(folder: Path, lines: list[str], *, with_metadata: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if with_metadata:
        shutil.copyfile(AIMBASE / "metadata.xml", folder / "metadata.xml")
    path = folder / "codegen.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def spec_error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert caught.value.exit_code == 2
    assert caught.value.path == str(path)
    return caught.value


# -- the committed spec ------------------------------------------------------------------------


def test_loads_the_aimbase_spec() -> None:
    spec = load_spec(AIMBASE / "codegen.toml")
    assert spec == Spec(
        metadata=AIMBASE / "metadata.xml",
        output_dir=REPO / "generated",
        package="aimbase",
        service_name="Aimbase",
        service_path="/odata/V2",
        auth="avala-api",
        login_path="/api/Security/Login",
        entity_sets=("Leads", "Prospects", "Companies", "Dealers", "Products", "Brands", "ProductCategories"),
        renames={"AimbaseOData.Prospect/ZIP4": "zip4", "AimbaseOData.Dealer/EMail": "email"},
        source=AIMBASE / "codegen.toml",
    )
    assert spec.target_dir == REPO / "generated" / "aimbase"
    assert spec.package_dir == REPO / "generated" / "aimbase" / "aimbase"


def test_relative_paths_resolve_against_the_spec_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line.replace('"metadata.xml"', '"../csdl/service.xml"').replace('"out"', '"../../build"') for line in BASE]
    write_spec(tmp_path / "project" / "specs", lines, with_metadata=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    spec = load_spec(Path("../project/specs/codegen.toml"))
    assert spec.metadata == tmp_path / "project" / "csdl" / "service.xml"
    assert spec.output_dir == tmp_path / "build"
    assert spec.target_dir == tmp_path / "build" / "pkg"
    assert spec.package_dir == tmp_path / "build" / "pkg" / "pkg"


def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "abs" / "out"
    lines = [line.replace('"out"', f'"{target.as_posix()}"') for line in BASE]
    spec = load_spec(write_spec(tmp_path / "s", lines))
    assert spec.output_dir == target


def test_defaults(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, BASE))
    assert (spec.auth, spec.login_path, spec.entity_sets, spec.renames) == ("none", None, None, {})


def test_entity_sets_star_means_all(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, BASE + ["[client]", 'entity_sets = "*"']))
    assert spec.entity_sets is None
    assert generate.generate(spec).plan.name == "pkg"  # every set is accepted


def test_entity_sets_list(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, BASE + ["[client]", 'entity_sets = ["Leads", "Brands"]']))
    assert spec.entity_sets == ("Leads", "Brands")


# -- unknown and mistyped keys name their line -------------------------------------------------


@pytest.mark.parametrize(
    ("section", "line"),
    [("metadata", 4), ("output", 8), ("service", 12)],
)
def test_unknown_key_names_its_line(tmp_path: Path, section: str, line: int) -> None:
    lines = list(BASE)
    lines.insert(line - 1, "colour = 'blue'")
    error = spec_error(write_spec(tmp_path, lines))
    assert error.line == line
    assert str(error).startswith(
        f"{tmp_path / 'codegen.toml'}:{line}: unknown key 'colour' in [{section}]; expected one of "
    )


def test_unknown_key_in_optional_sections(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, BASE + ["[naming]", "renames = {}", "prefix = 'X'"]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:15: unknown key 'prefix' in [naming]; expected one of renames"


def test_unknown_key_named_like_a_key_of_an_earlier_section(tmp_path: Path) -> None:
    # `path` is known in [service] (line 11), but not in [client]: the line must be the one in [client].
    error = spec_error(write_spec(tmp_path, BASE + ["[client]", 'path = "/x"']))
    assert (
        str(error)
        == f"{tmp_path / 'codegen.toml'}:14: unknown key 'path' in [client] (it belongs in [service]); expected one of entity_sets"
    )


def test_unknown_section_names_its_line(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, BASE + ["[generator]", "fast = true"]))
    assert str(error) == (
        f"{tmp_path / 'codegen.toml'}:13: unknown section [generator]; expected one of metadata, output, project, service, client, naming, select, templates, extensions"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('package = "pkg"', "package = 3", "7: [output] package must be a str"),
        ('path = "/odata"', "path = ['/odata']", "11: [service] path must be a str"),
        ('source = "metadata.xml"', "source = true", "3: [metadata] source must be a str"),
    ],
)
def test_wrong_value_type_names_its_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    error = spec_error(write_spec(tmp_path, [new if line == old else line for line in BASE]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:{message}"


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, ["client = 3", *BASE]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:1: client must be a [client] table"


def test_missing_required_key(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, [line for line in BASE if not line.startswith("path")]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:9: [service] is missing required key 'path'"


def test_missing_required_section(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, BASE[:8]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}: missing required section [service]"


def test_invalid_toml_names_its_line(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, BASE + ["[client]", "entity_sets = [Leads]"]))
    assert error.line == 14
    assert error.message.startswith("invalid TOML: ")
    assert "(at line" not in error.message  # the position is in the prefix, not repeated


def test_spec_that_is_not_utf8(tmp_path: Path) -> None:
    path = write_spec(tmp_path, BASE)
    path.write_bytes(path.read_bytes().replace(b'"Svc"', b'"Sv\xe9"'))
    error = spec_error(path)
    assert str(error) == f"{path}:10: spec is not UTF-8 text (byte 0xe9)"


# -- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('package = "pkg"', 'package = "my-pkg"', "7: package name 'my-pkg' is not a valid Python identifier"),
        ('package = "pkg"', 'package = "import"', "7: package name 'import' is not a valid Python identifier"),
        ('path = "/odata"', 'path = "odata"', "11: service path 'odata' must start with '/'"),
        ('name = "Svc"', 'name = "My Service"', "10: service name 'My Service' is not a valid Python identifier"),
    ],
)
def test_invalid_values(tmp_path: Path, old: str, new: str, message: str) -> None:
    error = spec_error(write_spec(tmp_path, [new if line == old else line for line in BASE]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:{message}"


def test_unknown_auth_scheme(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, BASE[:-1] + ['auth = "basic"']))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:12: auth 'basic' is not one of avala-api, bearer, none"


@pytest.mark.parametrize("value", ['"Leads"', '["Leads", 3]'])
def test_entity_sets_must_be_star_or_names(tmp_path: Path, value: str) -> None:
    error = spec_error(write_spec(tmp_path, BASE + ["[client]", f"entity_sets = {value}"]))
    assert error.line == 14
    assert error.message.startswith('[client] entity_sets must be "*" or a list of')


@pytest.mark.parametrize("name", ['"class"', '"1abc"', '"with space"', '"zip-4"', "4"])
def test_rename_to_invalid_identifier_rejected(tmp_path: Path, name: str) -> None:
    lines = BASE + ["[naming]", f'renames = {{ "AimbaseOData.Prospect/ZIP4" = {name} }}']
    error = spec_error(write_spec(tmp_path, lines))
    value = name.strip('"') if name.startswith('"') else int(name)
    assert str(error) == (
        f"{tmp_path / 'codegen.toml'}:14: rename of 'AimbaseOData.Prospect/ZIP4' to {value!r}: not a valid Python identifier"
    )


# -- checks against the metadata (the generate pipeline) -----------------------------------------


def test_entity_set_not_in_metadata_is_named(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, BASE + ["[client]", 'entity_sets = ["Leads", "Invoices"]']))
    with pytest.raises(SpecError) as caught:
        generate.generate(spec)
    assert str(caught.value) == (
        f"{tmp_path / 'codegen.toml'}: [client] entity_sets names 'Invoices', which metadata.xml does not define "
        "(it has Brands, Companies, Dealers, Leads, ProductCategories, Products, Prospects)"
    )


@pytest.mark.parametrize("target", ["AimbaseOData.Invoice", "AimbaseOData.Prospect/ZIP5"])
def test_rename_of_something_the_metadata_lacks_is_rejected(tmp_path: Path, target: str) -> None:
    spec = load_spec(write_spec(tmp_path, BASE + ["[naming]", f'renames = {{ "{target}" = "renamed" }}']))
    with pytest.raises(SpecError) as caught:
        generate.generate(spec)
    assert str(caught.value) == (
        f"{tmp_path / 'codegen.toml'}: [naming] renames target {target!r}, which the metadata does not define"
    )


def test_renames_are_applied(tmp_path: Path) -> None:
    lines = BASE + [
        "[naming]",
        'renames = { "AimbaseOData.Prospect/ZIP4" = "postal_code_plus4", "AimbaseOData.Brand" = "Marque" }',
    ]
    plan = generate.generate(load_spec(write_spec(tmp_path, lines))).plan
    classes = {c.qualified_name: c for c in plan.classes}
    assert classes["AimbaseOData.Brand"].name == "Marque"
    fields = {f.wire_name: f.attribute for f in classes["AimbaseOData.Prospect"].fields}
    assert fields["ZIP4"] == "postal_code_plus4"


# -- without a spec file ---------------------------------------------------------------------------


def test_spec_from_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = spec_from_arguments(Path("m.xml"), "pkg", Path("build"))
    assert spec == Spec(metadata=tmp_path / "m.xml", output_dir=tmp_path / "build", package="pkg")
    assert spec.entity_sets is None and spec.source is None and spec.service_path == "/"


@pytest.mark.parametrize(
    ("package", "service_path", "message"),
    [
        ("my-pkg", "/", "package name 'my-pkg' is not a valid Python identifier"),
        ("pkg", "odata", "service path 'odata' must start with '/'"),
    ],
)
def test_spec_from_arguments_checks_values(tmp_path: Path, package: str, service_path: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        spec_from_arguments(tmp_path / "m.xml", package, tmp_path, service_path)
    assert str(caught.value) == message


@pytest.mark.parametrize("name", ["self", "_odata_present", "_private", "dynamic_properties", "instance_annotations"])
def test_property_rename_to_reserved_attribute_rejected(tmp_path: Path, name: str) -> None:
    # `self` made the generated class fail to import (duplicate __init__ argument); `_odata_present`
    # silently replaced the runtime's own field, so the renamed property was dropped.
    lines = BASE + ["[naming]", f'renames = {{ "AimbaseOData.Dealer/EMail" = "{name}" }}']
    error = spec_error(write_spec(tmp_path, lines))
    assert str(error) == (
        f"{tmp_path / 'codegen.toml'}:14: rename of 'AimbaseOData.Dealer/EMail' to {name!r}: "
        "that attribute name is reserved by the generated classes"
    )


def test_property_rename_clashing_with_another_property_is_rejected(tmp_path: Path) -> None:
    lines = BASE + ["[naming]", 'renames = { "AimbaseOData.Dealer/EMail" = "name" }']
    spec = load_spec(write_spec(tmp_path, lines))
    with pytest.raises(SpecError, match="AimbaseOData.Dealer/EMail"):
        generate.generate(spec)


# -- [project] and [output] project: the distribution around the package ---------------------------------------


def test_project_keys_are_read(tmp_path: Path) -> None:
    lines = BASE + ["[project]", 'name = "acme-aimbase"', 'version = "2.1.0"', 'description = "Acme bindings"']
    spec = load_spec(write_spec(tmp_path, lines))
    assert (spec.project, spec.distribution, spec.version, spec.description) == (
        True,
        "acme-aimbase",
        "2.1.0",
        "Acme bindings",
    )


def test_output_project_false_writes_the_package_alone(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, [*BASE[:7], "project = false", *BASE[7:]]))
    assert spec.package_dir == spec.target_dir == tmp_path / "out" / "pkg"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('name = "-leading"', "[project] name '-leading' is not a distribution name"),
        ('name = "two words"', "[project] name 'two words' is not a distribution name"),
        ('name = "odata_codegen.runtime"', "[project] name 'odata_codegen.runtime' is the name of the codegen runtime"),
        ('name = "ODATA-CODEGEN"', "[project] name 'ODATA-CODEGEN' is the name of the codegen runtime or generator"),
        ('version = "one"', "[project] version 'one' is not a PEP 440 version"),
        ('version = "1.0; rm -rf /"', "[project] version '1.0; rm -rf /' is not a PEP 440 version"),
        (f'version = "1.{"0" * 70}"', "is longer than 64 characters"),
        ('description = "two\\nlines"', "[project] description 'two\\nlines' must be one line"),
        ('description = "bell\\u0007"', "must be one line without control characters"),
        (f'description = "{"x" * 513}"', "is longer than 512 characters"),
        ("version = 2", "[project] version must be a str"),
    ],
)
def test_bad_project_values_name_their_line(tmp_path: Path, line: str, message: str) -> None:
    error = spec_error(write_spec(tmp_path, [*BASE, "[project]", line]))
    assert error.line == 14
    assert message in error.message, error.message
    assert len(str(error).splitlines()) == 1


def test_output_project_must_be_a_boolean(tmp_path: Path) -> None:
    error = spec_error(write_spec(tmp_path, [*BASE[:7], 'project = "yes"', *BASE[7:]]))
    assert str(error) == f"{tmp_path / 'codegen.toml'}:8: [output] project must be a bool"
