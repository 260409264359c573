"""The user's extension module (`[extensions] module`): imported by the package, written once as a starter, never
overwritten, deleted or listed, carried over by every regeneration, and ignored by `--check`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from black_support import black_format
from codegen import generate
from codegen.errors import OutputError, SpecError
from codegen.extensions import GENERATED_MODULES
from codegen.output import MANIFEST
from codegen.spec import Spec, load_spec

REPO = Path(__file__).resolve().parents[1]
TRIPPIN = REPO / "tests" / "fixtures" / "csdl" / "trippin-sampleservice.xml"
SPEC = """\
[metadata]
source = "metadata.xml"

[output]
directory = "out"
package = "trip"

[service]
name = "Trip"
path = "/"

[extensions]
module = "custom"
"""
USER_CODE = b'''"""Mine."""

from trip import Person

LOADED_WITH = Person.__odata_type__
'''
NICKNAME = '<Property Name="Nickname" Type="Edm.String" />\n        <Property Name="FirstName"'


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copyfile(TRIPPIN, tmp_path / "metadata.xml")
    (tmp_path / "codegen.toml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def spec_of(workspace: Path, text: str = SPEC) -> Spec:
    (workspace / "codegen.toml").write_text(text, encoding="utf-8")
    return load_spec(workspace / "codegen.toml")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *args], cwd=cwd, capture_output=True, text=True)


def imported(project: Path, expression: str) -> str:
    """`expression` evaluated in a fresh interpreter that has the project's folder on its path."""
    code = f"import trip, trip.custom; print({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def change_schema(workspace: Path) -> None:
    metadata = workspace / "metadata.xml"
    text = metadata.read_text(encoding="utf-8-sig")
    assert '<Property Name="FirstName"' in text
    metadata.write_text(text.replace('<Property Name="FirstName"', NICKNAME, 1), encoding="utf-8")


