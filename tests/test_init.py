"""`codegen init`: the spec it writes (every key, from spec.SPEC_KEYS), what it refuses, and `--help`."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import attrs
import pytest

from codegen import cli, generate, scaffold
from codegen.errors import SpecError
from codegen.spec import _SCHEMA, AUTH_SCHEMES, SPEC_KEYS, load_spec

from init_support import DEALERS_CSDL, DEALERS_CSDL_JSON


@pytest.fixture
def metadata(tmp_path: Path) -> Path:
    path = tmp_path / "dealers.xml"
    path.write_text(DEALERS_CSDL, encoding="utf-8")
    return path


def init(tmp_path: Path, *args: object) -> int:
    return cli.main(["init", *map(str, args), "--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "out")])


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if "__pycache__" not in p.parts)


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = err.splitlines()
    return line


# -- the key table -------------------------------------------------------------------------------


def test_the_key_table_documents_exactly_the_keys_load_spec_accepts() -> None:
    assert set(SPEC_KEYS) == {(section, key) for section, keys in _SCHEMA.items() for key in keys}
    for (section, key), doc in SPEC_KEYS.items():
        assert (doc.default is None) == _SCHEMA[section][key][1], (section, key)  # no default: required
        assert "\n" not in doc.help and doc.help, (section, key)


# -- the happy path ------------------------------------------------------------------------------


def test_init_writes_the_spec_the_metadata_and_the_package(tmp_path: Path, metadata: Path, capsys) -> None:
    code = init(
        tmp_path, "aimbase_dealers", "--metadata", metadata, "--service-path", "/odata/V2", "--auth", "avala-api"
    )
    assert code == 0
    out = capsys.readouterr().out
    folder = tmp_path / "specs" / "aimbase_dealers"
    spec = load_spec(folder / "codegen.toml")
    assert (spec.package, spec.service_name, spec.service_path, spec.auth) == (
        "aimbase_dealers",
        "AimbaseDealers",  # NAME in PascalCase
        "/odata/V2",
        "avala-api",
    )
    assert spec.metadata == (folder / "metadata.xml").resolve()
    assert spec.metadata.read_bytes() == metadata.read_bytes()
    assert spec.target_dir == (tmp_path / "out" / "aimbase_dealers").resolve()
    assert spec.login_path is None and spec.entity_sets is None and spec.renames == {}
    assert generate.check(spec) == []  # the package on disk is what the spec generates
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == ["aimbase_dealers"]  # no staging left
    assert "pip install -e" in out and f"codegen sandbox" in out and "AimbaseDealersClient(" in out
    imported = subprocess.run(
        [sys.executable, "-c", "import aimbase_dealers as p; print(p.AimbaseDealersClient.__name__, p.Dealer)"],
        capture_output=True,
        text=True,
        cwd=spec.target_dir,  # the project folder holds the package
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("AimbaseDealersClient")


def test_every_key_is_written_in_its_section_and_each_example_is_valid(tmp_path: Path, metadata: Path) -> None:
    assert init(tmp_path, "dealers", "--metadata", metadata, "--login-path", "/api/Login") == 0
    text = (tmp_path / "specs" / "dealers" / "codegen.toml").read_text(encoding="utf-8")
    written: list[tuple[str, str]] = []
    section = ""
    for line in text.splitlines():
        header = re.fullmatch(r"\[(\w+)\]", line)
        key = re.fullmatch(r"(?:# )?(\w+) = .*", line)
        if header:
            section = header.group(1)
        elif key:
            written.append((section, key.group(1)))
    assert written == list(SPEC_KEYS)  # each key once, in the table's order
    assert 'login_path = "/api/Login"' in text.splitlines()
    # Uncommented, every example is a value load_spec accepts (the file and folder examples name must exist).
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", text)
    (tmp_path / "specs" / "dealers" / "vocabulary.xml").write_text("<x/>", encoding="utf-8")
    (tmp_path / "specs" / "dealers" / "templates").mkdir()
    full = tmp_path / "specs" / "dealers" / "full.toml"
    full.write_text(uncommented, encoding="utf-8")
    data = tomllib.loads(uncommented)
    assert {(s, k) for s, keys in data.items() for k in keys} == set(SPEC_KEYS)
    spec = load_spec(full)
    assert spec.version == data["project"]["version"] and spec.entity_sets == tuple(data["client"]["entity_sets"])
    assert spec.project is data["output"]["project"] and spec.distribution == data["project"]["name"]


def test_the_copy_of_csdl_json_is_named_after_its_content(tmp_path: Path) -> None:
    source = tmp_path / "service.xml"  # a misleading name: the content decides
    source.write_text(DEALERS_CSDL_JSON, encoding="utf-8")
    assert init(tmp_path, "dealers", "--metadata", source) == 0
    assert listing(tmp_path / "specs") == ["dealers", "dealers/codegen.toml", "dealers/metadata.json"]


# -- refusals: one line, exit 2, nothing written -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("1dealers", "package name '1dealers' is not a valid Python identifier"),
        ("my-dealers", "package name 'my-dealers' is not a valid Python identifier"),
        ("class", "package name 'class' is not a valid Python identifier"),
        ("json", "package name 'json' would shadow the module"),
        ("build", "package name 'build' is where building the project writes its output"),
    ],
)
def test_a_bad_name_is_refused_before_anything_is_written(
    tmp_path: Path, metadata: Path, capsys, name: str, message: str
) -> None:
    assert init(tmp_path, name, "--metadata", metadata) == 2
    assert message in one_error(capsys)
    assert listing(tmp_path) == ["dealers.xml"]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--service-path", "odata", "service path 'odata' must start with '/'"),
        ("--login-path", "//evil.example/login", "login path '//evil.example/login' must start with a single '/'"),
        ("--service-name", "Not A Name", "service name 'Not A Name' is not a valid Python identifier"),
    ],
)
def test_bad_values_are_refused(tmp_path: Path, metadata: Path, capsys, option: str, value: str, message: str) -> None:
    assert init(tmp_path, "dealers", "--metadata", metadata, option, value) == 2
    assert message in one_error(capsys)
    assert listing(tmp_path) == ["dealers.xml"]


def test_an_unknown_auth_scheme_is_an_argument_error(tmp_path: Path, metadata: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        init(tmp_path, "dealers", "--metadata", metadata, "--auth", "basic")
    assert exited.value.code == 2
    assert "invalid choice: 'basic'" in one_error(capsys)


def test_missing_metadata(tmp_path: Path, capsys) -> None:
    assert init(tmp_path, "dealers", "--metadata", tmp_path / "nowhere.xml") == 2
    assert (
        one_error(capsys)
        == f"codegen: error: {tmp_path / 'nowhere.xml'}: cannot read the metadata: No such file or directory"
    )
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not xml at all", "malformed XML"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "DTD"),
        ('<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"/>', "OData V1-V3"),
    ],
)
def test_invalid_metadata_names_the_given_file_and_writes_nothing(
    tmp_path: Path, capsys, content: str, message: str
) -> None:
    source = tmp_path / "bad.xml"
    source.write_text(content, encoding="utf-8")
    assert init(tmp_path, "dealers", "--metadata", source) == 2
    line = one_error(capsys)
    assert line.startswith(f"codegen: error: {source}") and message.lower() in line.lower(), line
    assert listing(tmp_path) == ["bad.xml"]  # not even the specs folder


def test_metadata_over_the_size_limit_is_refused_unread(
    tmp_path: Path, metadata: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scaffold, "MAX_DOCUMENT_BYTES", 100)
    assert init(tmp_path, "dealers", "--metadata", metadata) == 2
    assert "is larger than the limit of 100 bytes" in one_error(capsys)
    assert listing(tmp_path) == ["dealers.xml"]


def test_an_existing_spec_directory_is_kept(tmp_path: Path, metadata: Path, capsys) -> None:
    assert init(tmp_path, "dealers", "--metadata", metadata) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "specs" / "dealers").iterdir()}
    capsys.readouterr()
    assert init(tmp_path, "dealers", "--metadata", metadata, "--service-path", "/odata/V2") == 2
    assert "the spec directory exists; choose another NAME, or --force to replace it" in one_error(capsys)
    assert {p: p.read_bytes() for p in (tmp_path / "specs" / "dealers").iterdir()} == before


def test_force_replaces_what_init_wrote(tmp_path: Path, metadata: Path) -> None:
    assert init(tmp_path, "dealers", "--metadata", metadata) == 0
    assert init(tmp_path, "dealers", "--metadata", metadata, "--service-path", "/odata/V2", "--force") == 0
    spec = load_spec(tmp_path / "specs" / "dealers" / "codegen.toml")
    assert spec.service_path == "/odata/V2" and generate.check(spec) == []
    assert listing(tmp_path / "specs") == ["dealers", "dealers/codegen.toml", "dealers/metadata.xml"]


def test_force_keeps_a_directory_holding_other_files(tmp_path: Path, metadata: Path, capsys) -> None:
    assert init(tmp_path, "dealers", "--metadata", metadata) == 0
    (tmp_path / "specs" / "dealers" / "examples").mkdir()
    capsys.readouterr()
    assert init(tmp_path, "dealers", "--metadata", metadata, "--force") == 2
    assert "holds files init did not write (examples); --force would delete them" in one_error(capsys)
    assert (tmp_path / "specs" / "dealers" / "examples").is_dir()


def test_a_failed_generation_leaves_no_spec_behind(tmp_path: Path, metadata: Path, capsys) -> None:
    (tmp_path / "out" / "dealers").mkdir(parents=True)
    (tmp_path / "out" / "dealers" / "mine.py").write_text("# not codegen's\n", encoding="utf-8")
    assert init(tmp_path, "dealers", "--metadata", metadata) == 2
    assert "refusing to replace a directory that codegen did not generate" in one_error(capsys)
    assert not (tmp_path / "specs").exists()
    assert listing(tmp_path / "out") == ["dealers", "dealers/mine.py"]


# -- unknown keys, --help -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[service]\nauht = "none"\n', "unknown key 'auht' in [service] (did you mean 'auth'?); expected one of"),
        ("[servce]\n", "unknown section [servce] (did you mean [service]?); expected one of"),
        ('[metadata]\nlogin_path = "/x"\n', "unknown key 'login_path' in [metadata] (it belongs in [service])"),
        ("[output]\nzzz = 1\n", "unknown key 'zzz' in [output]; expected one of directory, package, project"),
    ],
)
def test_an_unknown_key_suggests_the_closest_valid_one(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "codegen.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")  # the line of the key


@pytest.mark.parametrize("command", [[], ["generate"], ["sandbox"], ["init"]], ids=lambda c: " ".join(c) or "codegen")
def test_every_commands_help_documents_every_spec_key(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    epilog = help_text[help_text.index("spec file (codegen.toml) keys") :]
    sections = re.split(r"(?m)^  \[(\w+)\]$", epilog)[1:]
    documented = {
        (name, key)
        for name, body in zip(sections[::2], sections[1::2])
        for key in re.findall(r"(?m)^    (\w+): ", body)
    }
    assert documented == set(SPEC_KEYS)
    flowing = " ".join(epilog.split())  # as wrapped for the terminal
    for doc in SPEC_KEYS.values():
        assert " ".join(doc.help.split()) in flowing


def test_the_project_cannot_go_into_the_spec_directory(tmp_path: Path, metadata: Path, capsys) -> None:
    code = cli.main(["init", "d", "--metadata", str(metadata), "--specs", str(tmp_path), "--output", str(tmp_path)])
    assert code == 2
    assert "--output would put the project in the spec directory" in one_error(capsys)
    assert listing(tmp_path) == ["dealers.xml"]


def test_warnings_name_the_copy_in_its_place(tmp_path: Path, capsys) -> None:
    trippin = Path(__file__).parent / "fixtures" / "csdl" / "trippin-sampleservice.xml"  # it starts with a BOM
    assert init(tmp_path, "trip", "--metadata", trippin) == 0
    copy = tmp_path / "specs" / "trip" / "metadata.xml"
    assert f"codegen: warning: {copy}:1: document starts with a UTF-8 byte order mark" in capsys.readouterr().err


MINIMAL = """[metadata]
source = "dealers.xml"
[output]
directory = "out"
package = "dealers"
[service]
name = "Dealers"
path = "/"
"""


@pytest.mark.parametrize(
    "key", [k for k, doc in SPEC_KEYS.items() if doc.default is not None and not doc.default.startswith("<")], ids=str
)
def test_a_documented_default_is_what_leaving_the_key_out_gives(tmp_path: Path, metadata: Path, key) -> None:
    section, name = key
    implicit = tmp_path / "implicit.toml"
    implicit.write_text(MINIMAL, encoding="utf-8")
    explicit = tmp_path / "explicit.toml"
    text = MINIMAL if f"[{section}]" in MINIMAL else MINIMAL + f"[{section}]\n"
    explicit.write_text(text.replace(f"[{section}]\n", f"[{section}]\n{name} = {SPEC_KEYS[key].default}\n"), "utf-8")
    if key == ("service", "login_path"):  # None in the spec: the runtime and the sandbox apply the default
        from codegen.runtime.http.client import login_url
        from codegen.sandbox.app import DEFAULT_LOGIN_PATH

        documented = tomllib.loads(f"v = {SPEC_KEYS[key].default}")["v"]
        assert DEFAULT_LOGIN_PATH == documented
        assert login_url("https://h.example", None) == login_url("https://h.example", documented)
        return
    assert attrs.evolve(load_spec(explicit), source=None) == attrs.evolve(load_spec(implicit), source=None)


def test_the_auth_help_names_every_scheme() -> None:
    assert all(f'"{scheme}"' in SPEC_KEYS[("service", "auth")].help for scheme in AUTH_SCHEMES)
