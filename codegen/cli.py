"""Command line: `python -m codegen generate ...`, `... diff ...`, `... fetch ...`, `... init ...` and `... sandbox ...`.

Exit codes: 0 done; 1 `--check` found differences, or `diff` a breaking change; 2 bad input (arguments,
spec, metadata, output directory, a fetched answer that is not V4 $metadata); 3 a bug in codegen itself;
4 `fetch` could not reach the service, or it refused the credentials or answered with an error status.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__, generate, scaffold
from .csdl.model import MetadataWarning
from .changelog import CHANGES_FILE
from .diff import FORMATS, compare, load_surface, render, summary
from .errors import CodegenError, shown_path
from .output import compare_package
from .spec import AUTH_SCHEMES, Spec, load_spec, spec_from_arguments
from .spec_doc import spec_help

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
MAX_PRINTED_WARNINGS = 50  # Microsoft Graph must not flood the terminal; the summary counts the rest


_FETCH_HELP = """\
Download $metadata from the service the spec names (its [service] base_url, or --url, joined with its
[service] path), check that it is an OData V4 CSDL XML document, and replace the spec's [metadata] source
with it atomically. Nothing is written when anything fails. Prints whether the document changed.

Credentials are never read from the spec; under the spec's [service] auth:
  avala-api  CODEGEN_USERNAME and CODEGEN_PASSWORD (logs in at [service] login_path), or
             CODEGEN_TOKEN: a token you already have (the username:GUID pair the login answers,
             or the GUID with CODEGEN_USERNAME)
  bearer     CODEGEN_TOKEN
  none       nothing
What is not set is asked for when stdin is a terminal (the password without echo).
In CI, pass --url from a protected setting: the credentials go to the host the checked-out spec
names, and a pull request can change [service] base_url.

