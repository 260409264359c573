"""`codegen sandbox SPEC`: serve the spec from seeded data on loopback, for trying a client offline."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import CodegenError
from ..spec import load_spec
from .common import EXIT_OK, Commands


def add(commands: Commands, epilog: str) -> None:
    raw = argparse.RawDescriptionHelpFormatter
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


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from ..sandbox import DEFAULT_ROWS, DEFAULT_SEED, serve
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
