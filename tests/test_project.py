"""A generated project is a distribution (issue 9): pyproject.toml, README.md and the package, with the runtime
it needs named twice, as a pip dependency and as a check at import.

tests/test_install.py builds and installs the wheels; this file checks what is written and the version rule.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import codegen
from codegen import generate
from codegen.render import toml_string
from codegen.runtime import version
from codegen.runtime.version import IncompatibleRuntimeError, compatible_range, is_compatible
from codegen.spec import load_spec, spec_from_arguments

ROOT = Path(__file__).resolve().parents[1]
AIMBASE_SPEC = ROOT / "specs" / "aimbase" / "codegen.toml"
TRIPPIN = ROOT / "tests" / "fixtures" / "csdl" / "trippin-sampleservice.xml"


def _pyproject(files: dict[str, str]) -> dict[str, object]:
    return tomllib.loads(files["pyproject.toml"])["project"]  # type: ignore[no-any-return]


def test_aimbase_project_names_its_distribution_version_and_runtime() -> None:
    files = generate.generate(load_spec(AIMBASE_SPEC)).files
    project = _pyproject(files)
    digest = hashlib.sha256((ROOT / "specs" / "aimbase" / "metadata.xml").read_bytes()).hexdigest()
    assert project["name"] == "aimbase"
    assert project["version"] == f"0.0.0+schema.{digest[:12]}"
    assert project["dependencies"] == [f"odata-codegen-runtime{compatible_range(codegen.__version__)}"]
    assert project["requires-python"] == ">=3.11"
    assert digest in files["README.md"]
    assert {"aimbase/__init__.py", "aimbase/py.typed", "aimbase/client/__init__.py", "README.md"} <= set(files)
    setuptools = tomllib.loads(files["pyproject.toml"])["tool"]["setuptools"]
    assert setuptools["packages"] == ["aimbase", "aimbase.client", "aimbase.models"]


def test_the_version_follows_the_schema(tmp_path: Path) -> None:
    changed = tmp_path / "metadata.xml"
    changed.write_bytes(TRIPPIN.read_bytes().replace(b'<Property Name="Budget"', b'<Property Name="Cost"'))
    before = _pyproject(generate.generate(spec_from_arguments(TRIPPIN, "trippin", tmp_path)).files)
    after = _pyproject(generate.generate(spec_from_arguments(changed, "trippin", tmp_path)).files)
    assert before["version"] != after["version"]
    assert str(before["version"]).startswith("0.0.0+schema.")


def test_spec_values_reach_pyproject_exactly(tmp_path: Path) -> None:
    """Quotes, backslashes, brackets and characters outside the BMP come back from TOML as written."""
    description = 'Acme "bindings" \\ [x] = 1 # not a comment 🚤 ü'
    (tmp_path / "metadata.xml").write_bytes(TRIPPIN.read_bytes())
    spec = tmp_path / "codegen.toml"
    spec.write_text(
        '[metadata]\nsource = "metadata.xml"\n[output]\ndirectory = "out"\npackage = "acme"\n'
        f'[project]\nname = "acme.trip-pin"\nversion = "2.0.0rc1"\ndescription = {toml_string(description)}\n'
        '[service]\nname = "TripPin"\npath = "/"\n',
        encoding="utf-8",
    )
    project = _pyproject(generate.generate(load_spec(spec)).files)
    assert (project["name"], project["version"], project["description"]) == ("acme.trip-pin", "2.0.0rc1", description)


@pytest.mark.parametrize("text", ["", 'a"b', "a\\b", "tab\there", "nl\nhere", "\x00\x1f\x7f", "🚤\u2028é", "'''"])
def test_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_toml_string_refuses_what_cannot_be_written() -> None:
    with pytest.raises(UnicodeEncodeError):
        toml_string("lone \ud800 surrogate")


def test_package_only_writes_no_project(tmp_path: Path) -> None:
    files = generate.generate(spec_from_arguments(TRIPPIN, "trippin", tmp_path, project=False)).files
    assert "pyproject.toml" not in files and "README.md" not in files
    assert "__init__.py" in files and "py.typed" in files


# --- the version rule ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generator", "expected"), [("0.1.0", ">=0.1.0,<0.2"), ("0.4.7", ">=0.4.7,<0.5"), ("2.3.1", ">=2.3.1,<3")]
)
def test_compatible_range(generator: str, expected: str) -> None:
    assert compatible_range(generator) == expected


@pytest.mark.parametrize(
    ("runtime", "generator", "compatible"),
    [
        ("0.1.0", "0.1.0", True),
        ("0.1.5", "0.1.0", True),
        ("0.1.0", "0.1.2", False),  # generated code may call what 0.1.2 added
        ("0.2.0", "0.1.0", False),  # 0.x: a minor release may break
        ("0.2.0rc1", "0.2.0", False),  # a pre-release sorts before its release, as pip has it
        ("0.2.0.dev3", "0.2.0", False),
        ("0.2.0.post1", "0.2.0", True),
        ("0.2", "0.2.0", True),
        ("1.4.0", "1.2.0", True),
        ("2.0.0", "1.2.0", False),
        ("1.0.0", "0.9.0", False),
    ],
)
def test_is_compatible(runtime: str, generator: str, compatible: bool) -> None:
    assert is_compatible(runtime, generator) is compatible


def test_a_version_that_is_not_a_release_is_refused() -> None:
    with pytest.raises(ValueError, match="not a release version"):
        compatible_range("latest")


def test_import_on_an_incompatible_runtime_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(version, "__version__", "0.0.9")
    with pytest.raises(IncompatibleRuntimeError) as caught:
        version.require("aimbase", "0.1.0")
    assert str(caught.value) == (
        "aimbase was generated by codegen 0.1.0 and needs odata-codegen-runtime >=0.1.0,<0.2, but 0.0.9 is "
        "installed; install a runtime in that range, or regenerate aimbase with codegen 0.0.9"
    )
    assert isinstance(caught.value, ImportError)


def test_a_generated_package_checks_the_runtime_when_imported(tmp_path: Path) -> None:
    """The check runs on `import aimbase` itself, before any model module loads."""
    init = (ROOT / "generated" / "aimbase" / "aimbase" / "__init__.py").read_text(encoding="utf-8")
    assert f'__generator_version__ = "{codegen.__version__}"' in init
    fake = init.replace(f'__generator_version__ = "{codegen.__version__}"', '__generator_version__ = "0.9.0"')
    (tmp_path / "aimbase_future").mkdir()
    (tmp_path / "aimbase_future" / "__init__.py").write_text(fake, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "import aimbase_future"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    expected = (
        "IncompatibleRuntimeError: aimbase_future was generated by codegen 0.9.0 and needs "
        f"odata-codegen-runtime >=0.9.0,<0.10, but {codegen.__version__} is installed"
    )
    assert expected in result.stderr, result.stderr


# --- one version, written in one place -------------------------------------------------------------------


def test_generator_and_runtime_share_one_version() -> None:
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = tomllib.loads((ROOT / "codegen" / "runtime" / "pyproject.toml").read_text(encoding="utf-8"))
    # The generator's version is written out (its sdist does not carry the runtime's version.py to read).
    assert root["project"]["version"] == version.__version__
    assert runtime["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "codegen.runtime.version.__version__"}
    assert f"odata-codegen-runtime=={version.__version__}" in root["project"]["dependencies"]
    assert codegen.__version__ == version.__version__


def test_the_runtime_distribution_needs_nothing_of_the_generator() -> None:
    runtime = tomllib.loads((ROOT / "codegen" / "runtime" / "pyproject.toml").read_text(encoding="utf-8"))
    names = {re.split(r"[<>=!~\[ ]", requirement)[0].lower() for requirement in runtime["project"]["dependencies"]}
    assert names == {"attrs", "cattrs", "httpx", "anyio", "typing_extensions", "msgspec"}


def test_importing_a_generated_package_loads_no_dependency_yet() -> None:
    """The runtime check costs nothing: `import aimbase` imports neither cattrs nor httpx (lazy runtime names)."""
    probe = (
        "import sys, aimbase; print(sorted(m for m in ('attrs', 'cattrs', 'httpx') if m in sys.modules)); "
        "import codegen.runtime as rt; rt.structure; print(type(rt.converter).__name__, type(rt.UNSET).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.stdout.splitlines() == ["[]", "Converter Unset"], result.stderr


# --- one import place ------------------------------------------------------------------------------------------


def test_the_runtimes_user_facing_names_import_from_the_package() -> None:
    import aimbase
    import codegen.runtime
    import codegen.runtime.query
    from codegen.runtime.public import REEXPORTS

    for name, module in REEXPORTS.items():
        home = codegen.runtime.query if module == "codegen.runtime.query" else codegen.runtime
        assert getattr(aimbase, name) is getattr(home, name), name
        assert name in dir(aimbase) and name not in aimbase.__all__  # __all__ stays the schema's
    assert {"desc", "expand", "NotFoundError", "UNSET", "AvalaApiLogin", "structure"} <= set(REEXPORTS)


CLASHING = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"><edmx:DataServices>
<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Ns">
<EntityType Name="Query"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/>
</EntityType>
<EntityType Name="NotFoundError"><Key><PropertyRef Name="Id"/></Key>
<Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
<EntityContainer Name="C"><EntitySet Name="Queries" EntityType="Ns.Query"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>
"""


def test_a_schema_name_wins_over_the_runtimes(tmp_path: Path) -> None:
    (tmp_path / "m.xml").write_text(CLASHING, encoding="utf-8")
    generate.write(spec_from_arguments(tmp_path / "m.xml", "clash", tmp_path / "out", project=False))
    probe = (
        "import clash, codegen.runtime as rt; "
        "print(clash.Query.__module__, clash.NotFoundError.__module__, clash.desc is rt.query.desc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path / "out", capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["clash.models.query", "clash.models.not_found_error", "True"], result.stderr


def test_the_converter_name_is_the_converter_whatever_was_imported_first() -> None:
    """The module is `conversion`, so importing it (as the HTTP layer does) cannot rebind `converter`."""
    probe = (
        "import codegen.runtime.http, aimbase; from aimbase import QLead; QLead.score > 1; "
        "from codegen.runtime import converter; print(type(converter).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.stdout.strip() == "Converter", result.stderr