Exit codes: 0 written or unchanged; 2 bad input, or an answer that is not OData V4 $metadata (HTML,
not XML, OData V2/V3, larger than 64 MiB); 4 the service could not be reached, timed out, refused the
credentials (401) or answered with an error status."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage dump.
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    # Every command's --help ends with the spec file's keys, rendered from the table load_spec checks against.
    epilog, raw = spec_help(), argparse.RawDescriptionHelpFormatter
    description = "Generate typed Python packages from OData V4 $metadata."
    parser = _Parser(prog="codegen", description=description, epilog=epilog, formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"codegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    gen = commands.add_parser(
        "generate",
        help="generate a package",
        description="Generate from a spec file (codegen.toml), or from a $metadata file with --metadata/--package/--out.",
        epilog=epilog,
        formatter_class=raw,
    )
    gen.add_argument("spec", nargs="?", type=Path, help="the codegen.toml spec file")
    gen.add_argument(
        "--all",
        nargs="?",
        const=Path("specs"),
        type=Path,
        metavar="DIR",
        help="every spec DIR/*/codegen.toml (default DIR: specs), in name order; the worst exit code wins",
    )
    gen.add_argument("--metadata", type=Path, help="a $metadata (CSDL XML) file, instead of a spec")
    gen.add_argument("--package", help="package name, with --metadata")
    gen.add_argument("--out", type=Path, help="directory that will hold the package, with --metadata")
    gen.add_argument("--service-path", help="service root path below the base URL, with --metadata (default /)")
    gen.add_argument(
        "--package-only",
        action="store_true",
        default=None,
        help="with --metadata: write the package alone, without pyproject.toml and README.md around it",
    )
    named = "the entity sets, singletons, imports, types or operations a name or glob names (`users`, `NS.*`)"
    gen.add_argument(
        "--include",
        action="append",
        metavar="PATTERN",
        help=f"with --metadata, repeatable: keep {named}, and what they need",
    )
    gen.add_argument(
        "--exclude", action="append", metavar="PATTERN", help=f"with --metadata, repeatable: leave out {named}"
    )
    gen.add_argument("--check", action="store_true", help="write nothing; exit 1 if the package on disk differs")
    gen.add_argument("--strict", action="store_true", help="treat warnings about the metadata as errors (exit 2)")
    gen.add_argument(
        "--full",
        action="store_true",
        help="parse and render even when the manifest shows that no input changed (and print the warnings again)",
    )
    fetch = commands.add_parser(
        "fetch",
        help="download the service's $metadata into the spec's [metadata] source",
        description=_FETCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("spec", type=Path, help="the codegen.toml spec file")
    fetch.add_argument("--url", help="the instance root (https://acme.aimbase.com), instead of [service] base_url")
    _add_diff(commands)
    box = commands.add_parser(
        "sandbox",
        help="serve a local OData sandbox for a spec",
        description="Serve the spec's entity sets from seeded SQLite data on loopback until Ctrl-C.",
        epilog=epilog,
        formatter_class=raw,
    )
    box.add_argument("spec", type=Path, help="the codegen.toml spec file")
    box.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    box.add_argument("--port", type=int, default=0, help="port to bind (default: a free one, printed at start)")
    box.add_argument("--seed", type=int, default=None, help="seed of the generated data (default: fixed)")
    box.add_argument("--rows", type=int, default=None, help="rows of the main entity set (default 3000)")
    box.add_argument("--page-size", type=int, default=1000, help="server page size (default 1000)")
    box.add_argument("--username", default="demo", help="login accepted by the sandbox (default demo)")
    box.add_argument("--password", default="demo", help="password accepted by the sandbox (default demo)")
    box.add_argument("--token-ttl", type=float, default=None, help="token lifetime in seconds (default: none)")
    _init_parser(
        commands.add_parser(
            "init", help="start a spec for a new service, and generate it", epilog=epilog, formatter_class=raw
        )
    )
    return parser


def _init_parser(init: argparse.ArgumentParser) -> None:
    init.description = textwrap.fill(
        "Write SPECS/NAME/codegen.toml (every key, the unset ones commented out with their defaults) and a copy of "
        "the $metadata, then generate the project into OUTPUT/NAME. An existing spec directory is refused (exit 2) "
        "unless --force, which replaces only a directory holding nothing but what init writes. With --url the "
        "document is downloaded as `codegen fetch` downloads it (see its --help); a service that cannot be reached "
        "or refuses the credentials exits 4.",
        100,
    )
    init.add_argument("name", metavar="NAME", help="the package name (a Python identifier), and the spec's folder")
    source = init.add_mutually_exclusive_group(required=True)
    source.add_argument("--metadata", type=Path, help="the $metadata file (CSDL XML or JSON) to copy")
    source.add_argument(
        "--url",
        help="download the document instead: the service's base URL (kept as [service] base_url) or its "
        "$metadata URL; credentials under --auth come from CODEGEN_* variables or are asked for, as for fetch",
    )
    init.add_argument("--service-path", default="/", help="service root below the base URL, e.g. /odata/V2 (default /)")
    init.add_argument("--auth", choices=AUTH_SCHEMES, default="none", help="the service's auth scheme (default none)")
    init.add_argument("--login-path", help='where "avala-api" logs in (default /api/Security/Login)')
    init.add_argument("--service-name", help="what client classes are named after (default: NAME in PascalCase)")
    init.add_argument("--specs", type=Path, default=Path("specs"), help="the folder of spec folders (default specs)")
    init.add_argument(
        "--output", type=Path, default=Path("generated"), help="the folder the project goes in (default generated)"
    )
    init.add_argument("--force", action="store_true", help="replace an existing spec directory that init wrote")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            return _init(args)
        if args.command == "fetch":
            return _fetch(args)
        if args.command == "diff":
            return _diff(args)
        return _sandbox(args) if args.command == "sandbox" else _generate(parser, args)
    except CodegenError as exc:
        print(f"codegen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback behind --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"codegen: internal error: {type(exc).__name__}: {exc} (rerun with --debug and report it)", file=sys.stderr
        )
        return EXIT_BUG


def _add_diff(commands: argparse._SubParsersAction[_Parser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="report the API changes between two $metadata files or specs, and which break user code",
        description=(
            "Compare the Python API generated from OLD with the one generated from NEW (each a $metadata file, "
            "CSDL XML or JSON, or a spec named *.toml, whose naming, renames and selection apply). Each change is "
            "classified breaking or compatible for code using the package (rules: codegen/diff/rules.py). "
            "Exit 0: nothing breaking; 1: something breaking changed; 2: bad input."
        ),
    )
    diff.add_argument("old", type=Path, help="the old $metadata file or spec")
    diff.add_argument("new", type=Path, help="the new $metadata file or spec")
    diff.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), json (docs/diff-format.md) or markdown"
    )


