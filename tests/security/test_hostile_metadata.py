"""Hostile $metadata must never become code that runs: names are refused, text is escaped.

Every case fills tests/security/hostile/template.xml with one hostile value (a `\"\"\"` and a newline
followed by a payload, jinja syntax, comment characters, control and separator characters, ...). The
generator must either refuse the document (exit 2, one line on stderr, nothing written) or generate a
package of which EVERY module is then imported, and its classes structured, in a subprocess whose audit
hook kills it (exit 97) on process creation, sockets, file writes, and exec/compile of code that does not
come from a real .py file. Positive controls plant each kind of payload and prove the hook fires.

On the original main these fail: hostile names reached the module docstrings and string literals
unescaped, so generation succeeded and importing the package ran the payload (or did not even compile).
"""

from __future__ import annotations

import ast
import os
import re
import string
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.sax.saxutils import quoteattr

import black
import pytest

from codegen import layout, render

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).resolve().parent / "hostile" / "template.xml"
CAUGHT = 97  # the audit hook's exit code
PAYLOAD = '__import__("os").system("true")'
BREAKOUT = f'X"""\n{PAYLOAD}\n"""'
BREAKOUT_LITERAL = f'X"\n{PAYLOAD}\n"'

DEFAULTS = {
    "namespace": "Hostile",
    "alias": "Self",
    "enum": "Colour",
    "member": "First",
    "type": "Thing",
    "key": "Id",
    "property": "Name",
    "default": "x",
    "action": "Reset",
    "parameter": "Reason",
    "container": "Container",
    "set": "Things",
    "singleton": "Main",
    "import": "ResetAll",
    "description": "A plain description.",
}

# id -> (placeholders to override, expected outcome: "refused" or "generated")
CASES: dict[str, tuple[dict[str, str], str]] = {
    "type-name-breakout": ({"type": BREAKOUT}, "refused"),
    "namespace-breakout": ({"namespace": BREAKOUT}, "refused"),
    "alias-breakout": ({"alias": BREAKOUT}, "refused"),
    "property-name-breakout": ({"property": BREAKOUT_LITERAL}, "refused"),
    "key-and-property-breakout": ({"property": BREAKOUT, "key": BREAKOUT}, "refused"),
    "enum-name-breakout": ({"enum": BREAKOUT}, "refused"),
    "enum-member-breakout": ({"member": BREAKOUT_LITERAL}, "refused"),
    "action-name-breakout": ({"action": BREAKOUT}, "refused"),
    "parameter-name-breakout": ({"parameter": BREAKOUT_LITERAL}, "refused"),
    "container-name-breakout": ({"container": BREAKOUT}, "refused"),
    "entity-set-name-breakout": ({"set": BREAKOUT_LITERAL}, "refused"),
    "singleton-name-breakout": ({"singleton": BREAKOUT}, "refused"),
    "action-import-name-breakout": ({"import": BREAKOUT}, "refused"),
    "jinja-in-type-name": ({"type": "T{{ 7*7 }}"}, "refused"),
    "comment-in-property-name": ({"property": "Name # noqa"}, "refused"),
    "name-too-long": ({"type": "T" * 129}, "refused"),
    "nul-in-description": ({"description": "a\x00b"}, "refused"),  # not even XML: the parser refuses it
    "description-breakout": ({"description": BREAKOUT}, "generated"),
    "description-quote-runs": ({"description": '"' + '""""""' * 20 + '"'}, "generated"),
    "description-trailing-backslash": ({"description": "ends with a backslash \\"}, "generated"),
    "description-separators": ({"description": "a\rb\r\nc\u2028d\u2029e\x85f\tg\u200bh"}, "generated"),
    "description-comment-and-jinja": (
        {"description": '# comment\n{{ cycler.__init__.__globals__.os.system("true") }}{% raw %}'},
        "generated",
    ),
    "description-very-long": ({"description": ("word " * 4000) + "x" * 20000 + '\\"'}, "generated"),
    "default-value-breakout": ({"default": BREAKOUT_LITERAL + BREAKOUT}, "generated"),
    "unicode-connector-names-are-valid": ({"type": "Thing\u203fOne", "property": "n\u00e4me_\u2040"}, "generated"),
}