def test_the_starter_is_written_once_outside_the_manifest_and_imported_last(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    starter = spec.package_dir / "custom.py"
    assert "never touches it again" in starter.read_text(encoding="utf-8")
    listed = json.loads((spec.target_dir / MANIFEST).read_bytes())["files"]
    assert "trip/custom.py" not in listed
    init = (spec.package_dir / "__init__.py").read_text(encoding="utf-8")
    assert init.rstrip().endswith("from . import custom as _extension  # noqa: E402")
    assert black_format(init) == init
    stub = (spec.package_dir / "__init__.pyi").read_text(encoding="utf-8")
    assert black_format(stub) == stub and "from . import custom as custom" in stub
    assert imported(spec.target_dir, "trip.custom.__doc__ is not None") == "True"


def test_regeneration_after_a_schema_change_leaves_the_user_module_untouched(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    module = spec.package_dir / "custom.py"
    module.write_bytes(USER_CODE)
    before = module.stat()
    change_schema(workspace)
    result = run_cli("generate", "codegen.toml", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert "nickname" in (spec.package_dir / "models" / "person.py").read_text(encoding="utf-8")
    assert module.read_bytes() == USER_CODE
    after = module.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # the same file, linked over
    assert imported(spec.target_dir, "trip.custom.LOADED_WITH") == "Microsoft.OData.SampleService.Models.TripPin.Person"
    generate.write(spec)  # and again, with nothing to change
    assert module.read_bytes() == USER_CODE


def test_a_user_package_is_carried_over_whole(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    (spec.package_dir / "custom.py").unlink()
    package = spec.package_dir / "custom"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_bytes(USER_CODE)
    (package / "sub" / "data.txt").write_text("kept", encoding="utf-8")
    change_schema(workspace)
    generate.write(spec)
    assert (package / "__init__.py").read_bytes() == USER_CODE
    assert (package / "sub" / "data.txt").read_text(encoding="utf-8") == "kept"
    assert not (spec.package_dir / "custom.py").exists()  # no starter beside the user's package
    assert imported(spec.target_dir, "trip.custom.LOADED_WITH").endswith(".Person")


def test_check_ignores_the_content_of_the_user_module_but_not_its_absence(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    module = spec.package_dir / "custom.py"
    module.write_bytes(USER_CODE)
    for flags in ((), ("--full",)):
        result = run_cli("generate", "codegen.toml", "--check", *flags, cwd=workspace)
        assert result.returncode == 0 and "is up to date" in result.stdout, result.stderr
    module.unlink()
    assert generate.up_to_date(spec) is None  # the fast path cannot vouch for a package that fails to import
    result = run_cli("generate", "codegen.toml", "--check", cwd=workspace)
    assert result.returncode == 1 and "would create: trip/custom.py" in result.stderr
    assert run_cli("generate", "codegen.toml", cwd=workspace).returncode == 0
    assert "never touches it again" in module.read_text(encoding="utf-8")  # the starter, again


def test_the_package_alone_keeps_its_user_module_too(workspace: Path) -> None:
    spec = spec_of(workspace, SPEC.replace('package = "trip"', 'package = "trip"\nproject = false'))
    generate.write(spec)
    module = spec.target_dir / "custom.py"
    module.write_bytes(USER_CODE)
    change_schema(workspace)
    generate.write(spec)
    assert module.read_bytes() == USER_CODE
    assert generate.check(spec) == []


def test_other_foreign_files_are_still_refused(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    (spec.package_dir / "custom_helpers.py").write_text("", encoding="utf-8")
    change_schema(workspace)
    with pytest.raises(OutputError, match="custom_helpers.py"):
        generate.write(spec)


def test_a_leftover_of_an_interrupted_run_holding_the_user_module_is_not_deleted(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    leftover = spec.target_dir.parent / ".trip-0123456789ab"
    shutil.copytree(spec.target_dir, leftover)
    (leftover / "trip" / "custom.py").write_bytes(USER_CODE)
    change_schema(workspace)
    generate.write(spec)
    assert (leftover / "trip" / "custom.py").read_bytes() == USER_CODE


@pytest.mark.parametrize(
    "name, problem",
    [
        ("client", "is a module codegen generates"),
        ("models", "is a module codegen generates"),
        ("Custom", "lower-case Python module name"),
        ("import", "not a keyword"),
        ("my-ext", "lower-case Python module name"),
        ("__init__", "starting with a letter"),  # would be written over the package's own __init__.py
        ("_rt", "starting with a letter"),
    ],
)
def test_a_module_name_that_cannot_be_the_users_is_a_spec_error(workspace: Path, name: str, problem: str) -> None:
    with pytest.raises(SpecError, match=problem) as raised:
        spec_of(workspace, SPEC.replace('"custom"', f'"{name}"'))
    assert raised.value.line == SPEC.splitlines().index('module = "custom"') + 1


def test_a_module_named_after_a_name_the_package_exports_is_a_spec_error(workspace: Path) -> None:
    spec = spec_of(workspace, SPEC.replace('"custom"', '"desc"'))  # the re-exported query helper
    with pytest.raises(SpecError, match="'desc' is a name the generated package exports"):
        generate.generate(spec)
    result = run_cli("generate", "codegen.toml", cwd=workspace)
    assert result.returncode == 2 and not (workspace / "out").exists()


def test_the_taken_module_names_are_those_codegen_generates(workspace: Path) -> None:
    files = generate.generate(spec_of(workspace)).files
    top = {path.split("/")[1] for path in files if path.startswith("trip/") and path.count("/") > 1}
    assert top == GENERATED_MODULES


def test_without_extensions_the_package_imports_no_user_module(workspace: Path) -> None:
    spec = spec_of(workspace, SPEC.split("[extensions]")[0])
    generate.write(spec)
    assert not os.path.lexists(spec.package_dir / "custom.py")
    assert "_extension" not in (spec.package_dir / "__init__.py").read_text(encoding="utf-8")


def test_dropping_extensions_from_the_spec_never_deletes_the_module(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    (spec.package_dir / "custom.py").write_bytes(USER_CODE)
    without = spec_of(workspace, SPEC.split("[extensions]")[0])
    with pytest.raises(OutputError, match="'trip/custom.py' is not a file codegen wrote"):
        generate.write(without)
    assert (spec.package_dir / "custom.py").read_bytes() == USER_CODE
