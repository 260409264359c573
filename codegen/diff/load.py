"""A command-line operand -> its Surface: a $metadata file (CSDL XML or JSON), or a codegen.toml spec."""

from __future__ import annotations

from pathlib import Path

from ..csdl import parse_metadata
from ..errors import MetadataError
from ..plan_select import select_for_spec
from ..spec import Spec, load_spec, spec_from_arguments
from .build import build_surface
from .surface import Surface

# A bare $metadata file is diffed as `generate --metadata FILE --package service` would generate it.
_BARE_PACKAGE = "service"


def load_surface(path: Path) -> Surface:
    """The surface of the package generated from `path`: a spec (told by its `.toml` suffix; its naming, renames
    and selection apply) or a $metadata file. Raises CodegenError (SpecError, MetadataError) on bad input."""
    spec = load_spec(path) if path.suffix == ".toml" else spec_from_arguments(path, _BARE_PACKAGE, path.parent)
    return surface_of_spec(spec)


def surface_of_spec(spec: Spec) -> Surface:
    """Parse the spec's metadata and build the surface of the package the spec generates."""
    if not spec.metadata.is_file():
        problem = "not a file" if spec.metadata.exists() else "no such file"
        raise MetadataError(problem, path=str(spec.metadata))
    document = parse_metadata(spec.metadata, spec.references)
    document, _ = select_for_spec(document, spec)
    return build_surface(document, spec)