def document(overrides: dict[str, str]) -> str:
    values = {**DEFAULTS, **overrides}
    # References follow the names they point at, so only the one hostile value can be at fault.
    values["enumref"] = f"{values['namespace']}.{values['enum']}"
    values["typeref"] = f"{values['namespace']}.{values['type']}"
    values["actionref"] = f"{values['namespace']}.{values['action']}"
    attributes = {
        name: quoteattr(value, {"\r": "&#13;", "\x85": "&#133;", "\u2028": "&#8232;"}) for name, value in values.items()
    }
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(attributes)


def generate(metadata: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(metadata)]
    return subprocess.run(
        [*command, "--package", "hostile", "--out", str(out), "--package-only"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


# The import runs under an audit hook that kills the process on anything a payload would do.
# exec/compile are allowed for code from real .py files (imports) and for code that a trusted library
# (stdlib, site-packages, codegen itself: attrs and cattrs generate __init__ and converters) compiles,
# but never for a call made from the generated package itself.
_IMPORTER = textwrap.dedent(r"""
    import importlib, os, sys
    sys.dont_write_bytecode = True
    OUT = os.path.realpath(sys.argv[1])
    TRUSTED = tuple({os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
    TRUSTED += (os.path.join(os.path.realpath(sys.argv[2]), "codegen") + os.sep,)
    FORBIDDEN = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "subprocess.Popen",
                 "socket.", "pty.", "ctypes.", "shutil.", "os.remove", "os.rename", "os.mkdir")
    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def caught(event, detail):
        os.write(2, f"CAUGHT {event} {detail!r:.200}\n".encode("utf-8", "backslashreplace"))
        os._exit(97)

    def real_file(name, roots):
        path = os.path.realpath(name) if isinstance(name, str) else ""
        return path.endswith(".py") and os.path.isfile(path) and path.startswith(roots)

    def trusted_library(where):
        # A real file of the stdlib, site-packages or codegen itself (attrs, cattrs, importlib).
        if where.startswith("<frozen "):
            return True
        path = os.path.realpath(where)
        return os.path.isfile(path) and path.startswith(TRUSTED) and not path.startswith(OUT + os.sep)

    def hook(event, args):
        if event.startswith(FORBIDDEN):
            caught(event, args)
        elif event == "open":
            mode, flags = args[1], args[2]
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS:
                caught(event, args)
        elif event in ("compile", "exec"):
            where = sys._getframe(1).f_code.co_filename  # who called compile()/exec()/eval()
            name = args[1] if event == "compile" else args[0].co_filename
            if where.startswith("<frozen "):  # the import system: only code read from a real file
                ok = real_file(name, (OUT + os.sep,) + TRUSTED)
            else:
                ok = trusted_library(where)
            if not ok:
                caught(event, (name, where))

    sys.path[:0] = [OUT, sys.argv[2]]
    import codegen.runtime, codegen.runtime.http  # trusted: imported before the hook
    sys.addaudithook(hook)
    package = sys.argv[3]
    modules = sorted(
        os.path.relpath(os.path.join(d, f), OUT)[:-3].replace(os.sep, ".").removesuffix(".__init__")
        for d, _, files in os.walk(os.path.join(OUT, package)) for f in files if f.endswith(".py")
    )
    structured = 0
    for name in modules:
        module = importlib.import_module(name)
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, codegen.runtime.ODataModel) and value.__module__ == name:
                try:
                    codegen.runtime.structure({}, value)
                except Exception:
                    pass  # a required property is missing: expected; the point is that nothing ran
                structured += 1
    root = importlib.import_module(package)
    for name in root.__all__:
        getattr(root, name)
    print(len(modules), structured)
    """)


def import_everything(out: Path, package: str = "hostile") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _IMPORTER, str(out), str(REPO), package],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )


