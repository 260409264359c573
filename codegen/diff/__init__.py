"""The schema diff: what changed in the API of the generated package between two documents, and what breaks.

    surface = load_surface(path)          # a $metadata file or a spec -> Surface (build.py, load.py)
    changes = compare(old, new)           # -> sorted tuple of Change, classified by rules.RULES
    text = render(changes, "markdown")    # report.py: text, markdown or versioned JSON

A Surface round-trips through surface_to_json/surface_from_json (codec.py), so a package can store the
surface it was generated from and a later run can diff against it without the old document.
"""

from __future__ import annotations

from .build import build_surface
from .codec import SurfaceFormatError, surface_from_json, surface_to_json
from .compare import Change, compare
from .load import load_surface, surface_of_spec
from .report import FORMATS, render, summary
from .rules import RULES
from .surface import Surface

__all__ = [
    "FORMATS",
    "RULES",
    "Change",
    "Surface",
    "SurfaceFormatError",
    "build_surface",
    "compare",
    "load_surface",
    "render",
    "summary",
    "surface_from_json",
    "surface_of_spec",
    "surface_to_json",
]
