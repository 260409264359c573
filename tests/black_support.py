"""black as the judge of generated layout: generation never runs it, tests prove it would change nothing."""

from __future__ import annotations

import black

from codegen.layout import LINE_LENGTH

MODE = black.Mode(target_versions={black.mode.TargetVersion.PY311}, line_length=LINE_LENGTH)


def black_format(source: str) -> str:
    return black.format_str(source, mode=MODE)
