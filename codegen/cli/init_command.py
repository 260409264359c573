"""`codegen init NAME --metadata FILE|--url URL`: a spec directory for a new service, and its package."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from .. import scaffold
from ..errors import shown_path
from ..spec import AUTH_SCHEMES
from .common import EXIT_OK, Commands, print_warnings, terminal_prompt


def add(commands: Commands, epilog: str) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    init = commands.add_parser(
        "init", help="start a spec for a new service, and generate it", epilog=epilog, formatter_class=raw
    )
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


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
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
    done = scaffold.scaffold(request, prompt=terminal_prompt())
    print(f"codegen: wrote {shown_path(done.spec_file)} and {shown_path(done.metadata)}")
    print(
        f"codegen: wrote {shown_path(done.project)} ({len(done.result.files)} files, {len(done.result.plan.classes)} classes)"
    )
    print(scaffold.next_steps(done))
    print_warnings(done.warnings)
    return EXIT_OK
