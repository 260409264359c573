"""What mypy --strict says about typed query paths: tests/typing/query_mistakes.py, checked line by line.

That file holds mistakes with the Aimbase query classes, each marked `# E: <fragment>`; mypy (run here as
`python -m mypy --strict`, from the repository root, finding `aimbase` where it is installed: the editable
install run.py makes) must report every marked line with a message containing its fragment, and must report no other line.
Lines marked `# mypy misses:` are the mistakes mypy cannot see (run-time errors only); they are unmarked for
this test, so it fails if mypy starts reporting one of them (then mark it `# E:`). The last line carries a
`# N:` mark (a reveal_type note), which proves mypy checked the file to its end: an unreachable-code
inference after `if QLead.score == 10:` (whose `__bool__` is NoReturn) would otherwise hide the lines after it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MISTAKES = REPO / "tests" / "typing" / "query_mistakes.py"
MARK = re.compile(r"^#\s*(?P<kind>E|N):\s*(?P<fragment>.+?)\s*$")
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+): (?P<severity>error|note): (?P<message>.*?)(?:  \[[a-z-]+\])?$")


def marks(kind: str) -> list[tuple[int, str]]:
    """(line number, fragment) of every `# <kind>: fragment` comment in the mistakes file (comments only:
    the docstring's examples are not marks)."""
    found = []
    with MISTAKES.open("rb") as source:
        for token in tokenize.tokenize(source.readline):
            match = MARK.match(token.string) if token.type == tokenize.COMMENT else None
            if match and match["kind"] == kind:
                found.append((token.start[0], match["fragment"]))
    return found


@pytest.fixture(scope="module")
def reports() -> dict[int, list[tuple[str, str]]]:
    """mypy's reports on the mistakes file: line -> [(severity, message)]."""
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}  # aimbase as installed, editable
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--no-pretty", "--hide-error-context"]
    result = subprocess.run(
        [*command, str(MISTAKES.relative_to(REPO))], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 1), f"mypy failed to run:\n{result.stdout}\n{result.stderr}"
    by_line: dict[int, list[tuple[str, str]]] = {}
    for line in result.stdout.splitlines():
        match = REPORT.match(line)
        assert match, f"unexpected mypy output: {line!r}"
        assert Path(match["path"]).resolve() == MISTAKES, line
        by_line.setdefault(int(match["line"]), []).append((match["severity"], match["message"]))
    return by_line


ERRORS = marks("E")


def test_the_file_has_marks() -> None:
    assert len(ERRORS) >= 40
    assert marks("N"), "the final reveal_type line lost its mark"


@pytest.mark.parametrize("line, fragment", ERRORS, ids=[f"line {line}: {fragment}" for line, fragment in ERRORS])
def test_mistake_is_reported(reports: dict[int, list[tuple[str, str]]], line: int, fragment: str) -> None:
    errors = [message for severity, message in reports.get(line, []) if severity == "error"]
    assert any(fragment in message for message in errors), f"line {line}: expected {fragment!r}, mypy said {errors}"


def test_no_other_line_is_reported(reports: dict[int, list[tuple[str, str]]]) -> None:
    marked = {line for line, _ in ERRORS} | {line for line, _ in marks("N")}
    unexpected = {line: found for line, found in reports.items() if line not in marked}
    assert not unexpected, f"mypy reported unmarked lines: {unexpected}"


def test_the_whole_file_was_checked(reports: dict[int, list[tuple[str, str]]]) -> None:
    for line, fragment in marks("N"):
        notes = [message for severity, message in reports.get(line, []) if severity == "note"]
        assert any(fragment in note for note in notes), f"line {line}: expected note {fragment!r}, got {notes}"


def test_misses_are_listed() -> None:
    """The documented limits (`# mypy misses:`) are there, each with its reason."""
    text = MISTAKES.read_text(encoding="utf-8")
    misses = re.findall(r"# mypy misses: (.+)", text)
    assert len(misses) == 7 and all(reason.strip() for reason in misses)
