"""`codegen generate SPEC|--all DIR|--metadata ...`: write the package, or `--check` that it is current."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import generate
from ..changelog import CHANGES_FILE
from ..diff import render, summary
from ..errors import CodegenError, shown_path
from ..output import compare_package
from ..spec import Spec, load_spec, spec_from_arguments
from .common import EXIT_DIFFERS, EXIT_OK, Commands, print_warning_count, print_warnings


def add(commands: Commands, epilog: str) -> None:
    raw = argparse.RawDescriptionHelpFormatter
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


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
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
        print_warning_count(unchanged.warnings)
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
        print_warnings(checked.document.warnings)
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
    print_warnings(result.document.warnings)
    return EXIT_OK
