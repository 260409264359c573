"""Render a PackagePlan through the jinja2 templates into formatted Python source files."""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import textwrap
from pathlib import Path

import black
import jinja2

from .layout import (
    LINE_LENGTH,
    assignment,
    class_statement,
    comment,
    constraint,
    escape_unprintable,
    field_statement,
    import_from,
    parameter,
    self_method,
    python_literal,
    string_literal,
    query_statement,
    tuple_literal,
)
from .plan import ClassPlan, PackagePlan
from .plan_project import RUNTIME_REQUIREMENT
from .runtime.version import __version__

# An installed wheel carries the templates as package data (codegen/templates/); a checkout keeps them in the
# repository's templates/ folder, where an editable install leaves them.
_HERE = Path(__file__).resolve().parent
TEMPLATES = next((p for p in (_HERE / "templates", _HERE.parent / "templates") if p.is_dir()), _HERE / "templates")
# A lone string, name, `"key": value,` entry, `from m import (`, a def's opening line, `name=name,`,
# `name = "text"` or a return annotation too long even in parentheses (`) -> Name:`): black cannot shorten these either.
_UNSPLITTABLE = re.compile(
    r'^\s*(?:"[^"\\]*"(?::\s*(?:"[^"\\]*"|[\w.]+))?|[\w.]+|from [\w.]+ import \(|(?:async )?def \w+\(|\w+=\w+|\w+ = "[^"\\]*"|\) -> \w+:),?$'
)
_BLACK_MODE = black.Mode(target_versions={black.mode.TargetVersion.PY311}, line_length=LINE_LENGTH)
# Below this many modules to format, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 40


def render_output(plan: PackagePlan) -> dict[str, str]:
    """Every file codegen writes, keyed by path relative to the target: the project, or the package alone."""
    package = render_package(plan)
    if plan.project is None:
        return package
    env = _environment()
    files = {f"{plan.name}/{path}": text for path, text in package.items()}
    files["pyproject.toml"] = env.get_template("pyproject.toml.jinja").render(plan=plan, project=plan.project)
    files["README.md"] = env.get_template("project_readme.md.jinja").render(plan=plan, project=plan.project)
    return dict(sorted(files.items()))


def render_package(plan: PackagePlan) -> dict[str, str]:
    """Every file of the package, keyed by path relative to the package directory."""
    env = _environment()
    files = {
        "__init__.py": env.get_template("package_init.py.jinja").render(plan=plan),
        "__init__.pyi": env.get_template("package_init.pyi.jinja").render(plan=plan),
        "py.typed": "",
        "models/__init__.py": env.get_template("models_init.py.jinja").render(plan=plan),
    }
    model = env.get_template("model.py.jinja")
    for cls in plan.classes:
        files[f"models/{cls.module}.py"] = model.render(cls=cls, source=plan.source)
    files["client.py"] = env.get_template("client.py.jinja").render(plan=plan, service=plan.service)
    enum = env.get_template("enum.py.jinja")
    for e in plan.enums:
        files[f"models/{e.module}.py"] = enum.render(enum=e, source=plan.source)
    # Templates lay lines out as black would; black runs only where a line is too long to trust that.
    python = sorted(path for path in files if path.endswith(".py") and _has_long_line(files[path]))
    formatted = dict(zip(python, _format_all([files[path] for path in python])))
    return {path: formatted.get(path, text) for path, text in sorted(files.items())}


def _has_long_line(source: str) -> bool:
    """True if a line black could still split is too long (docstrings and lone literals it leaves alone)."""
    in_docstring = False
    for line in source.splitlines():
        quotes = line.count('"""')
        if quotes or in_docstring:
            in_docstring ^= quotes % 2 == 1
        elif len(line) > LINE_LENGTH and not _UNSPLITTABLE.match(line):
            return True
    return False


def format_python(source: str) -> str:
    return black.format_str(source, mode=_BLACK_MODE)


def _format_all(sources: list[str]) -> list[str]:
    """black every module; spread over the CPUs when there are enough to pay for the processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(sources) < _PARALLEL_THRESHOLD or workers < 2:
        return [format_python(s) for s in sources]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        return list(pool.map(format_python, sources, chunksize=64))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - we emit Python, not HTML; literals go through pyrepr
    )
    # The only ways document-derived text may reach the output, one per context it lands in.
    env.filters["pyrepr"] = python_literal
    env.filters["string_literal"] = string_literal
    env.filters["docstring"] = docstring
    env.filters["docstring_inline"] = docstring_inline
    env.filters["comment"] = comment
    env.filters["toml_string"] = toml_string
    env.filters["class_docstring"] = _class_docstring
    env.filters["field_statement"] = field_statement
    env.filters["tuple_literal"] = tuple_literal
    env.filters["import_from"] = import_from
    env.globals["assignment"] = assignment
    env.globals["class_statement"] = class_statement
    env.globals["query_statement"] = query_statement
    env.globals["constraint"] = constraint
    env.globals["parameter"] = parameter
    env.globals["self_method"] = self_method
    env.globals["generator_version"] = __version__
    env.globals["runtime_requirement"] = RUNTIME_REQUIREMENT
    return env


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: JSON's escapes are TOML's, bar DEL, which TOML wants escaped too."""
    text.encode("utf-8")  # a lone surrogate cannot be written at all: fail here, not half-way through a file
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


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
    return textwrap.fill(paragraph, width=width, break_long_words=False)


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
