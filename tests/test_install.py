"""The wheels as a user gets them (issue 9): built from a copy of the repository, installed into fresh venvs in a
temporary directory, used from there with no access to the source tree.

- the application venv holds the runtime, `aimbase`, `aimbase-dealers` and `trippin` (three generated
  distributions side by side) and nothing of the generator: jinja2, lxml and black are not in the dependency
  closure;
- a user script there queries and patches the sandbox, and `mypy --strict` reports the three mistakes planted in
  a second script (a misspelt attribute, a wrong type, and a property the schema removed, found after
  regenerating and reinstalling), with the packages installed from wheels and, in another venv, editable;
- the generator's own wheel generates and serves a sandbox.

The venvs are filled offline, from the wheels run.py collects into .venv/wheelhouse (CODEGEN_WHEELHOUSE
overrides the folder); no test reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from codegen import generate
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import load_spec

REPO = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(os.environ.get("CODEGEN_WHEELHOUSE") or REPO / ".venv" / "wheelhouse")
_BUILD_LEFTOVERS = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".mypy_cache", ".pytest_cache")
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
# A script that must type-check, and the same mistakes users make, one a line: (line text, mypy message fragment).
MISTAKES = [
    ("print(lead.scroe)", '"Lead" has no attribute "scroe"'),
    ('lead.score = "ten"', 'Incompatible types in assignment (expression has type "str", variable has type "int")'),
    ("print(lead.score_text)", '"Lead" has no attribute "score_text"'),  # only once ScoreText left the schema
]


def _run(command: list[str | Path], *, cwd: Path, timeout: float = 300, **kwargs: object) -> str:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kwargs
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _clean_env() -> dict[str, str]:
    """The environment of a user's shell: nothing pointing into this repository or its venv."""
    drop = {"PYTHONPATH", "MYPYPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not any(WHEELHOUSE.glob("attrs-*.whl")):
        pytest.fail(
            f"no wheels in {WHEELHOUSE}: run the suite with `python3 run.py test`, which collects them "
            "(or point CODEGEN_WHEELHOUSE at a folder of wheels of .venv's distributions)"
        )
    return tmp_path_factory.mktemp("install")


@pytest.fixture(scope="module")
def source(work: Path) -> Path:
    """What a clone holds, copied without build leftovers; the builds below write only into this copy."""
    copy = work / "source"
    for name in ("codegen", "templates", "generated", "specs"):
        shutil.copytree(REPO / name, copy / name, ignore=_BUILD_LEFTOVERS)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, copy / name)
    return copy


@pytest.fixture(scope="module")
def wheels(work: Path, source: Path) -> Path:
    """Wheels of the runtime, the generator, aimbase and trippin, built offline with this venv's setuptools."""
    out = work / "wheels"
    projects = [
        source / "codegen" / "runtime",
        source,
        source / "generated" / "aimbase",
        source / "generated" / "aimbase_dealers",
        source / "generated" / "trippin",
    ]
    _run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", out, *projects], cwd=work)
    return out


SDIST = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"


