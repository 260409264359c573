"""User templates (`[templates] directory`): they replace built-ins by file name, count in the fingerprint, and fail
with one line naming the template's file and line, writing nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate
from codegen.errors import SpecError, TemplateError
from codegen.fingerprint import fingerprint
from codegen.render import TEMPLATES
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

[templates]
directory = "templates"
"""
MARK = "Reviewed by the platform team."


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copyfile(TRIPPIN, tmp_path / "metadata.xml")
    (tmp_path / "codegen.toml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    return tmp_path


def spec_of(workspace: Path) -> Spec:
    return load_spec(workspace / "codegen.toml")


def override(workspace: Path, name: str, text: str) -> Path:
    path = workspace / "templates" / name
    path.write_text(text, encoding="utf-8")
    return path


def marked_model_template() -> str:
    """The built-in model template with one line of the module docstring changed."""
    text = (TEMPLATES / "model.py.jinja").read_text(encoding="utf-8")
    assert "; do not edit." in text
    return text.replace("; do not edit.", f"; do not edit. {MARK}", 1)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *args], cwd=cwd, capture_output=True, text=True)


def test_an_override_replaces_the_builtin_of_its_name_and_nothing_else(workspace: Path) -> None:
    plain = generate.generate(spec_of(workspace)).files  # the directory is empty: the built-ins alone
    override(workspace, "model.py.jinja", marked_model_template())
    result = generate.generate(spec_of(workspace))
    files = result.files
    models = [f"trip/models/{cls.module}.py" for cls in result.plan.classes]
    assert models and all(MARK in files[path] for path in models)
    enum_module = "trip/models/person_gender.py"  # rendered by enum.py.jinja, not overridden
    assert MARK not in files[enum_module] and files[enum_module] == plain[enum_module]
    changed = {path for path in files if files[path] != plain[path]}
    assert changed - {".codegen-manifest.json"} == set(models)


def test_copies_of_every_builtin_render_exactly_the_builtin_output(workspace: Path) -> None:
    """The sandbox user templates run in changes nothing the built-in templates print."""
    expected = generate.generate(spec_of(workspace)).files
    for template in TEMPLATES.glob("*.jinja"):
        shutil.copyfile(template, workspace / "templates" / template.name)
    files = generate.generate(spec_of(workspace)).files
    assert {path: text for path, text in files.items() if path != ".codegen-manifest.json"} == {
        path: text for path, text in expected.items() if path != ".codegen-manifest.json"
    }


def test_an_unknown_template_name_is_refused_with_the_closest_name(workspace: Path) -> None:
    override(workspace, "modle.py.jinja", "x")
    with pytest.raises(TemplateError, match=r"'modle.py.jinja' is not the name of a built-in.*'model.py.jinja'\?"):
        generate.generate(spec_of(workspace))
    result = run_cli("generate", "codegen.toml", cwd=workspace)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "modle.py.jinja" in result.stderr
    assert not (workspace / "out").exists()


def test_hidden_files_such_as_editor_swap_files_are_not_templates(workspace: Path) -> None:
    override(workspace, ".model.py.jinja.swp", "\0binary")
    assert MARK not in generate.generate(spec_of(workspace)).files["trip/models/person.py"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("{{ cls.name }}\n{% if %}\n", 2, "Expected an expression"),  # syntax
        ("ok\n\n{{ cls.no_such_field }}\n", 3, "has no attribute 'no_such_field'"),  # StrictUndefined
        ("{{ nothing_by_that_name }}\n", 1, "'nothing_by_that_name' is undefined"),
        ("{% for f in cls.fields %}{{ 1 // 0 }}{% endfor %}\n", 1, "division"),
        ("\n{{ cls.__class__.__init__.__globals__ }}\n", 2, "unsafe"),  # the sandbox
        ('{% import "client_macros.jinja" as m %}\n{{ m.no_such_macro() }}\n', 2, "no_such_macro"),
    ],
    ids=["syntax", "undefined-attribute", "undefined-name", "raises", "sandbox", "bad-macro"],
)
def test_an_error_in_a_user_template_names_its_file_and_line_and_writes_nothing(
    workspace: Path, text: str, line: int, message: str
) -> None:
    path = override(workspace, "model.py.jinja", text)
    with pytest.raises(TemplateError) as raised:
        generate.generate(spec_of(workspace))
    assert (raised.value.path, raised.value.line) == (str(path), line)
    assert message in raised.value.message
    result = run_cli("generate", "codegen.toml", cwd=workspace)
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr.startswith(f"codegen: error: {path}:{line}: template error:") and result.stderr.count("\n") == 1
    )
    assert not (workspace / "out").exists()


