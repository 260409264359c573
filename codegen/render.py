"""Render a PackagePlan through the jinja2 templates into Python source files, laid out as black lays them out."""

from __future__ import annotations

import functools
import json
import re
import textwrap
from pathlib import Path

import jinja2
import jinja2.sandbox

from . import overrides
from .errors import TemplateError
from .layout import (
    assignment,
    class_statement,
    comment,
    constraint,
    escape_unprintable,
    field_statement,
    import_from,
    parameter,
    self_method,
    generic_self_method,
    python_literal,
    string_literal,
    query_statement,
    return_call,
    tuple_literal,
)
from . import render_deprecation
from .plan import ClassPlan, PackagePlan
from .plan_service import ParameterPlan
from .plan_project import RUNTIME_REQUIREMENT
from .runtime.version import __version__

# An installed wheel carries the templates as package data (codegen/templates/); a checkout keeps them in the
# repository's templates/ folder, where an editable install leaves them.
_HERE = Path(__file__).resolve().parent
TEMPLATES = next((p for p in (_HERE / "templates", _HERE.parent / "templates") if p.is_dir()), _HERE / "templates")


def render_output(
    plan: PackagePlan, *, templates: Path | None = None, extension_module: str | None = None
) -> dict[str, str]:
    """Every file codegen writes, keyed by path relative to the target: the project, or the package alone.

    `templates` is the spec's directory of user templates; `extension_module` the user's module that the package
    imports last (codegen/extensions.py)."""
    overridden = overrides.overrides(templates, TEMPLATES) if templates is not None else {}
    env = _environment(overridden)
    try:
        return _render_output(env, plan, extension_module)
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - a user template may raise anything; ours are a bug (re-raised)
        blamed = overrides.blame(exc, overridden) if overridden else None
        if blamed is None:
            raise
        raise blamed from None


def _render_output(env: jinja2.Environment, plan: PackagePlan, extension_module: str | None) -> dict[str, str]:
    package = render_package(plan, env, extension_module)
    if plan.project is None:
        return package
    files = {f"{plan.name}/{path}": text for path, text in package.items()}
    files["pyproject.toml"] = env.get_template("pyproject.toml.jinja").render(plan=plan, project=plan.project)
    files["README.md"] = env.get_template("project_readme.md.jinja").render(plan=plan, project=plan.project)
    return dict(sorted(files.items()))


def render_package(plan: PackagePlan, env: jinja2.Environment, extension_module: str | None) -> dict[str, str]:
    """Every file of the package, keyed by path relative to the package directory."""
    deprecations = plan.has_deprecations
    init = {"plan": plan, "extension_module": extension_module, "deprecations": deprecations}
    files = {
        "__init__.py": env.get_template("package_init.py.jinja").render(init),
        "__init__.pyi": env.get_template("package_init.pyi.jinja").render(init),
        "py.typed": "",
        "models/__init__.py": env.get_template("models_init.py.jinja").render(plan=plan),
    }
    model = env.get_template("model.py.jinja")
    for cls in plan.classes:
        files[f"models/{cls.module}.py"] = model.render(cls=cls, source=plan.source, deprecations=deprecations)
    client_init = env.get_template("client_init.py.jinja")
    files["client/__init__.py"] = client_init.render(plan=plan, service=plan.service, deprecations=deprecations)
    client_type = env.get_template("client_type.py.jinja")
    for module in plan.service.modules:
        files[f"client/{module.name}.py"] = client_type.render(
            module=module, source=plan.source, deprecations=deprecations
        )
    for path_module in plan.service.complex_modules:  # most documents have none: the template is not even loaded
        client_complex = env.get_template("client_complex.py.jinja")
        files[f"client/{path_module.name}.py"] = client_complex.render(
            module=path_module, source=plan.source, deprecations=deprecations
        )
    enum = env.get_template("enum.py.jinja")
    for e in plan.enums:
        files[f"models/{e.module}.py"] = enum.render(enum=e, source=plan.source)
    # Templates and layout.py write the final layout (tests/test_layout.py and the goldens hold it to black's):
    # no formatter runs on generated code.
    return dict(sorted(files.items()))