@pytest.mark.parametrize("project", ["codegen/runtime", "."])
def test_each_sdist_builds_a_wheel(work: Path, source: Path, project: str) -> None:
    """What a user or an index gets from the sdist alone: it must build (the generator's with its templates)."""
    out = work / f"sdist-{project.replace('/', '-')}"
    # -P: the runtime folder as the first path entry would make its `http` package shadow the standard library
    name = _run([sys.executable, "-P", "-c", SDIST, out], cwd=source / project).strip().splitlines()[-1]
    unpacked = work / f"unpacked-{project.replace('/', '-')}"
    shutil.unpack_archive(out / name, unpacked)
    [root] = list(unpacked.iterdir())
    wheels = work / f"from-sdist-{project.replace('/', '-')}"
    _run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", wheels, root], cwd=work)
    [wheel] = list(wheels.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    if project == ".":
        assert "codegen/templates/client_type.py.jinja" in names
        assert not any(n.startswith("codegen/runtime/") for n in names)  # the runtime's files are its own
    else:
        assert "codegen/runtime/version.py" in names and "codegen/runtime/py.typed" in names


def _venv(path: Path) -> Path:
    venv.create(path, with_pip=False)  # pip comes from this venv (`pip --python`), like a system pip would
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _install(python: Path, *requirements: str | Path, find: Path, cwd: Path) -> None:
    offline = ["--no-index", "--find-links", WHEELHOUSE, "--find-links", find]
    _run([*PIP, "--python", python, "install", "--quiet", *offline, *requirements], cwd=cwd)


@pytest.fixture(scope="module")
def app_python(work: Path, wheels: Path) -> Path:
    """The application's venv: aimbase, aimbase-dealers and trippin installed from their wheels, with what they
    depend on."""
    python = _venv(work / "app-venv")
    _install(python, "aimbase", "aimbase-dealers", "trippin", find=wheels, cwd=work)
    return python


@pytest.fixture(scope="module")
def app_dir(work: Path) -> Path:
    folder = work / "app"
    folder.mkdir()
    return folder


# --- the application venv -----------------------------------------------------------------------------------


# Every distribution of the venv and what it requires, as the venv's own importlib.metadata reads them.
REQUIRES = """
import importlib.metadata as md, json
print(json.dumps({d.metadata["Name"]: d.requires or [] for d in md.distributions()}))
"""


def _closure(requires: dict[str, list[str]], roots: list[str]) -> set[str]:
    """Names (canonical) of the roots and all they need, markers evaluated as pip would (both venvs share a Python)."""
    known = {canonicalize_name(name): needs for name, needs in requires.items()}
    seen: set[str] = set()
    todo = [canonicalize_name(root) for root in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in known[name]:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_the_application_gets_the_runtime_and_nothing_of_the_generator(app_python: Path, app_dir: Path) -> None:
    requires = json.loads(_run([app_python, "-c", REQUIRES], cwd=app_dir, env=_clean_env()))
    closure = _closure(requires, ["aimbase", "trippin"])
    assert {"aimbase", "trippin", "odata-codegen-runtime", "attrs", "cattrs", "httpx", "typing-extensions"} <= closure
    installed = {canonicalize_name(name) for name in requires}
    for generator_only in ("jinja2", "lxml", "black", "odata-codegen", "markupsafe", "packaging"):
        assert generator_only not in closure
        assert generator_only not in installed


def test_the_packages_load_from_the_venv_not_the_source_tree(app_python: Path, app_dir: Path, work: Path) -> None:
    probe = (
        "import aimbase, aimbase_dealers, trippin, codegen.runtime, importlib.util as u; "
        "print(aimbase.__file__, aimbase_dealers.__file__, trippin.__file__, codegen.runtime.__file__, "
        "u.find_spec('codegen.cli'))"
    )
    *files, generator = _run([app_python, "-c", probe], cwd=app_dir, env=_clean_env()).split()
    assert all(Path(f).is_relative_to(work / "app-venv") for f in files), files
    assert generator == "None"  # the generator is not installed at all


USE = """
import os
from aimbase import AimbaseClient, NotFoundError, QLead, desc
from trippin import TripPinClient

with AimbaseClient(os.environ["AIMBASE_URL"], username="demo", password="demo") as client:
    leads = client.leads.query().filter(QLead.score >= 0).order_by(desc(QLead.id)).top(3).list()
    assert len(leads) == 3 and leads[0].id > leads[1].id > leads[2].id, leads
    client.leads.patch(leads[0], follow_up_status_code="Installed")
    assert client.leads.get(leads[0].id).follow_up_status_code == "Installed"
    try:
        client.leads.get(999_999_999)
    except NotFoundError:
        pass
    else:
        raise SystemExit("no NotFoundError")
with TripPinClient(os.environ["TRIPPIN_URL"]) as trips:
    people = trips.people.query().top(2).list()
    assert len(people) == 2 and all(person.user_name for person in people), people
print("used", leads[0].id, people[0].user_name)
"""


@pytest.fixture(scope="module")
def sandboxes() -> Iterator[dict[str, str]]:
    """Sandboxes of both specs on 127.0.0.1, served by this venv (the application only talks HTTP to them)."""
    servers = {}
    try:
        for name in ("aimbase", "trippin"):
            spec = load_spec(REPO / "specs" / name / "codegen.toml")
            servers[name] = SandboxServer(create_app(spec, rows=20, seed=5)).start()
        yield {
            "AIMBASE_URL": servers["aimbase"].url,
            "TRIPPIN_URL": servers["trippin"].url + load_spec(REPO / "specs" / "trippin" / "codegen.toml").service_path,
        }
    finally:
        for server in servers.values():
            server.stop()


def test_both_packages_query_and_patch_the_sandbox(app_python: Path, app_dir: Path, sandboxes: dict[str, str]) -> None:
    script = app_dir / "use.py"
    script.write_text(USE, encoding="utf-8")
    output = _run([app_python, script], cwd=app_dir, env={**_clean_env(), **sandboxes}, timeout=120)
    assert output.startswith("used "), output


# --- mypy against the installed packages ---------------------------------------------------------------------


def _user_script(folder: Path) -> Path:
    lines = [
        "from aimbase import AimbaseClient, Lead, NotFoundError, QLead, desc, expand",
        "from trippin import Person, TripPinClient",
        "",
        "",
        "def check(client: AimbaseClient, trips: TripPinClient) -> None:",
        "    lead: Lead = client.leads.get(1, expand=[expand(QLead.prospect)])",
        "    newest = client.leads.query().order_by(desc(QLead.id)).first()",
        "    people: list[Person] = trips.people.query().list(limit=2)",
        "    print(newest, people, NotFoundError, lead.score + 1, lead.medium)",
        *(f"    {line}" for line, _ in MISTAKES),
    ]
    script = folder / "mistakes.py"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return script


def _mypy(python: Path, folder: Path) -> dict[int, str]:
    """mypy --strict (this venv's) on the user script, resolving imports in `python`'s venv: line -> messages."""
    script = _user_script(folder)
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context"]
    command += ["--python-executable", str(python), "--cache-dir", str(folder / ".mypy_cache"), script.name]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300, env=_clean_env())
    assert result.returncode in (0, 1), result.stdout + result.stderr
    reports: dict[int, str] = {}
    for line in result.stdout.splitlines():
        match = re.match(rf"{re.escape(script.name)}:(\d+): error: (.*)", line)
        assert match, line
        reports[int(match[1])] = reports.get(int(match[1]), "") + match[2]
    return reports


def _mistake_lines() -> dict[int, str]:
    first = 10  # the line of the first mistake in _user_script
    return {first + i: fragment for i, (_, fragment) in enumerate(MISTAKES)}


def _assert_reported(reports: dict[int, str], *, schema_changed: bool) -> None:
    expected = _mistake_lines()
    if not schema_changed:
        expected.pop(max(expected))  # score_text still exists
    assert set(reports) == set(expected), reports  # nothing else: the correct lines type-check
    for line, fragment in expected.items():
        assert fragment in reports[line], (line, reports[line])


def test_mypy_reports_the_mistakes_against_installed_wheels(app_python: Path, app_dir: Path) -> None:
    _assert_reported(_mypy(app_python, app_dir), schema_changed=False)


def test_mypy_reports_a_removed_property_after_regenerating(work: Path, source: Path, app_dir: Path) -> None:
    """Workflow 1 then 2: ScoreText leaves the schema, the package is regenerated, rebuilt and reinstalled."""
    python = _venv(work / "regen-venv")
    wheels = work / "wheels-regen"
    shutil.copytree(work / "wheels", wheels)
    changed = work / "changed"
    shutil.copytree(source / "specs" / "aimbase", changed / "specs" / "aimbase")
    metadata = changed / "specs" / "aimbase" / "metadata.xml"
    text = metadata.read_text(encoding="utf-8")
    removed = re.sub(r'\s*<Property Name="ScoreText"[^>]*?(/>|>.*?</Property>)', "", text, count=1, flags=re.S)
    assert removed != text
    metadata.write_text(removed, encoding="utf-8")
    generate.write(load_spec(changed / "specs" / "aimbase" / "codegen.toml"))
    (wheels / next(p.name for p in wheels.glob("aimbase-*.whl"))).unlink()
    _run(
        [
            *PIP,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            wheels,
            changed / "generated" / "aimbase",
        ],
        cwd=work,
    )
    _install(python, "aimbase", "trippin", find=wheels, cwd=work)
    folder = work / "app-regen"
    folder.mkdir()
    _assert_reported(_mypy(python, folder), schema_changed=True)


def test_mypy_reports_the_mistakes_against_editable_installs(work: Path, source: Path, wheels: Path) -> None:
    """`pip install -e` of the generated projects: a path entry mypy follows, not an import hook it cannot."""
    python = _venv(work / "editable-venv")
    editable = [arg for name in ("aimbase", "trippin") for arg in ("-e", str(source / "generated" / name))]
    _install(python, *editable, find=wheels, cwd=work)
    folder = work / "app-editable"
    folder.mkdir()
    _assert_reported(_mypy(python, folder), schema_changed=False)


def test_mypy_in_another_folder_follows_this_repositorys_editable_installs(tmp_path: Path) -> None:
    """The development venv (run.py's editable installs of the runtime, the generator and the generated
    projects) as another project on this machine sees it: mypy finds `aimbase`, `trippin` and `codegen`."""
    _assert_reported(_mypy(Path(sys.executable), tmp_path), schema_changed=False)


# --- the generator's wheel ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generator_python(work: Path, wheels: Path) -> Path:
    python = _venv(work / "generator-venv")
    _install(python, "odata-codegen[sandbox]", find=wheels, cwd=work)
    return python


def test_the_generator_wheel_carries_its_templates_and_generates(generator_python: Path, work: Path) -> None:
    folder = work / "gen"
    folder.mkdir()
    shutil.copyfile(REPO / "tests" / "fixtures" / "csdl" / "northwind-v4.xml", folder / "northwind.xml")
    codegen = generator_python.parent / "codegen"
    output = _run(
        [codegen, "generate", "--metadata", "northwind.xml", "--package", "northwind", "--out", "clients"],
        cwd=folder,
        env=_clean_env(),
    )
    assert output.startswith("codegen: wrote clients/northwind ("), output
    assert (folder / "clients" / "northwind" / "pyproject.toml").is_file()
    assert (folder / "clients" / "northwind" / "northwind" / "client" / "__init__.py").is_file()
    probe = "import importlib.resources as r; print(r.files('codegen').joinpath('templates', 'client_type.py.jinja'))"
    assert Path(_run([generator_python, "-c", probe], cwd=folder, env=_clean_env()).strip()).is_file()


def test_the_generator_wheel_serves_a_sandbox(generator_python: Path, source: Path, work: Path) -> None:
    codegen = generator_python.parent / "codegen"
    spec = source / "specs" / "trippin" / "codegen.toml"  # no login: the check is the wheel, not the auth
    sandbox = subprocess.Popen(
        [str(codegen), "sandbox", str(spec), "--port", "0", "--rows", "10"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    )
    try:
        assert sandbox.stdout is not None
        first = sandbox.stdout.readline()
        match = re.search(r" at (http://127\.0\.0\.1:\d+)(/\S*) ", first)
        assert match, first + (sandbox.stderr.read() if sandbox.poll() is not None and sandbox.stderr else "")
        response = httpx.get(match[1] + match[2].rstrip("/") + "/People?$top=1", timeout=10)
        assert response.status_code == 200, response.text
        assert len(response.json()["value"]) == 1
    finally:
        sandbox.send_signal(signal.SIGINT)
        try:
            sandbox.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sandbox.kill()
            sandbox.wait()
