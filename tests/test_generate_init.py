"""The package root: name tables as strings read on first use, and __init__.pyi telling type checkers the same names."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate
from codegen.spec import spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
TRIPPIN = REPO / "tests" / "fixtures" / "csdl" / "trippin-sampleservice.xml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, generate.Generated]:
    out = tmp_path_factory.mktemp("init")
    result = generate.write(spec_from_arguments(TRIPPIN, "trippin", out, project=False))
    return out, result


def run(code: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": f"{path}:{REPO}"}, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_init_holds_no_large_display(generated: tuple[Path, generate.Generated]) -> None:
    """Dict, list and import statements of thousands of entries are what made Graph's root slow to compile."""
    tree = ast.parse((generated[0] / "trippin" / "__init__.py").read_text(encoding="utf-8"))
    sizes = [len(n.keys) for n in ast.walk(tree) if isinstance(n, ast.Dict)]
    sizes += [len(n.elts) for n in ast.walk(tree) if isinstance(n, (ast.List, ast.Tuple, ast.Set))]
    sizes += [len(n.names) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert max(sizes) <= 4  # TripPin serves 75 names


def test_runtime_names_match_the_plan(generated: tuple[Path, generate.Generated]) -> None:
    out, result = generated
    code = (
        "import trippin, json\n"
        "from trippin import *\n"
        "star = sorted(n for n in dict(globals()) if not n.startswith('_') and n not in ('trippin', 'json'))\n"
        "print(json.dumps([trippin.__all__, trippin.__odata_types__, star, trippin.structure.__module__]))\n"
    )
    names, odata_types, star, structure_module = json.loads(run(code, out))
    assert names == [name for _, name in result.plan.exports]
    assert odata_types == dict(result.plan.type_index)
    assert star == sorted(names)
    assert structure_module.startswith("codegen.runtime")


def test_unknown_names_raise_and_dir_lists_the_lazy_ones(generated: tuple[Path, generate.Generated]) -> None:
    code = (
        "import trippin\n"
        "try:\n    trippin.Nope\nexcept AttributeError as exc:\n    print(exc)\n"
        "print('Person' in dir(trippin), 'structure' in dir(trippin), '__all__' in dir(trippin))\n"
    )
    assert run(code, generated[0]).splitlines() == ["module 'trippin' has no attribute 'Nope'", "True True True"]


def test_the_stub_declares_every_name_the_package_serves(generated: tuple[Path, generate.Generated]) -> None:
    out, result = generated
    stub = ast.parse((out / "trippin" / "__init__.pyi").read_text(encoding="utf-8"))
    imported = {
        (node.module if node.level == 0 else "." * node.level + (node.module or ""), alias.asname)
        for node in stub.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {(module, name) for module, name in result.plan.exports + result.plan.runtime_exports}
    (declared,) = [n.value for n in stub.body if isinstance(n, ast.Assign)]
    assert ast.literal_eval(declared) == [name for _, name in result.plan.exports]