class _BestEffortBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot fail a run: a full disk or a read-only temp folder only costs the compile time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Compiling the client templates alone took 0.3 s of every run. jinja's default cache directory is the
    # user's own (created 0700, refused if another user owns it or it is a symlink), keyed by each template's
    # source hash; when it cannot be had, templates are compiled each run.
    try:
        return _BestEffortBytecodeCache()
    except (OSError, RuntimeError):
        return None


def _environment(overridden: dict[str, Path]) -> jinja2.Environment:
    """The environment rendering every file; with user templates, those first, and everything in the sandbox."""
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(TEMPLATES)
    kind = jinja2.Environment
    if overridden:
        # Only the files overrides.py accepted (and hashed) can be loaded, whatever a template includes.
        loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(functools.partial(_user_template, overridden)), loader])
        kind = jinja2.sandbox.ImmutableSandboxedEnvironment
    env = kind(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - we emit Python, not HTML; literals go through pyrepr
        # Sandboxed code is compiled differently (calls go through the sandbox): it must not share the cache.
        bytecode_cache=None if overridden else _bytecode_cache(),
    )
    # The only ways document-derived text may reach the output, one per context it lands in.
    env.filters["pyrepr"] = python_literal
    env.filters["string_literal"] = string_literal
    env.filters["docstring"] = docstring
    env.filters["docstring_inline"] = docstring_inline
    env.filters["comment"] = comment
    env.filters["toml_string"] = toml_string
    env.filters["class_docstring"] = _class_docstring
    env.filters["field_block"] = _field_block
    env.filters["query_block"] = _query_block
    env.filters["patch_parameters"] = _patch_parameters
    env.filters["patch_changes"] = _patch_changes
    env.filters["tuple_literal"] = tuple_literal
    env.filters["deprecated_descriptors"] = render_deprecation.descriptors
    env.filters["patch_warnings"] = render_deprecation.patch_warnings
    env.globals["deprecated_decorator"] = render_deprecation.decorator
    env.filters["import_from"] = import_from
    env.globals["assignment"] = assignment
    env.globals["class_statement"] = class_statement
    env.globals["return_call"] = return_call
    env.globals["constraint"] = constraint
    env.globals["parameter"] = parameter
    env.globals["self_method"] = self_method
    env.globals["generic_self_method"] = generic_self_method
    env.globals["local_import"] = local_import
    env.globals["generator_version"] = __version__
    env.globals["runtime_requirement"] = RUNTIME_REQUIREMENT
    return env


def _user_template(overridden: dict[str, Path], name: str) -> tuple[str, str, None] | None:
    path = overridden.get(name)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8"), str(path), None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read the template: {exc}", path=str(path)) from None