def _diff(args: argparse.Namespace) -> int:
    changes = compare(load_surface(args.old), load_surface(args.new))
    sys.stdout.write(render(changes, args.format))
    return EXIT_DIFFERS if any(c.breaking for c in changes) else EXIT_OK


_LOOSE_OPTIONS = ("metadata", "package", "out", "service_path", "package_only", "include", "exclude")


def _spec(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Spec:
    # --service-path counts too: with a spec it would be silently ignored (the spec's [service] path wins).
    loose = [name for name in _LOOSE_OPTIONS if getattr(args, name) is not None]
    if args.spec is not None:
        if loose:
            given = "/--".join(name.replace("_", "-") for name in loose)
            parser.error(f"give either a spec file or --{given}, not both")
        return load_spec(args.spec)
    if any(getattr(args, name) is None for name in ("metadata", "package", "out")):
        parser.error("give a spec file, or all of --metadata, --package and --out")
    service_path = "/" if args.service_path is None else args.service_path
    return spec_from_arguments(
        args.metadata,
        args.package,
        args.out,
        service_path,
        project=not args.package_only,
        include=args.include or (),
        exclude=args.exclude or (),
    )


def _generate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.all is None:
        return _generate_one(_spec(parser, args), args)
    if args.spec is not None or any(getattr(args, name) is not None for name in _LOOSE_OPTIONS):
        parser.error("--all takes the spec files from its directory: give no spec file and no --metadata options")
    return _generate_all(args.all, args)


def _generate_all(directory: Path, args: argparse.Namespace) -> int:
    """Each spec on its own: one that fails is reported and the others still run, so CI sees every problem."""
    specs = sorted(directory.glob("*/codegen.toml")) if directory.is_dir() else []
    if not specs:
        raise CodegenError(f"--all: no */codegen.toml under {shown_path(directory)}")
    worst = EXIT_OK
    for path in specs:
        try:
            code = _generate_one(load_spec(path), args)
        except CodegenError as exc:
            print(f"codegen: error: {exc}", file=sys.stderr)
            code = exc.exit_code
        worst = max(worst, code)
    return worst


def _generate_one(spec: Spec, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    target = shown_path(spec.target_dir)
    unchanged = None if args.full else generate.up_to_date(spec, strict=args.strict)
    if unchanged is not None:
        # The manifest proves the files are what the same inputs rendered (accidents, not forgery: SECURITY.md;
        # --full compares bytes). --check prints the line a full comparison prints: scripts read it.
        elapsed = time.perf_counter() - started
        done = "is up to date" if args.check else f"is unchanged: no input or file changed ({elapsed:.2f} s)"
        print(f"codegen: {target} {done}")
        _print_warning_count(unchanged.warnings)
        return EXIT_OK
    if args.check:
        checked = generate.generate(spec, strict=args.strict)
        differences = compare_package(checked.files, spec.target_dir, checked.user)
        for difference in differences:
            print(f"  {difference}", file=sys.stderr)
        if differences and checked.changes:  # what the stale package lacks, in API terms (CHANGES.md gets it too)
            print(f"codegen: the API changed since {target} was generated:", file=sys.stderr)
            sys.stderr.write(render(checked.changes, "text"))
        if differences:
            print(f"codegen: {target} is out of date ({len(differences)} files differ); regenerate it", file=sys.stderr)
        else:
            print(f"codegen: {target} is up to date")
        _print_warnings(checked.document.warnings)
        return EXIT_DIFFERS if differences else EXIT_OK
    result = generate.write(spec, strict=args.strict)
    elapsed = time.perf_counter() - started
    if result.selection is not None:
        print(f"codegen: {result.selection.summary()}")
    print(
        f"codegen: wrote {target} ({len(result.files)} files, {len(result.plan.classes)} classes, {len(result.plan.enums)} enums) in {elapsed:.2f} s"
    )
    if result.changes:
        print(f"codegen: API {summary(result.changes)}; see {shown_path(spec.target_dir / CHANGES_FILE)}")
    if result.notice:
        print(f"codegen: note: {result.notice}", file=sys.stderr)
    _print_warnings(result.document.warnings)
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    request = scaffold.Request(
        name=args.name,
        metadata=args.metadata,
        url=args.url,
        specs=args.specs,
        output=args.output,
        service_name=args.service_name,
        service_path=args.service_path,
        auth=args.auth,
        login_path=args.login_path,
        force=args.force,
    )
    done = scaffold.scaffold(request, prompt=_terminal_prompt())
    print(f"codegen: wrote {shown_path(done.spec_file)} and {shown_path(done.metadata)}")
    print(
        f"codegen: wrote {shown_path(done.project)} ({len(done.result.files)} files, {len(done.result.plan.classes)} classes)"
    )
    print(scaffold.next_steps(done))
    _print_warnings(done.warnings)
    return EXIT_OK


def _print_warning_count(count: int) -> None:
    """The summary line alone: the warnings were printed when the output was generated from these inputs."""
    if count:
        print("codegen: note: the metadata's warnings are not repeated; --full prints them", file=sys.stderr)
        print(f"codegen: {count} warning{'s' if count > 1 else ''}", file=sys.stderr)


def _print_warnings(warnings: Sequence[MetadataWarning]) -> None:
    """On stderr after the run, so they are the last thing seen; the summary line ends them."""
    for warning in warnings[:MAX_PRINTED_WARNINGS]:
        print(f"codegen: warning: {warning}", file=sys.stderr)
    if len(warnings) > MAX_PRINTED_WARNINGS:
        print(f"codegen: and {len(warnings) - MAX_PRINTED_WARNINGS} more warnings", file=sys.stderr)
    if warnings:
        print(f"codegen: {len(warnings)} warning{'s' if len(warnings) > 1 else ''}", file=sys.stderr)


def _fetch(args: argparse.Namespace) -> int:
    from . import fetch  # httpx and the runtime: loaded only for this command

    spec = load_spec(args.spec)
    print(fetch.fetch(spec, args.url, prompt=_terminal_prompt()).report)
    return EXIT_OK


def _terminal_prompt() -> Callable[[str, bool], str] | None:
    """What asks for missing credentials: the terminal, when there is one."""
    if not sys.stdin.isatty():
        return None
    from .fetch import terminal_prompt

    return terminal_prompt


def _sandbox(args: argparse.Namespace) -> int:
    try:
        from .sandbox import DEFAULT_ROWS, DEFAULT_SEED, serve
    except ImportError as exc:  # the optional web stack is missing
        raise CodegenError(
            f"the sandbox needs the 'sandbox' extra ({exc.name} is missing): pip install 'odata-codegen[sandbox]'"
        ) from None
    spec = load_spec(args.spec)
    if args.port < 0 or args.port > 65535 or args.page_size < 1:
        raise CodegenError("--port must be 0-65535 and --page-size at least 1")

    def ready(url: str) -> None:
        print(f"sandbox: {spec.service_name} at {url}{spec.service_path} (login {args.username}/{args.password})")
        print("sandbox: Ctrl-C to stop", flush=True)

    serve(
        spec,
        args.host,
        args.port,
        rows=DEFAULT_ROWS if args.rows is None else args.rows,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        log_level="warning",
        on_ready=ready,
        username=args.username,
        password=args.password,
        page_size=args.page_size,
        token_ttl=args.token_ttl,
    )
    return EXIT_OK
