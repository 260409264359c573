"""Command line: `python -m codegen generate ...`, `... diff ...`, `... fetch ...`, `... init ...` and `... sandbox ...`.

Exit codes: 0 done; 1 `--check` found differences, or `diff` a breaking change; 2 bad input (arguments,
spec, metadata, output directory, a fetched answer that is not V4 $metadata); 3 a bug in codegen itself;
4 `fetch` could not reach the service, or it refused the credentials or answered with an error status.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from ..errors import CodegenError
from ..spec_doc import spec_help
from . import diff_command, fetch_command, generate_command, init_command, sandbox_command
from .common import EXIT_BUG, Parser

__all__ = ["main"]

# In the order `--help` lists them.
_COMMANDS = {
    "generate": generate_command,
    "fetch": fetch_command,
    "diff": diff_command,
    "sandbox": sandbox_command,
    "init": init_command,
}


def _parser() -> argparse.ArgumentParser:
    # Every command's --help ends with the spec file's keys, rendered from the table load_spec checks against.
    epilog, raw = spec_help(), argparse.RawDescriptionHelpFormatter
    description = "Generate typed Python packages from OData V4 $metadata."
    parser = Parser(prog="codegen", description=description, epilog=epilog, formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"codegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in _COMMANDS.values():
        command.add(commands, epilog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = _COMMANDS[args.command].run(args, parser)
        return code
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
