"""`codegen fetch SPEC`: replace the spec's $metadata with the live service's, and say what changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..spec import load_spec
from .common import EXIT_OK, Commands, terminal_prompt

HELP = """\
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


def add(commands: Commands, epilog: str) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="download the service's $metadata into the spec's [metadata] source",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("spec", type=Path, help="the codegen.toml spec file")
    fetch.add_argument("--url", help="the instance root (https://acme.aimbase.com), instead of [service] base_url")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .. import fetch  # httpx and the runtime: loaded only for this command

    spec = load_spec(args.spec)
    print(fetch.fetch(spec, args.url, prompt=terminal_prompt()).report)
    return EXIT_OK