def assert_black_stable(out: Path) -> None:
    """The generator promises output black leaves unchanged, hostile text included."""
    for module in sorted(out.rglob("*.py")):
        source = module.read_text(encoding="utf-8")
        assert _black_stable(source), module


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_hostile_document_is_refused_or_harmless(case: str, tmp_path: Path) -> None:
    overrides, outcome = CASES[case]
    metadata = tmp_path / "metadata.xml"
    metadata.write_bytes(document(overrides).encode("utf-8", "surrogatepass"))
    out = tmp_path / "out"
    result = generate(metadata, out)
    assert "Traceback" not in result.stderr, result.stderr
    if outcome == "refused":
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        # one line naming file and line; the hostile value, if shown, only as a repr
        assert re.match(rf"codegen: error: {re.escape(str(metadata))}:\d+: ", result.stderr), result.stderr
        assert not out.exists()
        return
    assert result.returncode == 0, result.stderr
    assert_black_stable(out)
    imported = import_everything(out)
    assert imported.returncode == 0, imported.stderr[-2000:]
    modules, structured = map(int, imported.stdout.split())
    assert modules >= 5 and structured >= 2


@pytest.mark.parametrize(
    "file_name",
    [
        'm"""\n' + PAYLOAD + "\n#.xml",
        "m\\",
        'it\'s "quoted" {{ x }}.xml',
        "m\u2028\r\x0c.xml",
        os.fsdecode(b"m\xff\xfe.xml"),
    ],
    ids=["breakout", "trailing-backslash", "quotes-and-jinja", "separators", "undecodable-bytes"],
)
def test_hostile_source_file_name_is_harmless(file_name: str, tmp_path: Path) -> None:
    metadata = tmp_path / file_name
    metadata.write_text(document({}), encoding="utf-8")
    out = tmp_path / "out"
    result = generate(metadata, out)
    assert result.returncode == 0, result.stderr
    assert_black_stable(out)
    imported = import_everything(out)
    assert imported.returncode == 0, imported.stderr[-2000:]


# -- positive controls: the hook does fire on each kind of payload ------------------------------

PLANTED = {
    "os-system": PAYLOAD,
    "subprocess": '__import__("subprocess").run(["true"])',
    "exec-of-string": 'exec("x = 1")',
    "eval-of-string": 'eval("1 + 1")',
    "compile-of-string": 'compile("x = 1", "<payload>", "exec")',
    "write-a-file": 'open("/tmp/hostile-metadata-planted", "w")',
    "socket": '__import__("socket").create_connection(("127.0.0.1", 9))',
}


@pytest.mark.parametrize("payload", sorted(PLANTED), ids=sorted(PLANTED))
def test_audit_hook_catches_a_planted_payload(payload: str, tmp_path: Path) -> None:
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("__all__: list[str] = []\n", encoding="utf-8")
    (package / "evil.py").write_text(PLANTED[payload] + "\n", encoding="utf-8")
    result = import_everything(tmp_path, "planted")
    assert result.returncode == CAUGHT, (result.returncode, result.stderr[-2000:])
    assert "CAUGHT" in result.stderr


def test_audit_hook_lets_a_clean_package_import(tmp_path: Path) -> None:
    metadata = tmp_path / "metadata.xml"
    metadata.write_text(document({}), encoding="utf-8")
    assert generate(metadata, tmp_path / "out").returncode == 0
    result = import_everything(tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]


# -- the escaping functions themselves, on text XML cannot even carry --------------------------

NASTY_TEXTS = {
    "triple-quote-breakout": BREAKOUT,
    "quote-runs": '"' * 7 + "a" + '"' * 8,
    "leading-and-trailing-quote": '"quoted"',
    "trailing-backslash": "path\\",
    "trailing-backslashes": "a\\\\\\",
    "nul": "a\x00b",
    "lone-surrogates": "a\ud800b\udfff",
    "carriage-returns": "a\rb\r\nc",
    "separators": "a\u2028b\u2029c\x85d\x0ce\x0bf",
    "format-characters": "a\u200bb\ufeffc\u202ed",
    "non-breaking-spaces": "\xa0lead and trail\u3000",
    "escapes-as-text": "\\x00 \\u2028 \\N{BULLET} \\",
    "very-long-word": "a" * 300 + "\\x" + "b" * 300,
    "very-long-text": "word " * 2000,
    "only-quotes": '"""',
    "empty": "",
}


