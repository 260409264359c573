"""`codegen diff OLD NEW`: the API changes between two documents or specs, and which break user code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..diff import FORMATS, compare, load_surface, render
from .common import EXIT_DIFFERS, EXIT_OK, Commands


def add(commands: Commands, epilog: str) -> None:
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


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    changes = compare(load_surface(args.old), load_surface(args.new))
    sys.stdout.write(render(changes, args.format))
    return EXIT_DIFFERS if any(c.breaking for c in changes) else EXIT_OK