def test_a_failed_render_leaves_the_output_as_it_was(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    before = {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()}
    override(workspace, "client_type.py.jinja", "{{ module.nope }}")
    assert run_cli("generate", "codegen.toml", cwd=workspace).returncode == 2
    assert {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()} == before


def test_the_fingerprint_notices_an_override_added_edited_or_removed(workspace: Path) -> None:
    spec = spec_of(workspace)
    generate.write(spec)
    assert generate.up_to_date(spec) is not None
    template = override(workspace, "model.py.jinja", marked_model_template())
    assert generate.up_to_date(spec) is None  # added
    generate.write(spec)
    assert generate.up_to_date(spec) is not None
    template.write_text(marked_model_template().replace(MARK, "Edited."), encoding="utf-8")
    assert generate.up_to_date(spec) is None  # edited
    generate.write(spec)
    assert "Edited." in (spec.package_dir / "models" / "person.py").read_text(encoding="utf-8")
    template.unlink()
    assert generate.up_to_date(spec) is None  # removed
    assert run_cli("generate", "codegen.toml", cwd=workspace).returncode == 0
    assert "Edited." not in (spec.package_dir / "models" / "person.py").read_text(encoding="utf-8")


def test_the_fingerprint_does_not_depend_on_where_the_templates_are(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    override(workspace, "model.py.jinja", marked_model_template())
    here = fingerprint(spec_of(workspace))
    elsewhere = tmp_path_factory.mktemp("other")
    shutil.copytree(workspace, elsewhere, dirs_exist_ok=True)
    assert here is not None and fingerprint(spec_of(elsewhere)) == here


def test_the_spec_names_an_existing_directory(workspace: Path) -> None:
    shutil.rmtree(workspace / "templates")
    with pytest.raises(SpecError, match="no directory") as raised:
        spec_of(workspace)
    assert raised.value.line == SPEC.splitlines().index('directory = "templates"') + 1
    # An empty [templates] section, as `codegen init` writes it with its key commented out, is no section.
    (workspace / "codegen.toml").write_text(SPEC.replace('directory = "templates"\n', ""), encoding="utf-8")
    assert spec_of(workspace).templates is None


def test_a_spec_without_templates_renders_the_builtins(workspace: Path) -> None:
    (workspace / "codegen.toml").write_text(SPEC.split("[templates]")[0], encoding="utf-8")
    override(workspace, "model.py.jinja", marked_model_template())  # not named by the spec: never read
    assert spec_of(workspace).templates is None
    assert MARK not in generate.generate(spec_of(workspace)).files["trip/models/person.py"]


def test_the_template_documentation_names_every_template_and_every_plan_field() -> None:
    """docs/templates.md is what a user template can use: it must not fall behind the plan."""
    import attrs

    from codegen import plan, plan_project, plan_service

    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    for template in TEMPLATES.glob("*.jinja"):
        assert f"| `{template.name}` |" in doc, template.name
    sections = doc.split("\n### ")[1:]
    classes = [
        cls
        for module in (plan, plan_service, plan_project)
        for cls in vars(module).values()
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
    ]
    for cls in classes:
        (section,) = [s for s in sections if re.search(rf"\b{cls.__name__}\b", s.splitlines()[0])]
        for field in attrs.fields(cls):
            assert f"`{field.name}`" in section, f"{cls.__name__}.{field.name} is not in docs/templates.md"