def _black_stable(source: str) -> bool:
    mode = black.Mode(target_versions={black.mode.TargetVersion.PY311}, line_length=88)
    return black.format_str(source, mode=mode) == source


@pytest.mark.parametrize("name", sorted(NASTY_TEXTS), ids=sorted(NASTY_TEXTS))
def test_docstring_is_valid_black_stable_and_inert(name: str) -> None:
    text = NASTY_TEXTS[name]
    for source in (
        f"{render.docstring(text, indent=0)}\n",
        f"class A:\n    {render.docstring(text)}\n\n    x = 1\n    {render.docstring(text)}\n",
        f'"""Generated from {render.docstring_inline(text)}; do not edit."""\n',
    ):
        source.encode("utf-8")  # nothing unencodable reaches the file
        tree = ast.parse(source)
        assert all(isinstance(node, ast.Expr | ast.ClassDef) for node in tree.body), source
        assert _black_stable(source), source


@pytest.mark.parametrize("name", sorted(NASTY_TEXTS), ids=sorted(NASTY_TEXTS))
def test_string_literal_round_trips_and_is_black_stable(name: str) -> None:
    text = NASTY_TEXTS[name]
    literal = layout.python_literal(text)
    assert "\n" not in literal and "\r" not in literal
    source = f"x = {literal}\n"
    source.encode("utf-8")
    assert ast.literal_eval(literal) == text
    assert _black_stable(source)


@pytest.mark.parametrize("name", sorted(NASTY_TEXTS), ids=sorted(NASTY_TEXTS))
def test_comment_stays_one_comment(name: str) -> None:
    source = f"x = 1  # {layout.comment(NASTY_TEXTS[name])}\n"
    source.encode("utf-8")
    tree = ast.parse(source)
    assert len(tree.body) == 1
    assert _black_stable(source) or source.rstrip().endswith("#")


# -- the identifier rules: strict enough to be safe, loose enough for real services ------------

VALID = {
    "SimpleIdentifier": ["A", "_", "a1", "Thing\u203fOne", "n\u00e4me", "\u540d\u524d", "x" * 128, "A\u0301"],
    "Namespace": ["Ns", "Org.OData.Core.V1", "microsoft.graph"],
    "QualifiedName": ["Edm.String", "Org.OData.Core.V1.Description", "Ns.T_1"],
    "path": ["Id", "Info/Code", "Ns.Derived/Nav"],
}
INVALID = {
    "SimpleIdentifier": ["", "1A", "A.B", "A B", "A-B", "x" * 129, "A\n", 'A"', "A#", "A{{", "A\u2028", "\u0301A"],
    "Namespace": ["", ".Ns", "Ns.", "Ns..Core", "Ns.1", 'Ns"""'],
    "QualifiedName": ["String", "Edm.", ".T", "Ns.T/X", "Ns.T x"],
    "path": ["", "A/", "/A", "A//B", "A/B c"],
}


@pytest.mark.parametrize("rule", sorted(VALID))
def test_identifier_rules_accept_valid_names(rule: str) -> None:
    from codegen.csdl import identifiers

    check = {
        "SimpleIdentifier": identifiers.is_simple_identifier,
        "Namespace": identifiers.is_namespace,
        "QualifiedName": identifiers.is_qualified_name,
        "path": identifiers.is_path,
    }[rule]
    assert [name for name in VALID[rule] if not check(name)] == []
    assert [name for name in INVALID[rule] if check(name)] == []


def test_hyphenated_property_names_of_real_services_are_tolerated() -> None:
    from codegen.csdl import identifiers

    assert identifiers.is_lenient_property_name("client-request-id")  # Microsoft Graph
    assert not identifiers.is_lenient_property_name("-id")
    assert not identifiers.is_lenient_property_name('id-"""')