def local_import(module: str, name: str, here: str | None) -> str:
    """The statement that, first in a method body, imports `name` from the client module `module` when the
    method runs (nothing when `here` is that module), with the blank line black puts after it."""
    if module == here:
        return ""
    return f"{import_from('.' + module, name, indent=8)}\n\n        "


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: JSON's escapes are TOML's, bar DEL, which TOML wants escaped too."""
    text.encode("utf-8")  # a lone surrogate cannot be written at all: fail here, not half-way through a file
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


# Graph asks for 22,000 docstrings of 13,000 texts ("The unique identifier ..." on every type); bounded.
@functools.lru_cache(maxsize=16384)
def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted docstring for `text`, wrapped; whatever `text` holds, it cannot end the docstring.

    Backslashes are doubled, characters that are not printable (NUL, `\\r`, U+2028, lone surrogates ...)
    become escapes, and every quote that another quote, the start or the end follows is escaped, so no
    `\"\"\"` can form. The result is laid out exactly as black would leave it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    paragraphs = [_wrap(escape_unprintable(p.strip().replace("\\", "\\\\")), indent) for p in text.split("\n")]
    body = "\n\n".join(p for p in paragraphs if p) or "."
    body = re.sub(r'^"|"(?="|$)', r"\"", body)
    if "\n" not in body:  # black keeps a one-line docstring on one line, however long
        # black pads a docstring ending in a quote with a space; do it first so black has nothing to change
        return f'"""{body} """' if body.endswith('"') else f'"""{body}"""'
    pad = " " * indent
    return '"""' + body.replace("\n", "\n" + pad).replace(f"\n{pad}\n", "\n\n") + f"\n{pad}" + '"""'


def _wrap(paragraph: str, indent: int) -> str:
    # Never split a long word: it may hold an escape sequence that must stay in one piece (hyphens, where
    # textwrap may also break, never occur inside one).
    width = max(85 - indent, 40)
    if len(paragraph) <= width:  # textwrap would return it unchanged (stripped, no whitespace but spaces left)
        return paragraph
    if "-" in paragraph:
        return textwrap.fill(paragraph, width=width, break_long_words=False)
    return _fill(paragraph, width)


_SPACES = re.compile(r"( +)")


def _fill(paragraph: str, width: int) -> str:
    """textwrap.fill's lines for a stripped paragraph whose only whitespace is spaces and that has no
    hyphen (textwrap's other break points), in a third of its time: Graph wraps 20,000 of them."""
    chunks = [c for c in _SPACES.split(paragraph) if c]
    lines: list[str] = []
    i = 0
    while i < len(chunks):
        if chunks[i][0] == " ":  # a line never starts with the spaces it broke at
            i += 1
            continue
        line: list[str] = []
        length = 0
        while i < len(chunks) and length + len(chunks[i]) <= width:
            line.append(chunks[i])
            length += len(chunks[i])
            i += 1
        if not line:  # a word longer than the width gets a line of its own
            line.append(chunks[i])
            i += 1
        if line[-1][0] == " ":
            line.pop()
        lines.append("".join(line))
    return "\n".join(lines)


def docstring_inline(text: str) -> str:
    """`text` as a run of words inside a template's own docstring: one line, no quote left bare.

    For values such as the metadata file name (it comes from the user's path and may hold anything)
    and qualified names printed in module docstrings.
    """
    return escape_unprintable(text.replace("\\", "\\\\")).replace('"', '\\"')


def _class_docstring(cls: ClassPlan) -> str:
    lines = [cls.doc or f"{cls.kind.title()} type {cls.qualified_name}."]
    if cls.abstract:
        lines.append("Abstract: the server sends one of its derived types.")
    if cls.open_type:
        lines.append("Open type: properties the schema does not declare are kept in `dynamic_properties`.")
    if cls.key:
        lines.append(f"Key: {', '.join(cls.key)}.")
    return docstring("\n".join(lines))


# The loops over fields run here, not in model.py.jinja: jinja's per-call overhead on Graph's 12,000 fields
# (three filter calls each) was a quarter of rendering.
def _field_block(cls: ClassPlan) -> str:
    """The attrs fields of a model class, each after a blank line and followed by its docstring."""
    parts = []
    for f in cls.fields:
        parts.append(f"\n    {field_statement(f)}\n")
        if f.doc:
            parts.append(f"    {docstring(f.doc)}\n")
        if f.deprecated is not None:
            parts.append(f"    {render_deprecation.attribute(f)}\n")
    return "".join(parts)


# Every updatable item, set and singleton class has a patch method, sync and async: Graph's 1,100 pairs were
# a tenth of rendering as template loops.
def _patch_parameters(parameters: tuple[ParameterPlan, ...]) -> str:
    """The keyword parameters of a patch method, one line each: the property or UNSET."""
    return "".join(
        f"        {parameter(p.attribute, p.annotation + ' | _rt.Unset', '_rt.UNSET')}\n" for p in parameters
    )


def _patch_changes(parameters: tuple[ParameterPlan, ...]) -> str:
    """The items of a patch method's `changes`: wire name -> parameter."""
    return "".join(f"            {python_literal(p.wire_name)}: {p.attribute},\n" for p in parameters)


def _query_block(cls: ClassPlan) -> str:
    """The typed paths of a query class, one descriptor per field."""
    return "".join(
        f"    {render_deprecation.query_attribute(f) if f.deprecated else query_statement(f.attribute, f.query)}\n"
        for f in cls.fields
    )
