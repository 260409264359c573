"""Golden-record tests: every real CSDL we have generates, imports and (for Aimbase and TripPin) type-checks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen import generate
from codegen.output import compare_package
from codegen.spec import load_spec, spec_from_arguments

from black_support import black_format
from synthetic_csdl import sap_b1_like

ROOT = Path(__file__).resolve().parents[1]
CSDL = ROOT / "tests" / "fixtures" / "csdl"
DOCUMENTS = {
    "trippin": "trippin-sampleservice.xml",
    "northwind": "northwind-v4.xml",
    "reference": "odata-demo-v4-reference.xml",
    "odatanet": "odatanet-DefaultServiceCsdl.xml",
    "graph": "msgraph-v1.0-cleanMetadata.xml",
}


@pytest.fixture(scope="session")
def generated_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    for package, filename in DOCUMENTS.items():
        generate.write(spec_from_arguments(CSDL / filename, package, out))
    return out


def _python(code: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)


SPECS = sorted((ROOT / "specs").glob("*/codegen.toml"))


def test_every_spec_is_found() -> None:
    assert {spec.parent.name for spec in SPECS} >= {"aimbase", "aimbase-dealers", "trippin"}


@pytest.mark.parametrize("spec_file", SPECS, ids=lambda path: path.parent.name)
def test_committed_project_matches_a_fresh_generation(spec_file: Path) -> None:
    spec = load_spec(spec_file)
    assert compare_package(generate.generate(spec).files, spec.target_dir) == []


@pytest.mark.parametrize("package", sorted(DOCUMENTS))
def test_generated_package_imports_and_resolves_every_class(generated_root: Path, package: str) -> None:
    # Each class's type hints are resolved, which imports every type it refers to.
    code = textwrap.dedent(f"""
        import {package} as pkg
        from codegen.runtime import ODataModel
        from codegen.runtime.query import QueryType
        from codegen.runtime.model import field_hint, wire_fields
        classes = [getattr(pkg, name) for name in pkg.__all__]
        models = [c for c in classes if issubclass(c, ODataModel)]
        for cls in models:
            for field in wire_fields(cls):
                field_hint(field, load=True)
        queries = [c for c in classes if issubclass(c, QueryType)]
        for query in queries:  # every path, nested query types resolved
            for name in dir(query):
                if not name.startswith("_"):
                    str(getattr(query, name))
        assert len(queries) == len(models)
        print(len(models), len(classes) - 2 * len(models))
        """)
    result = _python(code, generated_root / package, ROOT)  # the project folder holds the package
    assert result.returncode == 0, result.stderr
    models, enums = map(int, result.stdout.split())
    assert models > 0


@pytest.mark.parametrize("package", ["aimbase", "aimbase_dealers", "trippin"])
def test_generated_package_passes_mypy_strict(generated_root: Path, package: str) -> None:
    # The project folder: the committed Aimbase projects, and TripPin as generated from its fixture.
    where = (generated_root if package == "trippin" else ROOT / "generated") / package
    env = {**os.environ, "MYPYPATH": f"{where}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "-p", package],
        capture_output=True,
        text=True,
        env=env,
        cwd=where,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_graph_quirks_survive(generated_root: Path) -> None:
    """Keywords, hyphens and clashes in Graph's names all become valid, distinct Python names."""
    init = (generated_root / "graph" / "graph" / "__init__.py").read_text(encoding="utf-8")
    assert '"User: graph.user microsoft.graph.user "' in init  # the @odata.type table, read on first use
    modules = list((generated_root / "graph" / "graph" / "models").glob("*.py"))
    assert len(modules) == len({m.name.lower() for m in modules})


@pytest.mark.parametrize("package", sorted(DOCUMENTS))
def test_generated_code_is_already_black_formatted(generated_root: Path, package: str) -> None:
    """Generation runs no formatter: templates and layout.py lay code out as black would; prove it."""
    modules = sorted((generated_root / package).rglob("*.py"))
    if package == "graph":  # 3,800 modules: a fixed sample and the package root keep this quick
        package_dir = generated_root / package / package
        modules = modules[::40] + [package_dir / "__init__.py", package_dir / "client" / "__init__.py"]
    changed = [m.name for m in modules if black_format(m.read_text(encoding="utf-8")) != m.read_text(encoding="utf-8")]
    assert changed == []


@pytest.mark.parametrize("package", sorted(DOCUMENTS))
def test_a_typed_query_is_built_for_every_entity_set(generated_root: Path, package: str) -> None:
    """The generated client of each real document: every entity set's query renders a URL, nothing is sent."""
    code = textwrap.dedent(f"""
        import {package}.client as c
        from codegen.runtime.http import EntitySet
        client = c.{"Client"}("http://127.0.0.1:9")
        sets = [getattr(client, name) for name in dir(type(client)) if isinstance(getattr(type(client), name), property)]
        sets = [s for s in sets if isinstance(s, EntitySet)]
        urls = [s.query().top(1).url() for s in sets]
        assert all(url.endswith("?$top=1") for url in urls), urls
        print(len(urls))
        """)
    result = _python(code, generated_root / package, ROOT)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0


def test_a_service_of_hundreds_of_actions_is_already_black_formatted(tmp_path: Path) -> None:
    """SAP Business One's shape (an entity set per type, bound and unbound actions, long names): its client
    module once went through black for minutes; every module must now be final as rendered."""
    metadata = tmp_path / "sapb1.xml"
    metadata.write_text(sap_b1_like(entity_types=30, actions=60), encoding="utf-8")
    generate.write(spec_from_arguments(metadata, "sapb1", tmp_path / "out"))
    modules = sorted((tmp_path / "out").rglob("*.py"))
    assert len(modules) > 30
    assert [
        m.name for m in modules if black_format(m.read_text(encoding="utf-8")) != m.read_text(encoding="utf-8")
    ] == []
